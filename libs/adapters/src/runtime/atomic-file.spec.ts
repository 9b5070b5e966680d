import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeLeftovers, writeAtomically } from './atomic-file';

describe('atomic files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdx-atomic-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes the whole file under its name, and leaves nothing else', async () => {
    await writeAtomically(join(dir, 'record.json'), '{"a":1}\n');
    expect(await readdir(dir)).toEqual(['record.json']);
    expect(await readFile(join(dir, 'record.json'), 'utf8')).toBe('{"a":1}\n');
  });

  it("removes the temporary files of processes that no longer run, not a running one's", async () => {
    // Past the kernel's largest pid (2^22): no process has it.
    const dead = `.record.json.${2 ** 22 + 1}.partial`;
    const live = `.cursor.${process.pid}.partial`;
    for (const name of [dead, live, 'record.json', '.cursor']) await writeFile(join(dir, name), 'x');
    await removeLeftovers(dir);
    expect((await readdir(dir)).sort()).toEqual(['.cursor', live, 'record.json'].sort());
  });
});
