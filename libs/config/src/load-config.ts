import { isAbsolute, resolve } from 'node:path';
import { DatabaseTarget, RdxConfig, Role } from './rdx-config';
import { parseTracing } from './tracing-config';

/** A configuration value that stops the start; the message names the variable, never its secret value. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * RDX_* variables that the gateway does not read but RDX's other tools do: the client and `rdx`
 * command line, the test suite, the fuzz test and the bench. They are not typos.
 */
export const TOOL_VARIABLES: readonly string[] = [
  'RDX_GATEWAY',
  'RDX_PARTICIPANT',
  'RDX_KEY_FILE',
  'RDX_CONFIG',
  'RDX_TEST_DATABASE_URL',
  'RDX_TEST_AMQP_URL',
  'RDX_FUZZ_RUNS',
  'RDX_FUZZ_SEED',
  'RDX_FUZZ_BACKEND',
  'RDX_UPDATE_SCREENSHOTS',
  'RDX_BENCH_DATABASE_URL',
  'RDX_BENCH_AMQP_URL',
];

const ROLES: readonly Role[] = ['api', 'worker'];
/** The schema library's small-cell threshold (DOMAIN.md): statistics may suppress more, never less. */
const MIN_STATISTICS_CELL = 11;
const LOG_LEVELS = ['error', 'warn', 'log', 'debug'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;

/**
 * Reads and validates the RDX_* environment once, into a typed object.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): RdxConfig {
  const known = new Set(TOOL_VARIABLES);
  const read = (name: string): string | undefined => {
    known.add(name);
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw)) throw new ConfigError(name, 'must be a whole number');
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}`);
    return value;
  };
  const path = (value: string): string => (isAbsolute(value) ? value : resolve(cwd, value));

  const gatewayId = read('RDX_GATEWAY_ID') ?? 'rdx-gateway';
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(gatewayId)) {
    throw new ConfigError('RDX_GATEWAY_ID', 'use 1-64 letters, digits, ".", "_", ":" or "-"');
  }
  const adminToken = read('RDX_ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 32) {
    throw new ConfigError('RDX_ADMIN_TOKEN', 'must be at least 32 characters (use a random secret)');
  }
  const metricsToken = read('RDX_METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError('RDX_METRICS_TOKEN', 'must be at least 16 characters');
  }
  const logLevel = read('RDX_LOG_LEVEL') ?? 'log';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('RDX_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const logFormat = read('RDX_LOG_FORMAT') ?? 'json';
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) {
    throw new ConfigError('RDX_LOG_FORMAT', `must be one of ${LOG_FORMATS.join(', ')}`);
  }
  const amqpPrefix = read('RDX_AMQP_PREFIX') ?? 'rdx';
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(amqpPrefix)) {
    throw new ConfigError('RDX_AMQP_PREFIX', 'use lower-case letters, digits, ".", "_" or "-"');
  }

  const statisticsMinCell = int('RDX_STATISTICS_MIN_CELL', MIN_STATISTICS_CELL, 0, 1_000_000);
  if (statisticsMinCell < MIN_STATISTICS_CELL) {
    throw new ConfigError(
      'RDX_STATISTICS_MIN_CELL',
      `can only be raised: at least ${MIN_STATISTICS_CELL}, the small-cell threshold of the aggregate-statistics schema`,
    );
  }

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (raw !== 'true' && raw !== 'false') throw new ConfigError(name, 'must be true or false');
    return raw === 'true';
  };
  const roles = parseRoles(read('RDX_ROLES'));
  const amqpUrl = parseAmqpUrl(read('RDX_AMQP_URL'));
  if (amqpUrl === undefined && roles.length < ROLES.length) {
    throw new ConfigError(
      'RDX_ROLES',
      'the embedded in-process bus runs api and worker in one process; set RDX_AMQP_URL to split them',
    );
  }

  const config: Omit<RdxConfig, 'unknownVariables'> = {
    port: int('RDX_PORT', 8080, 0, 65535),
    host: read('RDX_HOST') ?? '0.0.0.0',
    roles,
    database: parseDatabase(read('RDX_DATABASE_URL') ?? 'sqlite:./data/rdx.sqlite', path),
    amqpUrl,
    amqpPrefix,
    gatewayId,
    gatewayKeyFile: path(read('RDX_GATEWAY_KEY_FILE') ?? './data/gateway-signing-key.json'),
    adminToken,
    metricsToken,
    bodyLimitBytes: int('RDX_BODY_LIMIT', 256 * 1024, 1024, 16 * 1024 * 1024),
    rateLimit: {
      perSecond: int('RDX_RATE_LIMIT', 500, 1, 1_000_000),
      burst: int('RDX_RATE_BURST', 1000, 1, 1_000_000),
    },
    sharingPolicyFile: path(read('RDX_SHARING_POLICY') ?? './config/sharing-policy.json'),
    consoleDir: path(read('RDX_CONSOLE_DIR') ?? './dist/console'),
    clockSkewSeconds: 60,
    messageTimeWindowSeconds: 300,
    outboxSweepAfterMs: int('RDX_OUTBOX_SWEEP_AFTER_MS', 30_000, 100, 3_600_000),
    stalledDeliveryAfterMs: int('RDX_STALLED_DELIVERY_AFTER_MS', 300_000, 100, 86_400_000),
    batchLingerMs: int('RDX_BATCH_LINGER_MS', 8, 0, 100),
    statisticsMinCell,
    housekeepingIntervalMs: int('RDX_HOUSEKEEPING_INTERVAL_MS', 60_000, 100, 86_400_000),
    caseScanIntervalMs: int('RDX_CASE_SCAN_INTERVAL_MS', 30_000, 100, 600_000),
    logLevel: logLevel as RdxConfig['logLevel'],
    logFormat: logFormat as RdxConfig['logFormat'],
    webhooks: {
      retryDelaysSeconds: parseRetryDelays(read('RDX_RETRY_DELAYS')),
      allowPrivate: bool('RDX_WEBHOOK_ALLOW_PRIVATE', false),
      timeoutMs: int('RDX_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      secretOverlapSeconds: int('RDX_WEBHOOK_SECRET_OVERLAP_SECONDS', 86_400, 0, 30 * 86_400),
      breakerThreshold: int('RDX_WEBHOOK_BREAKER_THRESHOLD', 5, 1, 1000),
      breakerOpenMs: int('RDX_WEBHOOK_BREAKER_OPEN_MS', 60_000, 10, 3_600_000),
      pollMs: int('RDX_WEBHOOK_POLL_MS', 200, 10, 3_600_000),
    },
    tracing: parseTracing(env),
  };
  // Every setting has been read above, so what is left is not one.
  const unknownVariables = Object.keys(env)
    .filter((name) => name.startsWith('RDX_') && !known.has(name))
    .sort()
    .map((name) => ({ name, suggestion: closest(name, [...known]) }));
  return { ...config, unknownVariables };
}

/**
 * The known name a mistyped one most likely meant: the nearest by edit distance, if near enough,
 * and among equally near ones the one that ends in the same word (RDX_RATE_LIMIT_BURST:
 * RDX_RATE_BURST rather than RDX_RATE_LIMIT).
 */
function closest(name: string, known: readonly string[]): string | undefined {
  const lastWord = (n: string) => n.slice(n.lastIndexOf('_') + 1);
  const ranked = known
    .map((candidate) => ({
      candidate,
      distance: editDistance(name, candidate),
      sameEnd: lastWord(candidate) === lastWord(name) ? 0 : 1,
    }))
    .sort((a, b) => a.distance - b.distance || a.sameEnd - b.sameEnd);
  const best = ranked[0];
  return best !== undefined && best.distance <= Math.max(2, Math.floor(name.length / 3))
    ? best.candidate
    : undefined;
}

/** Levenshtein distance, with one row of memory. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/**
 * Close to the Standard Webhooks schedule, stretched to about three days: 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h, 24 h, 24 h.
 */
export const DEFAULT_RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000, 86400, 86400];

