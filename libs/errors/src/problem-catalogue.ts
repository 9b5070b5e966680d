/**
 * Every refusal the gateway can give, by the stable name that becomes its
 * problem type `urn:rdx:problem:<name>` (PROTOCOL.md section 6).
 */
export const PROBLEMS = {
  'malformed-message': { status: 400, title: 'The body is not a well-formed message' },
  'bad-request': { status: 400, title: 'The request is malformed' },
  'unacceptable-json': {
    status: 400,
    title: 'The JSON is outside the limits the gateway accepts',
  },
  'invalid-signature': { status: 401, title: 'The signature does not verify' },
  'unknown-key': { status: 401, title: 'The signing key is not registered' },
  'key-not-active': { status: 401, title: 'The signing key is not active' },
  'source-mismatch': { status: 401, title: 'The message source is not the owner of the signing key' },
  'wrong-object-type': { status: 401, title: 'The signed object has the wrong typ' },
  'invalid-token': { status: 401, title: 'The bearer token is missing, invalid or expired' },
  'token-replayed': { status: 401, title: 'The bearer token was already used' },
  'participant-suspended': { status: 403, title: 'The participant is suspended' },
  'publish-not-allowed': {
    status: 403,
    title: 'The sharing policy does not let this sender publish this type',
  },
  forbidden: { status: 403, title: 'The caller may not do this' },
  'not-found': { status: 404, title: 'Not found' },
  'message-conflict': { status: 409, title: 'Another message with this id is already stored' },
  'already-exists': { status: 409, title: 'The identifier is already taken' },
  'ack-conflict': { status: 409, title: 'The acknowledgement would move the status back' },
  'key-state-conflict': { status: 409, title: 'The key cannot move to that state' },
  'payload-too-large': { status: 413, title: 'The body is over the size limit' },
  'unsupported-media-type': { status: 415, title: 'Wrong Content-Type' },
  'headers-too-large': { status: 431, title: 'The request headers are over the size limit' },
  'schema-violation': { status: 422, title: 'The message does not match the schema of its type' },
  'unknown-type': { status: 422, title: 'The message type is not in the catalogue' },
  'time-out-of-window': { status: 422, title: 'The signing time is too far from the gateway clock' },
  'recipients-required': { status: 422, title: 'This TLP needs named recipients' },
  'unknown-recipient': { status: 422, title: 'A named recipient is not a participant' },
  'invalid-fields': { status: 422, title: 'Some fields are invalid' },
  'invalid-reference': {
    status: 422,
    title: 'The message it refers to cannot be answered, updated or withdrawn by this sender',
  },
  'invalid-key': { status: 422, title: 'The key is not an acceptable public JWK' },
  'refused-webhook-url': { status: 422, title: 'The webhook URL is refused' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'request-timeout': { status: 408, title: 'The request did not arrive in time' },
  unavailable: { status: 503, title: 'The gateway is not ready; nothing was accepted' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemName = keyof typeof PROBLEMS;

/** The URN of a problem type, e.g. `urn:rdx:problem:unknown-key`. */
export function problemType(name: ProblemName): string {
  return `urn:rdx:problem:${name}`;
}
