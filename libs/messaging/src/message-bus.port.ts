/** One event on the bus; `id` is its idempotency id (the AMQP messageId), so consumers can drop duplicates. */
export interface BusEvent {
  readonly pattern: string;
  readonly id: string;
  readonly payload: Record<string, unknown>;
  /** String headers that travel with it (AMQP message headers): W3C trace context, where traced. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The publisher port. Inject it by this class; `MessagingModule` binds the AMQP or the in-process
 * implementation.
 */
export abstract class MessageBus {
  /**
   * Resolves only once the broker has taken responsibility for every event (AMQP: persisted, routed to a
   * durable queue and confirmed; in-process: handled). Rejects with a `MessageBusError` otherwise, and never
   * keeps events in memory to send later: the caller's outbox is the only buffer.
   */
  abstract publish(events: readonly BusEvent[]): Promise<void>;

  /** Whether a publish could succeed now (for /health/ready). */
  abstract isReady(): boolean;

  /** Stops reconnecting and releases the connection; later publishes reject. Idempotent. */
  abstract close(): Promise<void>;
}
