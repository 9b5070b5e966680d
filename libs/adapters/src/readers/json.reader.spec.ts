import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnusableInput } from '../contract';
import { jsonArrayRecords, JsonRecord } from './json.reader';

let folder: string;
beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'json-reader-'))));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function read(content: string): Promise<JsonRecord[]> {
  const file = join(folder, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, content);
  const records: JsonRecord[] = [];
  for await (const record of jsonArrayRecords(file)) records.push(record);
  return records;
}

describe('jsonArrayRecords', () => {
  it('streams the elements of the top-level array, numbered from 1, after a byte-order mark', async () => {
    expect(await read('\uFEFF[{"a": 1}, "b", [2]]')).toEqual([
      { record: 1, value: { a: 1 } },
      { record: 2, value: 'b' },
      { record: 3, value: [2] },
    ]);
  });

  it('refuses a file that is not JSON, or whose top is not an array, before any element', async () => {
    await expect(read('[{"a": 1}, ')).rejects.toThrow(UnusableInput);
    await expect(read('{"a": [1]}')).rejects.toThrow(UnusableInput);
  });
});
