import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that no reader ever sees it half-written: into a hidden temporary file in
 * the same folder, flushed to disk, then renamed over the name (an atomic step on one file
 * system). A crash leaves the old file or the new one, and at worst a hidden temporary file,
 * which `removeLeftovers` takes away at the next start.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/** A temporary file of `writeAtomically`, and the process that wrote it. */
const PARTIAL = /^\..+\.(\d+)\.partial$/;

/**
 * Removes the temporary files that processes killed mid-write left in `dir`, those of a process
 * that no longer runs (another one's may be in the middle of a write).
 */
export async function removeLeftovers(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = PARTIAL.exec(name)?.[1];
    if (pid !== undefined && !running(Number(pid))) await rm(join(dir, name), { force: true });
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
