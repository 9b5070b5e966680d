import { hash } from 'node:crypto';

/** The namespace of rule 10's message ids. */
export const MESSAGE_ID_NAMESPACE = '5c7e2a51-3b0d-4c8e-9f6a-1d2b3c4d5e6f';

/**
 * Rule 10: the message id of a national record, the UUID v5 of `CC/TYPE/REFERENCE`; converting
 * the same record again gives the same id, so a re-run never publishes twice.
 */
export function messageId(country: string, type: string, reference: string): string {
  return uuidV5(`${country}/${type}/${reference}`, MESSAGE_ID_NAMESPACE);
}

const NAMESPACE_BYTES = new Map<string, Buffer>();

/**
 * RFC 9562's UUID version 5: the SHA-1 of the namespace's 16 bytes and the name's UTF-8, with the
 * version and variant bits set. Node's own SHA-1 makes it several times faster than a JavaScript
 * one, which counts at tens of thousands of records a second.
 */
export function uuidV5(name: string, namespace: string): string {
  let ns = NAMESPACE_BYTES.get(namespace);
  if (ns === undefined)
    NAMESPACE_BYTES.set(namespace, (ns = Buffer.from(namespace.replace(/-/g, ''), 'hex')));
  const bytes = hash('sha1', Buffer.concat([ns, Buffer.from(name, 'utf8')]), 'buffer');
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The schema's `caseRef` pattern. */
export const CASE_REF = /^[A-Z]{2}-[A-Z0-9][A-Z0-9./-]{0,62}$/;

/** The language tags the schema takes (BCP 47, as RDX restricts them). */
export const LANGUAGE_TAG =
  /^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$/;

/** The schema's subdivision (`area`) pattern. */
export const AREA = /^(?:BN|KH|ID|LA|MY|MM|PH|SG|TH|TL|VN)-[A-Z0-9]{1,3}$/;
