import { ChildProcess } from 'node:child_process';
import { Lane, LaneName, World } from './bench-world';
import { LoadRun, RunResult, SentRecord } from './load-generator';
import { ProcessMeter, round, Usage } from './process-meter';
import { InboxRow, System } from './systems';

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted.length === 0
      ? NaN
      : round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)], 2);
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

export interface PhaseSpec {
  name: string;
  system: System;
  lanes: { lane: LaneName; share: number }[];
  mode: 'saturate' | 'rate';
  concurrency?: number;
  rate?: number;
  durationMs: number;
  /** Left out of the figures at the start of the run (the system settles). */
  settleMs: number;
}

export interface PhaseResult {
  name: string;
  system: string;
  mode: string;
  offeredPerSec?: number;
  concurrency?: number;
  lanes: string;
  seconds: number;
  sent: number;
  accepted: number;
  refused: number;
  acceptedPerSec: number;
  /** Messages in the inbox of every recipient, per second. */
  routedPerSec: number;
  /** Inbox rows written per second (a message to 10 recipients is 10). */
  deliveriesPerSec: number;
  publishTo202Ms: Percentiles;
  publishToInboxMs: Percentiles;
  publishToWebhookMs?: Percentiles;
  /** Accepted messages missing from an expected inbox once the system had drained: must be 0. */
  lost: number;
  /** Per process: share of one core while the load ran, and resident memory at its end. */
  processes: Record<string, { cpuPercent: number; rssMiB: number }>;
  /** CPU of every process but the load generator, per delivered inbox row, load and drain included. */
  cpuMsPerDelivery: number;
  exhausted: boolean;
  firstRefusal?: string;
}

/** Talks to the load-generating process over IPC, one command at a time. */
export class LoadGenerator {
  constructor(private readonly child: ChildProcess) {}

  ask<T>(command: object): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: { op: string; message?: string }) => {
        this.child.off('exit', onExit);
        if (message.op === 'error') reject(new Error(`load generator: ${message.message}`));
        else resolve(message as T);
      };
      const onExit = (code: number) => reject(new Error(`the load generator exited (${code})`));
      this.child.once('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(command);
    });
  }
}

export interface PhaseContext {
  world: World;
  loadGenerator: LoadGenerator;
  meter: ProcessMeter;
  /** Names of the processes that are not the system under test's (the load generator's). */
  loadProcess: string;
  log: (line: string) => void;
}

const expectedRecipients = (world: World) => {
  const bySource = new Map<string, string[]>();
  for (const lane of Object.values(world.lanes))
    for (const p of lane.publishers) bySource.set(p.id, p.recipients);
  return bySource;
};

