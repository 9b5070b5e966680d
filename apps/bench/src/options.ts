import { resolve } from 'node:path';
import { ROOT } from './child-service';

export interface BenchOptions {
  quick: boolean;
  json: boolean;
  /** Length of each measured saturation and fixed-rate run. */
  seconds: number;
  warmupSeconds: number;
  /** Left out at the start of each run. */
  settleSeconds: number;
  fanoutSeconds: number;
  /** Requests in flight in a saturation run. */
  concurrency: number;
  /** Saturation runs of the baseline and the gateway, taken in turn; the median round counts. */
  rounds: number;
  /** Offered load of the fixed-rate runs and the soak, messages per second. */
  rate: number;
  soakMinutes: number;
  /** Offered load of the soak: below saturation, so that memory is measured in a steady state. */
  soakRate: number;
  /** Stored messages to add before measuring again (0: skip). */
  fill: number;
  /** Rows of the KH register the adapter conversion is measured on (0: skip). */
  adapterRows: number;
  /** Messages of a year whose statistics are timed through the API (0: skip). */
  statisticsMessages: number;
  cpuProf: boolean;
  profileDir: string;
  databaseUrl: string;
  amqpUrl: string;
}

const USAGE = `npm run bench [-- options]
  --quick             about a minute: short runs, no soak, no database growth
  --json              end with one line of JSON (the headline figures)
  --seconds N         length of each measured run (quick 4, full 30)
  --concurrency N     requests in flight when saturating (64)
  --rounds N          saturation runs of baseline and gateway, taken in turn; the ratio is
                      the median round's (quick 1, full 3)
  --rate N            offered load of the fixed-rate runs (1000)
  --soak-minutes N    soak, sampling memory every 5 s (quick 0, full 3)
  --soak-rate N       offered load of the soak, below saturation (300)
  --fill N            stored messages added before measuring again (quick 0, full 1000000)
  --adapter-rows N    rows of the KH register converted by the adapter (quick 20000, full 100000)
  --statistics-messages N
                      a year of messages whose statistics are timed through the API
                      (quick 100000, full 1000000)
  --cpu-prof          write V8 CPU profiles of the gateway's processes to bench/results/profiles/
Services: RDX_BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres),
          RDX_BENCH_AMQP_URL (amqp://guest:guest@127.0.0.1:5672)`;

export function parseOptions(argv: string[]): BenchOptions {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const value = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    if (i === -1) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} needs a number\n${USAGE}`);
    return n;
  };
  const known = [
    '--quick',
    '--json',
    '--seconds',
    '--concurrency',
    '--rounds',
    '--rate',
    '--soak-minutes',
    '--soak-rate',
    '--fill',
    '--adapter-rows',
    '--statistics-messages',
    '--cpu-prof',
    '--help',
  ];
  for (const flag of flags) if (!known.includes(flag)) throw new Error(`unknown option ${flag}\n${USAGE}`);
  if (flags.has('--help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = flags.has('--quick');
  return {
    quick,
    json: flags.has('--json'),
    seconds: value('--seconds', quick ? 4 : 30),
    warmupSeconds: quick ? 2 : 10,
    settleSeconds: quick ? 1 : 3,
    fanoutSeconds: quick ? 3 : 15,
    concurrency: value('--concurrency', 64),
    rounds: Math.max(1, Math.round(value('--rounds', quick ? 1 : 3))),
    rate: value('--rate', 1000),
    soakMinutes: value('--soak-minutes', quick ? 0 : 3),
    soakRate: value('--soak-rate', 300),
    fill: value('--fill', quick ? 0 : 1_000_000),
    adapterRows: Math.round(value('--adapter-rows', quick ? 20_000 : 100_000)),
    statisticsMessages: Math.round(value('--statistics-messages', quick ? 100_000 : 1_000_000)),
    cpuProf: flags.has('--cpu-prof'),
    profileDir: resolve(ROOT, 'bench/results/profiles'),
    databaseUrl: process.env.RDX_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    amqpUrl: process.env.RDX_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  };
}
