import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { InboundAdapter, MappingError, runConvert } from '@rdx/adapters';

/** What `rdx adapter convert` would print for a file, and its exit code. */
export interface Converted {
  code: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the data they assert on
  messages: { type: string; id: string; data: Record<string, any> }[];
  /** `N F` for each problem line. */
  problems: string[];
  stdout: string;
  stderr: string;
}

/** Converts `file` with `adapter` as `rdx adapter convert` would, and reads back what it printed. */
export async function converted(adapter: InboundAdapter, file: string): Promise<Converted> {
  const [out, err] = [new PassThrough(), new PassThrough()];
  let [stdout, stderr] = ['', ''];
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await runConvert(adapter, file, out, err);
  const messages = stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
  const problems = [...stderr.matchAll(/^record (\d+): field (.+?): /gm)].map((m) => `${m[1]} ${m[2]}`);
  return { code, messages, problems, stdout, stderr };
}

/**
 * A temporary folder for the enclosing `describe` block, removed afterwards; `write` puts
 * `content` (JSON, or text as it is) in a new file of it and answers the file's path.
 */
export function scratchFiles(prefix: string, extension = 'json'): { write(content: unknown): string } {
  let dir: string;
  let files = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), prefix))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    write(content: unknown) {
      const file = join(dir, `${++files}.${extension}`);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    },
  };
}

/** The 1-based line of the first line of `text` holding `marker`. */
export const lineOf = (text: string, marker: string) =>
  text.split('\n').findIndex((l) => l.includes(marker)) + 1;

/** The {@link MappingError} that `load` throws (anything else fails the test). */
export function mappingFailure(load: () => unknown): MappingError {
  try {
    load();
  } catch (error) {
    if (error instanceof MappingError) return error;
    throw error;
  }
  throw new Error('the mapping loaded');
}

/**
 * Mappings made from `base` by one replacement, each written to a file of its own, and the
 * check that loading one fails on the right line and key, in one line naming the file.
 */
export function brokenMappings(
  base: string,
  files: { write(content: unknown): string },
  load: (file: string) => unknown,
) {
  const broken = (from: string | RegExp, to: string): { file: string; text: string } => {
    const text = base.replace(from, to);
    if (text === base) throw new Error(`${String(from)} is not in the mapping`);
    return { file: files.write(text), text };
  };
  const expectFailure = (
    from: string | RegExp,
    to: string,
    marker: string,
    key: string,
    reason: RegExp,
  ): void => {
    const { file, text } = broken(from, to);
    const error = mappingFailure(() => load(file));
    const line = lineOf(text, marker);
    expect({ file: error.file, line: error.line, key: error.key }).toEqual({ file, line, key });
    expect(error.reason).toMatch(reason);
    expect(error.message).toBe(`${file}:${line}: ${key}: ${error.reason}`);
    expect(error.message).not.toContain('\n');
  };
  return { broken, expectFailure };
}