function parseRetryDelays(raw: string | undefined): number[] {
  if (raw === undefined) return DEFAULT_RETRY_DELAYS_SECONDS;
  const delays = raw.split(',').map((part) => part.trim());
  if (delays.length > 50 || delays.some((d) => !/^\d{1,7}$/.test(d))) {
    throw new ConfigError(
      'RDX_RETRY_DELAYS',
      'must be up to 50 comma-separated whole numbers of seconds, e.g. 5,300,1800',
    );
  }
  return delays.map(Number);
}

function parseRoles(raw: string | undefined): Role[] {
  if (raw === undefined) return [...ROLES];
  const roles = raw.split(',').map((role) => role.trim());
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new ConfigError('RDX_ROLES', `unknown role "${role}"; use api, worker or both`);
    }
  }
  return [...new Set(roles as Role[])];
}

function parseDatabase(raw: string, path: (value: string) => string): DatabaseTarget {
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('RDX_DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url: raw };
  }
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length);
    if (file === '')
      throw new ConfigError('RDX_DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/rdx.sqlite');
    return { kind: 'sqlite', path: file === ':memory:' ? file : path(file) };
  }
  throw new ConfigError('RDX_DATABASE_URL', 'must start with postgres:// or sqlite:');
}

function parseAmqpUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('RDX_AMQP_URL', 'is not a valid URL');
  }
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') {
    throw new ConfigError('RDX_AMQP_URL', 'must start with amqp:// or amqps://');
  }
  return raw;
}
