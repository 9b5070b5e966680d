import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const GAUGES_NAMED_LIKE_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** The queues between acceptance and the inboxes, and the audit chainer's. */
export type QueueName = 'outbox' | 'routing' | 'audit';

/** What became of one webhook attempt. */
export type AttemptOutcome = 'success' | 'http_error' | 'timeout' | 'connection_error';

/**
 * The Prometheus registry of this process and every RDX series in it, named per Prometheus'
 * conventions (base units, `_total` for counters). Labels carry only bounded values from the
 * registry and the catalogue (message types, countries, problem types, subscription and
 * participant ids), never anything a message says. docs/operations.md lists what each answers.
 *
 * Series read from the database (queues, deliveries, keys) are the same on every instance: a
 * dashboard takes their `max`, not their `sum`.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'rdx_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly messagesAccepted = new Counter({
    name: 'rdx_messages_accepted_total',
    help: 'Messages accepted (stored, 202), by message type and source country',
    labelNames: ['type', 'source_country'] as const,
    registers: [this.registry],
  });

  readonly messagesRefused = new Counter({
    name: 'rdx_messages_refused_total',
    help: 'Messages refused, by message type ("unknown" outside the catalogue), source country ("unknown" when the signer is not known) and problem type',
    labelNames: ['type', 'source_country', 'problem'] as const,
    registers: [this.registry],
  });

  readonly publishDuration = new Histogram({
    name: 'rdx_publish_duration_seconds',
    help: 'POST /v1/messages from request to answer, by outcome (accepted, replayed, refused)',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly publishToInbox = new Histogram({
    name: 'rdx_publish_to_inbox_seconds',
    help: 'From a message being accepted to its entry in a recipient inbox being committed (one a recipient), by message type',
    labelNames: ['type'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly queueEntries = new Gauge({
    name: 'rdx_queue_entries',
    help: 'Entries waiting in a queue of the gateway: outbox events (a batch of messages each), routing (a message for one recipient each), audit (an act each); counted up to 100000',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly queueOldestAge = new Gauge({
    name: 'rdx_queue_oldest_entry_age_seconds',
    help: 'Age of the oldest entry waiting in a queue of the gateway (0 when empty)',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Gauge({
    name: 'rdx_webhook_deliveries',
    help: 'Webhook deliveries not delivered, by subscription, its participant and state (pending, retrying, failed)',
    labelNames: ['subscription', 'participant', 'state'] as const,
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'rdx_webhook_attempts_total',
    help: 'Webhook attempts by subscription and outcome (success, http_error, timeout, connection_error)',
    labelNames: ['subscription', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookAttemptDuration = new Histogram({
    name: 'rdx_webhook_attempt_duration_seconds',
    help: 'Webhook attempts from request to response, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly circuitBreakersOpen = new Gauge({
    name: 'rdx_webhook_circuit_breakers_open',
    help: 'Webhook endpoints whose circuit breaker is open in this worker',
    registers: [this.registry],
  });

  readonly deadlinesMissed = new Counter({
    name: 'rdx_reply_deadlines_missed_total',
    help: 'Request recipients that had not replied by the deadline (each sent a notice), by request type and recipient country',
    labelNames: ['type', 'recipient_country'] as const,
    registers: [this.registry],
  });

  readonly databaseUp = new Gauge({
    name: 'rdx_database_up',
    help: '1 when the database answers',
    registers: [this.registry],
  });

  readonly databasePool = new Gauge({
    name: 'rdx_database_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting: requests waiting for one)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly brokerUp = new Gauge({
    name: 'rdx_broker_up',
    help: "1 when this process's link to the broker is up, by link (publisher, consumer)",
    labelNames: ['link'] as const,
    registers: [this.registry],
  });

  readonly keyExpiry = new Gauge({
    name: 'rdx_participant_key_expiry_seconds',
    help: 'Seconds until the soonest active signing key of a participant expires (participants whose keys all expire)',
    labelNames: ['participant'] as const,
    registers: [this.registry],
  });

  constructor() {
    // The runtime's own series under their usual names (process_*, nodejs_*), for the usual dashboards.
    collectDefaultMetrics({ register: this.registry });
    // But for three gauges named like counters, which Prometheus' conventions (and promtool) refuse:
    // their totals are the sums of nodejs_active_handles, _requests and _resources, kept.
    for (const name of GAUGES_NAMED_LIKE_COUNTERS) this.registry.removeSingleMetric(name);
  }
}
