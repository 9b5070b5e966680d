import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../../..');

/**
 * A built entry point of the repository (`dist/...`) in a process of its own, as operators run
 * it, so the bench can measure its CPU and memory by pid.
 */
export class ChildService {
  private child: ChildProcess | undefined;
  private output = '';
  private ready: ((output: string) => Promise<boolean>) | undefined;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
    private readonly nodeFlags: string[] = [],
  ) {}

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  /** Starts it and waits until `ready()` says so (or the process dies, or 30 s pass). */
  async start(ready: (output: string) => Promise<boolean>): Promise<void> {
    this.ready = ready;
    this.output = '';
    const child = spawn(
      process.execPath,
      [
        ...this.nodeFlags,
        '-r',
        resolve(ROOT, 'scripts/register-paths.js'),
        resolve(ROOT, this.entry),
        ...this.args,
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`${this.name} exited (${child.exitCode}):\n${this.output}`);
      if (await ready(this.output)) return;
      if (Date.now() > deadline) throw new Error(`${this.name} did not become ready:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** What it printed last (kept for error reports). */
  get log(): string {
    return this.output;
  }

  /** Stops it and starts it again, a new process with nothing in memory from before. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start(this.ready!);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Ready when GET `url` answers 200. */
export const answers200 = (url: string) => async () =>
  fetch(url).then(
    (r) => r.status === 200,
    () => false,
  );
