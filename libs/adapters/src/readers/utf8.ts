import { createReadStream } from 'node:fs';
import { Duplex, pipeline, Transform } from 'node:stream';
import { UnusableInput } from '../contract';

/**
 * Rule 1, the first pass over a file: any invalid UTF-8 sequence makes it unusable, before
 * anything is converted. Streams, so a large file takes no more memory than a small one.
 */
export async function assertUtf8(file: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'EACCES'
    ) {
      throw new UnusableInput(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
    }
    throw new UnusableInput(`${file} is not UTF-8`);
  }
}

/** A file's text, chunk by chunk, without a leading byte-order mark (rule 1). */
export async function* textChunks(file: string): AsyncIterable<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/**
 * A file's text (strictly UTF-8, without a byte-order mark) through a parser: the stream to read
 * the parser's output from. Unlike `pipe`, an error of the file or of its decoding reaches the
 * reader of the output.
 */
export function parsedText(file: string, ...transforms: Duplex[]): Duplex {
  return pipeline(
    [createReadStream(file, { highWaterMark: 1 << 16 }), utf8Text(), ...transforms],
    () => undefined,
  ) as Duplex;
}

/** A stream of bytes into strict UTF-8 text, without a byte-order mark: a decoding error fails the stream. */
function utf8Text(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  return new Transform({
    decodeStrings: true,
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        done(null, text === '' ? undefined : text);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        const rest = decoder.decode();
        done(null, rest === '' ? undefined : rest);
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
