import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RdxClient, RdxInvalidData, RdxProblem, SendOptions } from '@rdx/client';
import type { Logger } from 'pino';
import { InboundAdapter, RecordProblem, UnusableInput } from '../contract';
import { removeLeftovers, writeAtomically } from './atomic-file';

/** How the records of a drop folder are sent: the envelope's defaults, and who is named for a minor. */
export interface SendPolicy {
  tlp: 'clear' | 'green' | 'amber';
  handling: string[];
  /**
   * Participants named for each nationality (`ID` → `ID.KEMLU`): a message about a minor goes
   * `amber+strict` with `H2` to the agencies of its persons' nationalities only, as the sharing
   * policy requires, so they must be named.
   */
  recipientsFor: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_SEND_POLICY: SendPolicy = { tlp: 'amber', handling: [], recipientsFor: {} };

/** What became of one dropped file. */
export interface FileOutcome {
  file: string;
  published: number;
  alreadyPublished: number;
  rejected: number;
  unusable?: string;
}

/**
 * An agency's drop folder: each file put into it is converted, each record signed and published
 * (with the client's retries), and the file moved to `done/` or, with a reason file listing every
 * rejected record, to `rejected/`. A file is taken only once it has not changed for `settleMs`,
 * so one still being written is left alone; hidden files and `*.tmp` / `*.part` are never taken.
 * A record's message id comes from its national reference, so a file taken again after a crash
 * publishes nothing twice: the gateway already holds those ids (409), and they count as published.
 */
export class DropFolder {
  constructor(
    private readonly dir: string,
    private readonly adapter: InboundAdapter,
    private readonly client: RdxClient,
    private readonly log: Logger,
    private readonly settleMs = 2000,
    private readonly policy: SendPolicy = DEFAULT_SEND_POLICY,
  ) {}

  /**
   * The envelope a record goes in: the defaults, or for a minor `amber+strict` and `H2` to the
   * agencies named for its persons' nationalities (a reason instead, when none is named).
   */
  private envelopeFor(data: Record<string, unknown>): SendOptions | string {
    const persons = Array.isArray(data.persons) ? (data.persons as Record<string, unknown>[]) : [];
    if (!persons.some((p) => p.isMinor === true))
      return { tlp: this.policy.tlp, handling: this.policy.handling };
    const countries = [
      ...new Set(
        persons.flatMap((p) => (Array.isArray(p.nationalities) ? (p.nationalities as string[]) : [])),
      ),
    ];
    const to = [...new Set(countries.flatMap((c) => this.policy.recipientsFor[c] ?? []))];
    if (to.length === 0) {
      return `a minor's notification goes only to named agencies of ${countries.join(', ')}: name them with --to-for CC=ID`;
    }
    return { tlp: 'amber+strict', handling: [...new Set([...this.policy.handling, 'H2'])], to };
  }

  /** Takes every settled file once, oldest first. */
  async sweep(stopping: () => boolean = () => false): Promise<FileOutcome[]> {
    await mkdir(join(this.dir, 'done'), { recursive: true });
    await mkdir(join(this.dir, 'rejected'), { recursive: true });
    await removeLeftovers(join(this.dir, 'rejected'));
    const outcomes: FileOutcome[] = [];
    for (const name of await this.settledFiles()) {
      if (stopping()) break;
      outcomes.push(await this.take(name));
    }
    return outcomes;
  }

  private async settledFiles(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    const files: { name: string; mtime: number }[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith('.') || /\.(tmp|part)$/i.test(entry.name)) continue;
      const { mtimeMs } = await stat(join(this.dir, entry.name));
      if (Date.now() - mtimeMs >= this.settleMs) files.push({ name: entry.name, mtime: mtimeMs });
    }
    return files.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name)).map((f) => f.name);
  }

  private async take(name: string): Promise<FileOutcome> {
    const path = join(this.dir, name);
    const outcome: FileOutcome = { file: name, published: 0, alreadyPublished: 0, rejected: 0 };
    const reasons: string[] = [];
    const refuse = (problems: readonly RecordProblem[]) => {
      outcome.rejected++;
      for (const p of problems) reasons.push(`record ${p.record}: field ${p.field}: ${p.reason}`);
    };
    this.log.info({ event: 'file.taken', file: name }, 'converting a dropped file');
    try {
      for await (const converted of this.adapter.convert(path)) {
        if (converted.message === undefined) {
          refuse(converted.problems);
          continue;
        }
        const { type, id, data } = converted.message;
        const envelope = this.envelopeFor(data);
        if (typeof envelope === 'string') {
          outcome.rejected++;
          reasons.push(`case ${String(data.caseRef)}: ${envelope}`);
          continue;
        }
        try {
          const sent = await this.client.publish(type, data, { id, ...envelope });
          outcome.published++;
          this.log.info({ event: 'record.published', file: name, messageId: id, status: sent.status });
        } catch (error) {
          if (error instanceof RdxProblem && error.problem === 'message-conflict') {
            // Published before a crash or a restart: the gateway holds this id already.
            outcome.alreadyPublished++;
            this.log.info({ event: 'record.already-published', file: name, messageId: id });
          } else if (error instanceof RdxInvalidData) {
            outcome.rejected++;
            reasons.push(`case ${String(data.caseRef)}: ${error.message}`);
          } else if (error instanceof RdxProblem) {
            outcome.rejected++;
            reasons.push(
              `case ${String(data.caseRef)}: refused by the gateway: ${error.title} (${error.problem}): ${error.detail}`,
            );
            this.log.warn({ event: 'record.refused', file: name, messageId: id, problem: error.problem });
          } else {
            // Unreachable after the client's retries, or another failure: leave the file for the next sweep.
            throw error;
          }
        }
      }
    } catch (error) {
      if (!(error instanceof UnusableInput)) throw error;
      outcome.unusable = error.message;
      reasons.push(`the file as a whole cannot be used: ${error.message}`);
    }
    const rejected = outcome.unusable !== undefined || outcome.rejected > 0;
    const to = join(this.dir, rejected ? 'rejected' : 'done', name);
    if (rejected) await writeAtomically(`${to}.reasons.txt`, `${reasons.join('\n')}\n`);
    await rename(path, to);
    this.log.info({
      event: rejected ? 'file.rejected' : 'file.done',
      file: name,
      published: outcome.published,
      alreadyPublished: outcome.alreadyPublished,
      rejected: outcome.rejected,
    });
    return outcome;
  }
}
