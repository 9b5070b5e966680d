import { createHash } from 'node:crypto';

/**
 * The receipt digest of the exact bytes received: `sha-256=` + base64url(SHA-256).
 * @example digestOf('eyJ...') // 'sha-256=GYE3sDWq...'
 */
export function digestOf(bytes: string | Uint8Array): string {
  return `sha-256=${createHash('sha256').update(bytes).digest('base64url')}`;
}

/** Lower-case hex SHA-256, as the audit chain uses. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
