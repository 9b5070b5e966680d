import type { Column } from './sql-builders';

/** The element types of array parameters, and their PostgreSQL type oids and sizes. */
const ELEMENTS = {
  text: { oid: 25, size: 0 },
  bigint: { oid: 20, size: 8 },
  integer: { oid: 23, size: 4 },
} as const;

/**
 * An array parameter for PostgreSQL (`?::text[]`, `?::bigint[]`, ...), in the protocol's binary
 * format: node-postgres sends a Buffer as it is, and PostgreSQL copies each element by its
 * length. The same array as a text literal (`{"a","b"}`) cost PostgreSQL a parse of every
 * character (`array_in` was its costliest function under load, on columns of JWS), and the
 * literal's quoting a regular expression per element here.
 *
 * `type` must be the array type the SQL casts the parameter to: PostgreSQL decodes it as that.
 * Elements are strings, numbers, bigints, or null and undefined (NULL).
 * @example
 * await tx.query('SELECT id FROM messages WHERE id = ANY(?::text[])', [arrayParam(ids)]);
 */
export function arrayParam(values: readonly unknown[], type: Column[1] = 'text'): Buffer {
  const { oid, size } = ELEMENTS[type];
  const text: (string | null)[] = [];
  let bytes = 20;
  let hasNull = 0;
  for (const value of values) {
    if (value === null || value === undefined) {
      text.push(null);
      hasNull = 1;
      bytes += 4;
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint')
      throw new TypeError(`an array parameter holds a ${typeof value}`);
    const element = String(value);
    text.push(element);
    bytes += 4 + (size === 0 ? Buffer.byteLength(element, 'utf8') : size);
  }
  // Header: dimensions, whether there are NULLs, element type; then the one dimension's length
  // and lower bound. Each element: its length in bytes (-1 for NULL), then the bytes.
  const out = Buffer.allocUnsafe(bytes);
  out.writeInt32BE(1, 0);
  out.writeInt32BE(hasNull, 4);
  out.writeUInt32BE(oid, 8);
  out.writeInt32BE(values.length, 12);
  out.writeInt32BE(1, 16);
  let at = 20;
  for (const element of text) {
    if (element === null) {
      at = out.writeInt32BE(-1, at);
    } else if (size === 0) {
      const length = out.write(element, at + 4, 'utf8');
      out.writeInt32BE(length, at);
      at += 4 + length;
    } else {
      at = out.writeInt32BE(size, at);
      at =
        size === 8
          ? out.writeBigInt64BE(integerOf(element, 64), at)
          : out.writeInt32BE(Number(integerOf(element, 32)), at);
    }
  }
  return out;
}

/** An integer element of `bits` bits, refused (TypeError) when it is not one. */
function integerOf(element: string, bits: 32 | 64): bigint {
  const value = /^-?\d+$/.test(element) ? BigInt(element) : undefined;
  if (value === undefined || BigInt.asIntN(bits, value) !== value)
    throw new TypeError(`"${element}" is not a ${bits}-bit integer`);
  return value;
}
