import type { AdapterConversion } from './adapter-conversion';
import type { StatisticsScale } from './statistics-scale';
import { cpus, totalmem } from 'node:os';
import { Pool } from 'pg';
import { BenchOptions } from './options';
import { PhaseResult } from './phases';
import { round } from './process-meter';

export async function machine(pool: Pool) {
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: rows[0].server_version,
    platform: `${process.platform} ${process.arch}`,
  };
}

interface Inputs {
  options: BenchOptions;
  machine: Awaited<ReturnType<typeof machine>>;
  world: { participants: number; subscriptions: number };
  /** The saturation runs at fan-out 1, in the order they ran. */
  rounds: SaturationRound[];
  baselineAtRate?: PhaseResult;
  gatewayAtRate: PhaseResult;
  gatewayAtHalf: PhaseResult;
  /** The database once the simulated world is registered, before any message. */
  seededBytes: number;
  fanout: PhaseResult[];
  phases: PhaseResult[];
  soak?: {
    minutes: number;
    apiRssDriftPercent: number;
    workerRssDriftPercent: number;
    samples: { atSeconds: number; apiRssMiB: number; workerRssMiB: number }[];
    phases: PhaseResult[];
  };
  dbGrowth?: {
    messages: number;
    messagesBefore: number;
    beforeBytes: number;
    filledBytes: number;
    saturated: PhaseResult;
    atRate: PhaseResult;
  };
  /** The KH adapter converting a generated register, beside csv-parse alone. */
  adapter?: AdapterConversion;
  /** GET /v1/statistics over a year of messages' facts. */
  statistics?: StatisticsScale;
  elapsedSeconds: number;
}

/** What a pipeline sustains: messages both accepted and routed into every inbox, per second. */
const sustained = (r: PhaseResult) => Math.min(r.acceptedPerSec, r.routedPerSec);

/** A saturation run of the baseline and one of the gateway, taken one right after the other. */
/**
 * How much resident memory grew over a soak, in percent: the median of its last minute against
 * the lowest median of any whole minute after the first (the warm-up). A fall is not growth and
 * counts as none: the first full collection may come minutes in, and measured from the minute
 * before it, memory that stays flat afterwards looked like a 20 % fall. Growth shows whenever it
 * lasts, however the collections swing.
 */
export function rssGrowthPercent(samples: readonly { atSeconds: number; value: number }[]): number {
  const median = (from: number, to: number) => {
    const values = samples
      .filter((s) => s.atSeconds > from && s.atSeconds <= to)
      .map((s) => s.value)
      .sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)];
  };
  const end = samples.at(-1)?.atSeconds ?? 0;
  const last = median(end - 60, end);
  if (last === undefined || end < 120) return 0;
  let floor = last;
  for (let from = 60; from + 60 <= end; from += 60) floor = Math.min(floor, median(from, from + 60) ?? floor);
  return round((100 * (last - floor)) / floor);
}

export interface SaturationRound {
  baseline: PhaseResult;
  gateway: PhaseResult;
}

const roundRatio = (r: SaturationRound) => sustained(r.gateway) / Math.max(1, sustained(r.baseline));

/**
 * The round whose ratio is the median (of an even count, the lower of the middle two). A machine
 * shared with others changes speed from one minute to the next, by half on the machines this
 * bench was written on: the two runs of a round are next to each other in time, so their ratio
 * holds where their absolute figures do not, and the median leaves out a round a neighbour spoilt.
 */
