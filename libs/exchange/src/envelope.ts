import { FieldError, RdxError } from '@rdx/errors';
import { parseBoundedJson } from '@rdx/schema';

export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];
export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;

/** A CloudEvents 1.0 envelope with RDX's extensions, as PROTOCOL.md section 3 defines it. */
export interface Envelope {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype?: string;
  subject?: string;
  recipients: string[];
  tlp: Tlp;
  handling: string[];
  data: Record<string, unknown>;
  /** The id of the message this one answers (a case's conversation). */
  inreplyto?: string;
  /** The id of an earlier message of the same sender and type that this one updates. */
  supersedes?: string;
  /** RFC 3339: after it, the message is no longer delivered to anyone who has not had it. */
  expires?: string;
  /** RFC 3339: on a request, when each recipient's reply is due. */
  respondby?: string;
}

export const PARTICIPANT_ID = /^(BN|KH|ID|LA|MY|MM|PH|SG|TH|TL|VN)\.[A-Z0-9-]{2,32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3339 date-time, as CloudEvents requires for `time`.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses signed JSON bytes into an object, or refuses with 400: `malformed-message` when it is
 * not a JSON object, `unacceptable-json` when it is outside the limits any JSON RDX reads keeps.
 */
export function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  const value = parseBoundedJson(bytes, 'malformed-message', `the ${what}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RdxError('malformed-message', `the ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads the envelope of a verified message: 400 when it is not a CloudEvent at all,
 * 422 (with every bad field listed) when RDX's own rules are broken.
 */
export function readEnvelope(event: Record<string, unknown>): Envelope {
  if (event.specversion !== '1.0') {
    throw new RdxError(
      'malformed-message',
      'the payload is not a CloudEvents 1.0 event: specversion must be "1.0"',
    );
  }
  for (const attribute of ['id', 'source', 'type'] as const) {
    if (typeof event[attribute] !== 'string' || event[attribute] === '') {
      throw new RdxError(
        'malformed-message',
        `the payload is not a CloudEvent: "${attribute}" must be a non-empty string`,
      );
    }
  }
  if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
    throw new RdxError('malformed-message', 'the CloudEvent carries no JSON object in "data"');
  }

  const errors: FieldError[] = [];
  const bad = (path: string, message: string) => errors.push({ path, message });
  if (!UUID.test(event.id as string)) bad('id', 'must be a UUID');
  if (!isDateTime(event.time)) bad('time', 'must be an RFC 3339 date-time, the signing time');
  if (event.datacontenttype !== undefined && event.datacontenttype !== 'application/json') {
    bad('datacontenttype', 'must be "application/json"');
  }
  if (event.subject !== undefined && (typeof event.subject !== 'string' || event.subject.length > 200)) {
    bad('subject', 'must be a string of at most 200 characters');
  }
  if (!(TLP_LEVELS as readonly unknown[]).includes(event.tlp))
    bad('tlp', `must be one of ${TLP_LEVELS.join(', ')}`);
  const recipients = spaceSeparated(event.recipients, 'recipients', bad);
  recipients.forEach((id, i) => {
    if (!PARTICIPANT_ID.test(id)) bad(`recipients[${i}]`, `"${id}" is not a participant id (CC.AGENCY)`);
  });
  if (recipients.length > 100) bad('recipients', 'names more than 100 participants');
  for (const attribute of ['inreplyto', 'supersedes'] as const) {
    const value = event[attribute];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !UUID.test(value))
      bad(attribute, 'must be the id (a UUID) of a stored message');
    else if (value === event.id) bad(attribute, 'must not be the message itself');
  }
  for (const attribute of ['expires', 'respondby'] as const) {
    const value = event[attribute];
    if (value !== undefined && !isDateTime(value)) bad(attribute, 'must be an RFC 3339 date-time');
  }
  const handling = spaceSeparated(event.handling, 'handling', bad);
  handling.forEach((code, i) => {
    if (!(HANDLING_CODES as readonly string[]).includes(code))
      bad(`handling[${i}]`, `"${code}" is not one of H0, H1, H2, H3`);
  });
  if (errors.length > 0) {
    throw new RdxError('invalid-fields', `the envelope breaks ${errors.length} rule(s) of the protocol`, {
      errors,
    });
  }
  return {
    ...(event as Omit<Envelope, 'recipients' | 'handling'>),
    // As sent: errors about a recipient name its position in the list the sender wrote.
    recipients,
    handling: [...new Set(handling)],
  };
}

function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

function spaceSeparated(
  value: unknown,
  path: string,
  bad: (path: string, message: string) => void,
): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') {
    bad(path, 'must be a space-separated string');
    return [];
  }
  return value.split(' ').filter((part) => part !== '');
}
