import { TracingConfig } from './tracing-config';

/** Which process roles run here: the HTTP API, the routing worker, or both. */
export type Role = 'api' | 'worker';

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };

/** The gateway's whole configuration, validated once at boot (see loadConfig). */
export interface RdxConfig {
  readonly port: number;
  readonly host: string;
  readonly roles: readonly Role[];
  readonly database: DatabaseTarget;
  /** Unset: the embedded in-process bus. */
  readonly amqpUrl: string | undefined;
  /** Prefix of every exchange and queue name, so several deployments (or test runs) share one vhost. */
  readonly amqpPrefix: string;
  readonly gatewayId: string;
  readonly gatewayKeyFile: string;
  readonly adminToken: string | undefined;
  readonly metricsToken: string | undefined;
  readonly bodyLimitBytes: number;
  /** Requests a second each caller may make (token bucket), and the bucket size. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  readonly sharingPolicyFile: string;
  /** The built administrators' console (apps/console), served at /console by API processes. */
  readonly consoleDir: string;
  readonly clockSkewSeconds: number;
  readonly messageTimeWindowSeconds: number;
  /** How long an outbox row may stay unconfirmed before the sweeper publishes it again. */
  readonly outboxSweepAfterMs: number;
  /**
   * How long a recipient's delivery may stay pending, with no event left to carry it, before the
   * message is announced again (for example after its event was dead-lettered).
   */
  readonly stalledDeliveryAfterMs: number;
  /**
   * How long, at most, a publish batch waits for more messages while they keep arriving more often
   * than that (0: never waits). Fewer, larger batches cost less CPU at moderate load.
   */
  readonly batchLingerMs: number;
  /**
   * The smallest count statistics show: counts from 1 to one less are suppressed. At least 11, the
   * aggregate-statistics schema's threshold; it can only be raised.
   */
  readonly statisticsMinCell: number;
  /** How often retention purges and expired token ids are cleaned up. */
  readonly housekeepingIntervalMs: number;
  /** How often reply deadlines and message expiries that have passed are looked for and acted on. */
  readonly caseScanIntervalMs: number;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** JSON objects, one a line (for a log shipper), or pretty lines for a person at a terminal. */
  readonly logFormat: 'json' | 'pretty';
  readonly webhooks: {
    /** Seconds between attempts; the delivery fails after the last. */
    readonly retryDelaysSeconds: readonly number[];
    /** Plain http and loopback or private addresses (for a closed network, or tests). */
    readonly allowPrivate: boolean;
    readonly timeoutMs: number;
    /** How long a rotated-out secret still signs, beside the new one. */
    readonly secretOverlapSeconds: number;
    /** Consecutive failures that open an endpoint's circuit, and how long it stays open. */
    readonly breakerThreshold: number;
    readonly breakerOpenMs: number;
    /** How often an idle dispatcher looks for due deliveries (its own routing wakes it at once). */
    readonly pollMs: number;
  };
  /** OpenTelemetry tracing (OTEL_* variables): off unless an OTLP endpoint is set. */
  readonly tracing: TracingConfig;
  /** RDX_* variables in the environment that no part of RDX reads: typos, logged at start. */
  readonly unknownVariables: readonly { name: string; suggestion?: string }[];
}
