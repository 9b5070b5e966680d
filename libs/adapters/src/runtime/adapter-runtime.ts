import { RdxClient } from '@rdx/client';
import type { Logger } from 'pino';
import type { InboundAdapter, OutboundAdapter } from '../contract';
import { DropFolder, SendPolicy } from './drop-folder';
import { InboxWriter } from './inbox-writer';

export interface RuntimeOptions {
  client: RdxClient;
  log: Logger;
  inbound?: { adapter: InboundAdapter; dir: string; policy: SendPolicy };
  outbound?: { adapter: OutboundAdapter; dir: string };
  /** Sweep once and read the inbox to its end, then stop (for cron and tests); else run until `signal`. */
  once: boolean;
  pollMs: number;
  settleMs: number;
  signal: AbortSignal;
}

/**
 * One agency's adapter process (`rdx adapter run`): its drop folder swept for national files to
 * publish, and its inbox written out as national records, until stopped. A failure of one round
 * (the gateway unreachable, say) is logged and the round tried again after the poll interval.
 */
export async function runAdapter(options: RuntimeOptions): Promise<void> {
  const { log, signal } = options;
  const drop =
    options.inbound &&
    new DropFolder(
      options.inbound.dir,
      options.inbound.adapter,
      options.client,
      log,
      options.settleMs,
      options.inbound.policy,
    );
  const writer =
    options.outbound && new InboxWriter(options.outbound.dir, options.outbound.adapter, options.client, log);
  log.info({
    event: 'adapter.started',
    participant: options.client.participant,
    inbound: !!drop,
    outbound: !!writer,
  });
  const inbound = async () => {
    while (!signal.aborted) {
      await drop!
        .sweep(() => signal.aborted)
        .catch((error: unknown) => log.error({ event: 'drop-folder.failed', error: describe(error) }));
      if (options.once) return;
      await pause(options.pollMs, signal);
    }
  };
  const outbound = async () => {
    while (!signal.aborted) {
      try {
        await writer!.run({ follow: !options.once, signal, pollMs: options.pollMs });
        if (options.once) return;
      } catch (error) {
        log.error({ event: 'inbox.failed', error: describe(error) });
        if (options.once) throw error;
        await pause(options.pollMs, signal);
      }
    }
  };
  await Promise.all([drop ? inbound() : undefined, writer ? outbound() : undefined]);
  log.info({ event: 'adapter.stopped' });
}

/** An error's name and message: never the data it was about. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