async function drain(
  ctx: PhaseContext,
  system: System,
  records: SentRecord[],
  webhookIds: Set<string>,
): Promise<{ routedAt: Map<string, number>; rows: number; lost: number; hooks: Map<string, number> }> {
  const bySource = expectedRecipients(ctx.world);
  const accepted = records.filter((r) => r.status === 202);
  const expected = accepted.reduce((n, r) => n + bySource.get(r.source)!.length, 0);
  const ids = accepted.map((r) => r.id);
  const deadline = Date.now() + 180_000;
  const delivered = (list: InboxRow[]) => list.reduce((n, row) => n + row.recipients, 0);
  let rows = await system.inboxRows(ids);
  while (delivered(rows) < expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    rows = await system.inboxRows(ids);
  }
  let hooks = new Map<string, number>();
  const wantHooks = accepted.filter((r) => webhookIds.has(r.source)).map((r) => r.id);
  while (wantHooks.length > 0 && Date.now() < deadline) {
    hooks = new Map(
      (await ctx.loadGenerator.ask<{ arrivals: [string, number][] }>({ op: 'webhooks' })).arrivals,
    );
    if (wantHooks.every((id) => hooks.has(id))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const routedAt = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    seen.set(row.messageId, row.recipients);
    routedAt.set(row.messageId, row.lastAt);
  }
  let lost = 0;
  for (const r of accepted) {
    const want = bySource.get(r.source)!.length;
    const have = seen.get(r.id) ?? 0;
    if (have < want) {
      lost += want - have;
      routedAt.delete(r.id);
    }
  }
  lost += wantHooks.filter((id) => !hooks.has(id)).length;
  return { routedAt, rows: delivered(rows), lost, hooks };
}

/** Runs one load against one system, waits until everything accepted has arrived, and measures. */
export async function runPhase(ctx: PhaseContext, spec: PhaseSpec): Promise<PhaseResult> {
  const lanes = spec.lanes.map(({ lane, share }) => ({ lane: ctx.world.lanes[lane] as Lane, share }));
  const budget = Math.ceil(((spec.rate ?? 4_000) * spec.durationMs) / 1000) + 1_000;
  const command: LoadRun = {
    op: 'prepare',
    target: spec.system.postUrl,
    lanes,
    mode: spec.mode,
    concurrency: spec.concurrency ?? 0,
    rate: spec.rate ?? 0,
    durationMs: spec.durationMs,
    budget,
  };
  // The baseline has no webhooks: its webhook-lane messages end in the recipient's inbox.
  const webhookPublishers = new Set(
    spec.system.name === 'gateway' ? ctx.world.lanes.webhook.publishers.map((p) => p.id) : [],
  );
  await ctx.loadGenerator.ask(command);
  const before = ctx.meter.sample();
  const { result } = await ctx.loadGenerator.ask<{ result: RunResult }>({ op: 'run' });
  const afterLoad = ctx.meter.sample();
  const loadSeconds = (result.endedAt - result.startedAt) / 1000;
  const drained = await drain(ctx, spec.system, result.records, webhookPublishers);
  const afterDrain = ctx.meter.sample();

  const from = result.startedAt + spec.settleMs;
  const to = result.endedAt;
  const window = (to - from) / 1000;
  const inWindow = (t: number | undefined) => t !== undefined && t >= from && t <= to;
  const measured = result.records.filter((r) => r.sentAt >= from);
  const accepted = result.records.filter((r) => r.status === 202);
  const routedTimes = [...drained.routedAt.values()];
  const bySource = expectedRecipients(ctx.world);
  let deliveries = 0;
  for (const r of accepted)
    if (inWindow(drained.routedAt.get(r.id))) deliveries += bySource.get(r.source)!.length;

  const cpuSeconds = (a: Record<string, Usage>, b: Record<string, Usage>) =>
    Object.keys(b)
      .filter(
        (name) =>
          name !== ctx.loadProcess &&
          !name.startsWith(spec.system.name === 'gateway' ? 'baseline' : 'gateway'),
      )
      .reduce((sum, name) => sum + (b[name].cpuSeconds - (a[name]?.cpuSeconds ?? 0)), 0);

  const webhookLatencies = measured
    .filter((r) => r.status === 202 && drained.hooks.has(r.id))
    .map((r) => drained.hooks.get(r.id)! - r.sentAt);

  return {
    name: spec.name,
    system: spec.system.name,
    mode: spec.mode,
    ...(spec.mode === 'rate' ? { offeredPerSec: spec.rate } : { concurrency: spec.concurrency }),
    lanes: spec.lanes.map((l) => l.lane).join('+'),
    seconds: round(loadSeconds),
    sent: result.records.length,
    accepted: accepted.length,
    refused: result.records.length - accepted.length,
    acceptedPerSec: round(accepted.filter((r) => inWindow(r.answeredAt)).length / window, 0),
    routedPerSec: round(routedTimes.filter(inWindow).length / window, 0),
    deliveriesPerSec: round(deliveries / window, 0),
    publishTo202Ms: percentiles(measured.filter((r) => r.status === 202).map((r) => r.answeredAt - r.sentAt)),
    publishToInboxMs: percentiles(
      measured.filter((r) => drained.routedAt.has(r.id)).map((r) => drained.routedAt.get(r.id)! - r.sentAt),
    ),
    ...(webhookLatencies.length > 0 ? { publishToWebhookMs: percentiles(webhookLatencies) } : {}),
    lost: drained.lost,
    processes: ProcessMeter.between(before, afterLoad, loadSeconds),
    cpuMsPerDelivery: round((1000 * cpuSeconds(before, afterDrain)) / Math.max(1, drained.rows), 3),
    exhausted: result.exhausted,
    ...(result.firstRefusal === undefined ? {} : { firstRefusal: result.firstRefusal }),
  };
}
