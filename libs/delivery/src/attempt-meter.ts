import { Inject, Injectable } from '@nestjs/common';
import { AttemptOutcome, Metrics } from '@rdx/telemetry';
import { WebhookTimeoutError } from './pinned-http.client';

/** Counts webhook attempts by subscription and outcome, and times them (`rdx_webhook_attempt*`). */
@Injectable()
export class AttemptMeter {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  /** The endpoint answered with `status` (any 2xx is a success). */
  answered(subscriptionId: string, status: number, startedAt: number): void {
    this.record(subscriptionId, status >= 200 && status < 300 ? 'success' : 'http_error', startedAt);
  }

  /** No answer: the time ran out, or the address was refused, unreachable or dropped the connection. */
  failed(subscriptionId: string, error: unknown, startedAt: number): void {
    this.record(
      subscriptionId,
      error instanceof WebhookTimeoutError ? 'timeout' : 'connection_error',
      startedAt,
    );
  }

  private record(subscription: string, outcome: AttemptOutcome, startedAt: number): void {
    this.metrics.webhookAttempts.inc({ subscription, outcome });
    this.metrics.webhookAttemptDuration.observe({ outcome }, (performance.now() - startedAt) / 1000);
  }
}
