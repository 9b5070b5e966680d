/** How to reach RabbitMQ and name the topology. */
export interface AmqpOptions {
  /** `amqp://user:pass@host:port/vhost`; add `?heartbeat=15` to notice a silent network loss sooner. */
  url: string;
  /** Prefix of every exchange and queue, so several deployments (or test runs) share one vhost. */
  prefix: string;
  /** Unacknowledged deliveries one consumer may hold at once (the most a routing batch can hold). Default 256. */
  prefetch?: number;
  /** Deliveries after which the quorum queue dead-letters a message. Default 10. */
  deliveryLimit?: number;
  /** Waits between reconnection attempts; the last one repeats. Default 100 ms doubling to 5 s. */
  reconnectDelaysMs?: number[];
  /** How long a failed delivery is held before it is requeued, by delivery count; the last one repeats. */
  handlerRetryDelaysMs?: number[];
  /** How long a publish waits for the broker's confirms before it gives up. Default 30 s. */
  confirmTimeoutMs?: number;
}

export type ResolvedAmqpOptions = Required<AmqpOptions>;

const DEFAULTS = {
  prefetch: 256,
  deliveryLimit: 10,
  reconnectDelaysMs: [100, 200, 400, 800, 1600, 3200, 5000],
  // Grows so that a database outage neither spins nor burns the delivery limit within seconds.
  handlerRetryDelaysMs: [250, 500, 1000, 2000, 4000, 8000, 15000, 30000],
  confirmTimeoutMs: 30_000,
} satisfies Omit<ResolvedAmqpOptions, 'url' | 'prefix'>;

/** Fills in defaults and refuses values that would only fail later and more obscurely. */
export function resolveAmqpOptions(options: AmqpOptions): ResolvedAmqpOptions {
  const resolved: ResolvedAmqpOptions = {
    ...DEFAULTS,
    ...stripUndefined(options),
    url: options.url,
    prefix: options.prefix,
  };
  if (!/^amqps?:\/\//.test(resolved.url))
    throw new Error('AmqpOptions.url must be an amqp:// or amqps:// URL');
  if (!/^[A-Za-z0-9._-]+$/.test(resolved.prefix)) {
    throw new Error('AmqpOptions.prefix must be non-empty and use only letters, digits, ".", "_" and "-"');
  }
  for (const key of ['prefetch', 'deliveryLimit', 'confirmTimeoutMs'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1)
      throw new Error(`AmqpOptions.${key} must be a positive integer`);
  }
  for (const key of ['reconnectDelaysMs', 'handlerRetryDelaysMs'] as const) {
    const delays = resolved[key];
    if (delays.length === 0 || delays.some((ms) => !Number.isFinite(ms) || ms < 0)) {
      throw new Error(`AmqpOptions.${key} must be a non-empty list of non-negative numbers`);
    }
  }
  return resolved;
}

/** The broker's address for logs: never the credentials. */
export function describeBroker(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname || '/'}`;
  } catch {
    return '(unparseable url)';
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
