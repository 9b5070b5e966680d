import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { AdapterRegistry, AdaptersModule, runConvert } from '@rdx/adapters';
import { parse } from 'csv-parse';

/** Counts the lines written to it and keeps nothing: where converted messages go when measured. */
class LineCounter extends Writable {
  lines = 0;
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const byte of chunk) if (byte === 10) this.lines++;
    done();
  }
}

/** One measurement for adapter-conversion.ts, in a process of its own; the result goes back over IPC. */
async function main(mode: string, file: string): Promise<{ messages: number; ms: number }> {
  if (mode === 'parse') {
    const started = performance.now();
    for await (const _ of createReadStream(file).pipe(parse({ bom: true }))) {
      // Only read: the bare cost of parsing.
    }
    return { messages: 0, ms: performance.now() - started };
  }
  const context = await NestFactory.createApplicationContext(AdaptersModule, { logger: false });
  const adapter = context.get(AdapterRegistry).inbound('KH')!;
  const out = new LineCounter();
  const started = performance.now();
  const code = await runConvert(adapter, file, out, new LineCounter());
  if (code !== 0) throw new Error(`the conversion exited ${code}`);
  return { messages: out.lines, ms: performance.now() - started };
}

main(process.argv[2], process.argv[3]).then(
  (result) => {
    process.send!({ ...result, maxRssKiB: process.resourceUsage().maxRSS }, () => process.exit(0));
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
