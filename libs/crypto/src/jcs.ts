/**
 * RFC 8785 JSON Canonicalization Scheme for the values RDX hashes (no floats).
 * @example canonicalize({ b: 1, a: 'x' }) === '{"a":"x","b":1}'
 */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('JCS cannot represent a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object') {
    // Sorting by UTF-16 code units is what RFC 8785 prescribes, and what JS string comparison does.
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalize(member)}`).join(',')}}`;
  }
  throw new TypeError(`JCS cannot represent a ${typeof value}`);
}
