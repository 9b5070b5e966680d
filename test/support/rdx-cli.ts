import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const RDX = resolve(ROOT, 'bin/rdx.js');

/** What a run of `rdx` printed, and its exit code. */
export interface RdxRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `rdx` executable as a user does, in a process of its own (asynchronously: the
 * gateway it talks to may run in this process). Only the environment given reaches it.
 */
export function rdx(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<RdxRun> {
  if (!existsSync(resolve(ROOT, 'dist/apps/cli/src/main.js'))) {
    throw new Error('dist/ is missing: run npm run build (npm test does)');
  }
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [RDX, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Expects an exit code, showing what was printed when it differs. */
export function exits(run: RdxRun, code: number): RdxRun {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code, stderr: expect.any(String) });
  return run;
}
