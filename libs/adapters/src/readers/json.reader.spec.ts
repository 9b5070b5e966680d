import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnusableInput } from '../contract';
import { jsonArrayRecords } from './json.reader';

describe('jsonArrayRecords', () => {
  let dir: string;
  const file = (name: string, content: string | Buffer) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const all = async (path: string) => {
    const records = [];
    for await (const record of jsonArrayRecords(path)) records.push(record);
    return records;
  };

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rdx-json-reader-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('yields the elements of the top-level array, numbered from 1, a byte-order mark dropped', async () => {
    const path = file('array.json', '\uFEFF[{"a": 1}, "two", [3], null]');
    expect(await all(path)).toEqual([
      { record: 1, value: { a: 1 } },
      { record: 2, value: 'two' },
      { record: 3, value: [3] },
      { record: 4, value: null },
    ]);
  });

  it('refuses, before any element, a file that is not JSON or whose top is not an array', async () => {
    await expect(all(file('broken.json', '[{"a": 1}, {"b": '))).rejects.toThrow(UnusableInput);
    await expect(all(file('object.json', '{"a": [1, 2]}'))).rejects.toThrow('does not hold a JSON array');
    await expect(all(file('latin1.json', Buffer.from([0x5b, 0x22, 0xe9, 0x22, 0x5d])))).rejects.toThrow(
      'not UTF-8',
    );
  });
});
