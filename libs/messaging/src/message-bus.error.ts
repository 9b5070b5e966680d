/** Stable codes of every way a publish can fail. */
export type MessageBusErrorCode =
  /** Not connected (or flow-blocked by the broker): nothing was sent. */
  | 'ERR_BUS_UNAVAILABLE'
  /** `close()` was called: nothing was sent. */
  | 'ERR_BUS_CLOSED'
  /** No queue is bound for the pattern, so the event would have been dropped. */
  | 'ERR_BUS_UNROUTABLE'
  /** The broker refused the event. */
  | 'ERR_BUS_NACKED'
  /** The connection died or the confirm took too long: the event may or may not be stored. */
  | 'ERR_BUS_NOT_CONFIRMED'
  /** The payload cannot be encoded as JSON. */
  | 'ERR_BUS_UNSERIALIZABLE';

/** A failed publish; the caller keeps the outbox row and tries again later, whatever the code. */
export class MessageBusError extends Error {
  constructor(
    readonly code: MessageBusErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MessageBusError';
  }
}
