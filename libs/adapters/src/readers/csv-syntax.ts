import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The first pass over a CSV file, fast enough to run before every conversion: that it is UTF-8
 * and that its quoting is RFC 4180 as the parser takes it (a quote only opens a field, `""`
 * inside a quoted field, a closing quote followed by a comma or a line end, every quote closed).
 * Answers the problem, or undefined. The parser reads the file afterwards; this only spares it
 * from finding a broken file half-way, after messages were already written out.
 */
export async function csvSyntaxProblem(file: string): Promise<string | undefined> {
  // States: at the start of a field, in an unquoted field, in a quoted one, just after a quote in one.
  let state: 'start' | 'plain' | 'quoted' | 'quote' = 'start';
  let line = 1;
  let carry = Buffer.alloc(0);
  let first = true;
  for await (const read of createReadStream(file, { highWaterMark: 1 << 16 })) {
    let chunk = carry.length > 0 ? Buffer.concat([carry, read as Buffer]) : (read as Buffer);
    // A multi-byte character split between two reads is checked whole with the next one.
    const cut = completeUpTo(chunk);
    carry = Buffer.from(chunk.subarray(cut));
    chunk = chunk.subarray(0, cut);
    if (!isUtf8(chunk)) return 'it is not UTF-8';
    let i = 0;
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    first = false;
    for (; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === LF) line++;
      switch (state) {
        case 'start':
          if (byte === QUOTE) state = 'quoted';
          else if (byte !== COMMA && byte !== LF && byte !== CR) state = 'plain';
          break;
        case 'plain':
          if (byte === QUOTE) return `line ${line}: a quote inside an unquoted field`;
          if (byte === COMMA || byte === LF || byte === CR) state = 'start';
          break;
        case 'quoted':
          if (byte === QUOTE) state = 'quote';
          break;
        case 'quote':
          if (byte === QUOTE) state = 'quoted';
          else if (byte === COMMA || byte === LF || byte === CR) state = 'start';
          else return `line ${line}: text after the closing quote of a field`;
          break;
      }
    }
  }
  if (carry.length > 0) return 'it is not UTF-8';
  if (state === 'quoted') return 'a quoted field is never closed';
  return undefined;
}

/** How many bytes of `chunk` end on a whole UTF-8 character (the rest is kept for the next read). */
function completeUpTo(chunk: Buffer): number {
  for (let back = 1; back <= Math.min(3, chunk.length); back++) {
    const byte = chunk[chunk.length - back];
    if ((byte & 0xc0) !== 0x80) {
      const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return needs > back ? chunk.length - back : chunk.length;
    }
  }
  return chunk.length;
}
