/**
 * The members that only a private or secret JWK has (RFC 7518 section 6): `d` of an EC or OKP
 * private key, the RSA private parts, and `k` of a symmetric key.
 */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** Why a pasted or uploaded text cannot be sent as a public key, as a catalogue key and its values. */
export type JwkRefusal =
  | { reason: 'empty' }
  | { reason: 'not-json' }
  | { reason: 'not-object' }
  | { reason: 'private'; members: string };

/**
 * Reads a public JWK from text, in the browser. A private key is refused here, before anything
 * is sent: its private half must never leave the agency that made it.
 */
export function readPublicJwk(
  text: string,
): { jwk: Record<string, unknown>; refusal?: undefined } | { refusal: JwkRefusal } {
  if (text.trim() === '') return { refusal: { reason: 'empty' } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { refusal: { reason: 'not-json' } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { refusal: { reason: 'not-object' } };
  }
  const jwk = value as Record<string, unknown>;
  const found = PRIVATE_JWK_MEMBERS.filter((member) => Object.hasOwn(jwk, member));
  if (found.length > 0) {
    return { refusal: { reason: 'private', members: found.map((m) => `"${m}"`).join(', ') } };
  }
  return { jwk };
}
