import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RdxClient, RdxProblem, Received } from '@rdx/client';
import type { Logger } from 'pino';
import { NothingToRender, OutboundAdapter } from '../contract';
import { removeLeftovers, writeAtomically } from './atomic-file';

/** Where the inbox was read to, kept in the output folder. */
const CURSOR = '.cursor';

/**
 * Writes what the agency receives into its output folder as national records: each item's origin
 * verified, the record written atomically as `<messageId>.json`, acknowledged (`received`) only
 * once written, and the cursor saved after that. A crash anywhere repeats the last item: the
 * same file is written again under the same name, and acknowledged again.
 */
export class InboxWriter {
  constructor(
    private readonly dir: string,
    private readonly adapter: OutboundAdapter,
    private readonly client: RdxClient,
    private readonly log: Logger,
  ) {}

  /** Reads the inbox from the saved cursor to its end (or, following, until `signal` aborts). */
  async run(options: { follow: boolean; signal?: AbortSignal; pollMs?: number }): Promise<number> {
    await mkdir(join(this.dir, 'unverified'), { recursive: true });
    for (const dir of [this.dir, join(this.dir, 'unverified')]) await removeLeftovers(dir);
    let written = 0;
    const after = await this.cursor();
    for await (const item of this.client.inbox({
      ...(after === undefined ? {} : { after }),
      follow: options.follow,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      pollMs: options.pollMs ?? 2000,
    })) {
      if (await this.handle(item)) written++;
      await writeAtomically(join(this.dir, CURSOR), `${item.cursor}\n`);
      if (options.signal?.aborted) break;
    }
    return written;
  }

  private async cursor(): Promise<string | undefined> {
    try {
      return (await readFile(join(this.dir, CURSOR), 'utf8')).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  private async handle(item: Received): Promise<boolean> {
    const fields = { messageId: item.messageId, source: item.source, type: item.type, seq: item.seq };
    if (!item.verified) {
      // Never written as a national record, never acknowledged: kept aside with the reason.
      await writeAtomically(
        join(this.dir, 'unverified', `${item.messageId}.reason.txt`),
        `${item.failure}\n`,
      );
      this.log.warn({ event: 'message.unverified', ...fields }, 'origin not verified: not written');
      return false;
    }
    if (!this.adapter.types.includes(item.type)) {
      this.log.info({ event: 'message.not-rendered', ...fields }, 'a type this country does not render');
      return false;
    }
    let record: Record<string, unknown> | undefined;
    try {
      record = this.adapter.render({
        type: item.type,
        id: item.messageId,
        data: item.data as Record<string, unknown>,
        source: item.source,
      });
    } catch (error) {
      if (!(error instanceof NothingToRender)) throw error;
      this.log.info({ event: 'message.nothing-for-country', ...fields });
    }
    if (record !== undefined) {
      await writeAtomically(join(this.dir, `${item.messageId}.json`), `${JSON.stringify(record, null, 2)}\n`);
    }
    try {
      await this.client.ack(item.messageId, 'received');
    } catch (error) {
      // Acknowledged already, before a crash: the status does not move back.
      if (!(error instanceof RdxProblem && error.problem === 'ack-conflict')) throw error;
    }
    this.log.info({ event: record === undefined ? 'message.acknowledged' : 'message.written', ...fields });
    return record !== undefined;
  }
}