export function medianRound(rounds: readonly SaturationRound[]): SaturationRound {
  if (rounds.length === 0) throw new Error('no saturation round was run');
  const sorted = [...rounds].sort((a, b) => roundRatio(a) - roundRatio(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export interface Summary {
  headline: Record<string, unknown> & { lost: number };
  full: Record<string, unknown>;
  text: string;
}

export function summarise(inputs: Inputs): Summary {
  const { gateway, baseline } = medianRound(inputs.rounds);
  const allPhases = [
    ...inputs.phases,
    ...(inputs.soak?.phases ?? []),
    ...(inputs.dbGrowth ? [inputs.dbGrowth.saturated, inputs.dbGrowth.atRate] : []),
  ];
  const lost = allPhases.reduce((n, p) => n + p.lost, 0);
  const fanoutCost = inputs.fanout.map((p) => ({
    lane: p.lanes,
    acceptedPerSec: p.acceptedPerSec,
    deliveriesPerSec: p.deliveriesPerSec,
    cpuMsPerDelivery: p.cpuMsPerDelivery,
    publishToInboxP99Ms: p.publishToInboxMs.p99,
  }));
  const headline = {
    mode: inputs.options.quick ? 'quick' : 'full',
    acceptedPerSec: gateway.acceptedPerSec,
    routedPerSec: gateway.routedPerSec,
    publishTo202P99Ms: inputs.gatewayAtRate.publishTo202Ms.p99,
    publishToInboxP50Ms: inputs.gatewayAtRate.publishToInboxMs.p50,
    publishToInboxP99Ms: inputs.gatewayAtRate.publishToInboxMs.p99,
    publishToWebhookP99Ms: inputs.gatewayAtRate.publishToWebhookMs?.p99 ?? null,
    offeredPerSec: inputs.options.rate,
    halfLoadPerSec: inputs.gatewayAtHalf.offeredPerSec,
    halfLoadPublishToInboxP50Ms: inputs.gatewayAtHalf.publishToInboxMs.p50,
    halfLoadPublishToInboxP99Ms: inputs.gatewayAtHalf.publishToInboxMs.p99,
    halfLoadPublishToWebhookP99Ms: inputs.gatewayAtHalf.publishToWebhookMs?.p99 ?? null,
    baselinePerSec: sustained(baseline),
    gatewayPerSec: sustained(gateway),
    ratio: round(roundRatio({ gateway, baseline }), 2),
    ratioRounds: inputs.rounds.map((r) => round(roundRatio(r), 2)),
    fanout: fanoutCost,
    ...(inputs.soak
      ? {
          soakMinutes: inputs.soak.minutes,
          soakRssDriftPercent: [inputs.soak.apiRssDriftPercent, inputs.soak.workerRssDriftPercent].reduce(
            (a, b) => (Math.abs(b) > Math.abs(a) ? b : a),
          ),
        }
      : {}),
    seededDatabaseMiB: mib(inputs.seededBytes),
    ...(inputs.dbGrowth
      ? {
          filledDatabaseMiB: mib(inputs.dbGrowth.filledBytes),
          filledMessages: inputs.dbGrowth.messages + inputs.dbGrowth.messagesBefore,
          filledAcceptedPerSec: inputs.dbGrowth.saturated.acceptedPerSec,
          filledRoutedPerSec: inputs.dbGrowth.saturated.routedPerSec,
          filledPublishToInboxP99Ms: inputs.dbGrowth.atRate.publishToInboxMs.p99,
        }
      : {}),
    ...(inputs.adapter
      ? {
          adapterRecordsPerSec: inputs.adapter.recordsPerSec,
          adapterParseRatio: inputs.adapter.ratio,
          adapterPeakRssMiB: inputs.adapter.peakRssMiB,
        }
      : {}),
    ...(inputs.statistics
      ? {
          statisticsMessages: inputs.statistics.messages,
          statisticsSlowestMedianMs: inputs.statistics.slowestMedianMs,
        }
      : {}),
    lost,
    cores: inputs.machine.cores,
  };
  const line = (p: PhaseResult) =>
    `  ${p.system.padEnd(8)} ${p.name.padEnd(36)} accepted ${String(p.acceptedPerSec).padStart(5)}/s  routed ${String(p.routedPerSec).padStart(5)}/s  deliveries ${String(p.deliveriesPerSec).padStart(6)}/s  202 p50/p99 ${p.publishTo202Ms.p50}/${p.publishTo202Ms.p99} ms  inbox p50/p99 ${p.publishToInboxMs.p50}/${p.publishToInboxMs.p99} ms${p.publishToWebhookMs ? `  webhook p50/p99 ${p.publishToWebhookMs.p50}/${p.publishToWebhookMs.p99} ms` : ''}  lost ${p.lost}`;
  const text = [
    `RDX bench, ${headline.mode}, ${inputs.machine.cores} cores (${inputs.machine.cpu}), node ${inputs.machine.node}, PostgreSQL ${inputs.machine.postgres}`,
    `${inputs.world.participants} participants, ${inputs.world.subscriptions} subscriptions, ${inputs.elapsedSeconds} s`,
    ...allPhases.map(line),
    `  gateway sustains ${headline.gatewayPerSec}/s, baseline ${headline.baselinePerSec}/s: ratio ${headline.ratio}${inputs.rounds.length > 1 ? ` (the median of ${headline.ratioRounds.join(', ')})` : ''}`,
    ...(inputs.soak
      ? [
          `  soak ${inputs.soak.minutes} min: RSS growth api ${inputs.soak.apiRssDriftPercent} %, worker ${inputs.soak.workerRssDriftPercent} %`,
        ]
      : []),
    ...(inputs.dbGrowth
      ? [
          `  database ${mib(inputs.seededBytes)} MiB with no message, ${mib(inputs.dbGrowth.beforeBytes)} MiB with ${inputs.dbGrowth.messagesBefore.toLocaleString('en')}, ${mib(inputs.dbGrowth.filledBytes)} MiB with ${(inputs.dbGrowth.messages + inputs.dbGrowth.messagesBefore).toLocaleString('en')}`,
        ]
      : []),
    ...(inputs.adapter
      ? [
          `  adapter: a KH register of ${inputs.adapter.records.toLocaleString('en')} rows converted at ${inputs.adapter.recordsPerSec}/s (csv-parse alone ${inputs.adapter.parseRecordsPerSec}/s: ratio ${inputs.adapter.ratio}), peak RSS ${inputs.adapter.peakRssMiB} MiB`,
        ]
      : []),
    ...(inputs.statistics
      ? [
          `  statistics over a year of ${inputs.statistics.messages.toLocaleString('en')} messages (${inputs.statistics.factRows.toLocaleString('en')} fact rows, summed in ${inputs.statistics.summedRows.toLocaleString('en')}): median ${inputs.statistics.queries.map((q) => `${q.name} ${q.medianMs} ms`).join(', ')}`,
        ]
      : []),
  ].join('\n');
  const { rounds, ...rest } = inputs;
  const full = {
    headline,
    ...rest,
    baselineSaturated: baseline,
    gatewaySaturated: gateway,
    rounds: rounds.map((r, i) => ({
      baselinePerSec: sustained(r.baseline),
      gatewayPerSec: sustained(r.gateway),
      ratio: headline.ratioRounds[i],
    })),
    phases: allPhases,
  };
  return { headline, full, text };
}

const mib = (bytes: number) => round(bytes / 2 ** 20, 0);

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A self-contained SVG of the headline: throughput beside the baseline, fan-out cost, latency. */
export function renderChart(full: Record<string, unknown>): string {
  const h = full.headline as {
    gatewayPerSec: number;
    baselinePerSec: number;
    ratio: number;
    publishToInboxP50Ms: number;
    publishToInboxP99Ms: number;
    publishTo202P99Ms: number;
    publishToWebhookP99Ms: number | null;
    offeredPerSec: number;
    halfLoadPerSec?: number;
    halfLoadPublishToInboxP50Ms?: number;
    halfLoadPublishToInboxP99Ms?: number;
    fanout: { lane: string; deliveriesPerSec: number; cpuMsPerDelivery: number }[];
  };
  const panels: { title: string; unit: string; bars: [string, number][] }[] = [
    {
      title: `Sustained throughput (ratio ${h.ratio})`,
      unit: 'msg/s',
      bars: [
        ['baseline', h.baselinePerSec],
        ['RDX gateway', h.gatewayPerSec],
      ],
    },
    {
      title: `Latency at ${h.offeredPerSec} msg/s offered`,
      unit: 'ms',
      bars: [
        ['publish→202 p99', h.publishTo202P99Ms],
        ['publish→inbox p50', h.publishToInboxP50Ms],
        ['publish→inbox p99', h.publishToInboxP99Ms],
        ...(h.publishToWebhookP99Ms === null
          ? []
          : ([['publish→webhook p99', h.publishToWebhookP99Ms]] as [string, number][])),
      ],
    },
    ...(h.halfLoadPerSec === undefined
      ? []
      : [
          {
            title: `Latency at ${h.halfLoadPerSec} msg/s offered (half the gateway's saturation)`,
            unit: 'ms',
            bars: [
              ['publish→inbox p50', h.halfLoadPublishToInboxP50Ms ?? NaN],
              ['publish→inbox p99', h.halfLoadPublishToInboxP99Ms ?? NaN],
            ] as [string, number][],
          },
        ]),
    {
      title: 'Fan-out: CPU per inbox delivery',
      unit: 'ms',
      bars: h.fanout.map((f) => [f.lane.replace('fanout-', 'fan-out '), f.cpuMsPerDelivery]),
    },
  ];
  const width = 720;
  const rowHeight = 24;
  let y = 10;
  const parts: string[] = [];
  for (const panel of panels) {
    y += 24;
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escape(panel.title)}</text>`);
    const max = Math.max(...panel.bars.map(([, v]) => (Number.isFinite(v) ? v : 0)), 1e-9);
    for (const [label, value] of panel.bars) {
      y += rowHeight;
      const w = Number.isFinite(value) ? Math.max(1, (value / max) * 420) : 0;
      parts.push(
        `<text x="10" y="${y}">${escape(label)}</text>`,
        `<rect x="180" y="${y - 14}" width="${round(w)}" height="16" fill="${label === 'baseline' ? '#9aa5b1' : '#2b6cb0'}"/>`,
        `<text x="${round(186 + w)}" y="${y}">${value} ${panel.unit}</text>`,
      );
    }
    y += 10;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="sans-serif" font-size="13">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
