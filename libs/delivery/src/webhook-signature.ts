import { createHmac } from 'node:crypto';

/**
 * A Standard Webhooks v1 signature: `v1,` + base64 HMAC-SHA256, keyed with the secret's bytes
 * (the base64 after `whsec_`), over `{webhook-id}.{webhook-timestamp}.{body}`.
 * @example signWebhook('whsec_...', 'msg_1', 1764230400, '{"seq":1}') // 'v1,K5oZ...'
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}
