/** Printable ASCII that starts and ends with a non-space and never has two spaces in a row. */
const CLEAN_ASCII = /^[\x21-\x7e](?:[\x21-\x7e]| (?! ))*(?<! )$/;

/**
 * Rule 2: a text value trimmed, with runs of white space made one space, in Unicode NFC; a JSON
 * number is its decimal text; empty means missing (undefined).
 */
export function text(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') return undefined;
  // Most values are already clean printable ASCII, for which NFC changes nothing.
  if (CLEAN_ASCII.test(raw)) return raw;
  const value = raw.replace(/\s+/gu, ' ').trim().normalize('NFC');
  return value === '' ? undefined : value;
}

/** Rule 5: each value once, in the order of first appearance. */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
