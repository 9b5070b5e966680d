import { Readable } from 'node:stream';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { UnusableInput } from '../contract';
import { assertUtf8, textChunks } from './utf8';

/** One element of a top-level JSON array: its number (from 1) and its value. */
export interface JsonRecord {
  record: number;
  value: unknown;
}

/**
 * The elements of a file's top-level JSON array, streamed one by one. The first pass checks the
 * encoding and that the whole file is JSON with an array at its top, so an unusable file is
 * refused before the first element is converted.
 */
export async function* jsonArrayRecords(file: string): AsyncIterable<JsonRecord> {
  await assertUtf8(file);
  let firstToken: string | undefined;
  try {
    const tokens = Readable.from(textChunks(file)).pipe(
      // stream-json 3's parser() is a pipeline function; its Node stream is parser.asStream().
      parser.asStream({ packValues: false, streamValues: false, streamKeys: false }),
    );
    for await (const token of tokens as AsyncIterable<{ name: string }>) firstToken ??= token.name;
  } catch (error) {
    throw new UnusableInput(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (firstToken !== 'startArray') throw new UnusableInput(`${file} does not hold a JSON array at its top`);
  let record = 0;
  // The decoder drops a byte-order mark, which the JSON parser would not take.
  const elements = Readable.from(textChunks(file)).pipe(parser.asStream()).pipe(streamArray.asStream());
  for await (const { value } of elements as AsyncIterable<{ key: number; value: unknown }>) {
    yield { record: ++record, value };
  }
}
