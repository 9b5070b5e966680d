import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnusableInput } from '../contract';
import { jsonArrayRecords, JsonRecord } from './json.reader';

describe('jsonArrayRecords', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rdx-json-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function read(name: string, content: string | Buffer): Promise<JsonRecord[]> {
    const file = join(dir, name);
    writeFileSync(file, content);
    const records: JsonRecord[] = [];
    for await (const record of jsonArrayRecords(file)) records.push(record);
    return records;
  }

  it('streams the elements of the top-level array, numbered from 1, a byte-order mark dropped', async () => {
    const records = await read(
      'bom.json',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"a":1},null,"x"]')]),
    );
    expect(records).toEqual([
      { record: 1, value: { a: 1 } },
      { record: 2, value: null },
      { record: 3, value: 'x' },
    ]);
  });

  it.each([
    ['object.json', '{"a":[1]}'],
    ['truncated.json', '[{"a":1},'],
    ['two-values.json', '[1] [2]'],
    ['empty.json', ''],
  ])('refuses %s before its first element', async (name, content) => {
    await expect(read(name, content)).rejects.toBeInstanceOf(UnusableInput);
  });
});
