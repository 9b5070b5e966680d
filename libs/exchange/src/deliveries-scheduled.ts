import { Injectable } from '@nestjs/common';

/**
 * Routing tells this process's webhook dispatcher that it has just committed webhook deliveries,
 * and for which subscriptions, so that they go out at once rather than at the dispatcher's next
 * poll. Deliveries scheduled by another process are still found by the poll.
 */
@Injectable()
export class DeliveriesScheduled {
  private readonly listeners = new Set<(subscriptionIds: readonly string[]) => void>();

  /** Calls `listener` after each commit that scheduled deliveries; returns how to stop. */
  listen(listener: (subscriptionIds: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Deliveries of these subscriptions were just committed. */
  notify(subscriptionIds: readonly string[]): void {
    for (const listener of this.listeners) listener(subscriptionIds);
  }
}
