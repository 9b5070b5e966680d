import type { Writable } from 'node:stream';
import { InboundAdapter, UnusableInput } from './contract';

/** `rdx adapter convert`'s exit codes (FORMATS.md section 1). */
export const CONVERT_EXIT = { converted: 0, someRejected: 1, unusable: 2 } as const;

const write = (stream: Writable, text: string): Promise<void> =>
  stream.write(text) ? Promise.resolve() : new Promise((resolve) => stream.once('drain', resolve));

/**
 * Converts a file with an adapter: one message per line on `out`, one `record N: field F:
 * reason` line per problem on `err`; answers the exit code. Waits for `out` to drain, so a large
 * file streams through in constant memory.
 */
export async function runConvert(
  adapter: InboundAdapter,
  file: string,
  out: Writable,
  err: Writable,
): Promise<number> {
  let rejected = false;
  // Lines are written in batches of about 64 KiB: one write a message would be one system call each.
  let pending = '';
  const flush = async () => {
    if (pending !== '') await write(out, pending);
    pending = '';
  };
  try {
    for await (const outcome of adapter.convert(file)) {
      if (outcome.message !== undefined) {
        pending += `${JSON.stringify(outcome.message)}\n`;
        if (pending.length >= 1 << 16) await flush();
        continue;
      }
      rejected = true;
      for (const p of outcome.problems)
        await write(err, `record ${p.record}: field ${p.field}: ${p.reason}\n`);
    }
    await flush();
  } catch (error) {
    if (!(error instanceof UnusableInput)) throw error;
    await write(err, `${error.message}\n`);
    return CONVERT_EXIT.unusable;
  }
  return rejected ? CONVERT_EXIT.someRejected : CONVERT_EXIT.converted;
}
