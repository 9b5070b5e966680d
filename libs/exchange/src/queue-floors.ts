import { MessageRecord, QueueWindow } from '@rdx/persistence';

/**
 * Where routing starts reading each recipient's queue. The queue's index keeps the entries of
 * routed messages until a vacuum, so a read from the start of a recipient's queue walks its whole
 * history (after a fan-out-100 run, 220,000 buffers a read). A floor is an acceptance time below
 * which the recipient's queue holds nothing left to route:
 *
 * - a read at time T that routed everything it found up to acceptance time R leaves nothing
 *   before R that was committed at T; a message committed later was accepted after T − settle,
 *   because a message commits within `settleMs` of its acceptance (time from another process's
 *   clock included). So min(R, T − settle) is a floor, and stays one.
 * - a batch always reads from its own messages' acceptance times as well, so a message committed
 *   later than that (its event, or the stalled-delivery sweeper's, brings it) is still found.
 *
 * Kept per process: each read of a recipient's queue holds the recipient's counter lock, and
 * what another process routes only empties the queue further.
 */
export class QueueFloors {
  private readonly floors = new Map<string, string>();

  constructor(private readonly settleMs: number) {}

  /** The window of each recipient for a batch of messages accepted for it at these times. */
  windows(accepted: readonly { participantId: string; receivedAt: string }[]): Map<string, QueueWindow> {
    const windows = new Map<string, QueueWindow>();
    for (const { participantId, receivedAt } of accepted) {
      const window = windows.get(participantId);
      if (window === undefined) {
        // No floor yet: from the start.
        const floor = this.floors.get(participantId) ?? '';
        windows.set(participantId, { from: floor < receivedAt ? floor : receivedAt, to: receivedAt });
      } else {
        if (receivedAt < window.from) window.from = receivedAt;
        if (receivedAt > window.to) window.to = receivedAt;
      }
    }
    return windows;
  }

  /**
   * Once the batch read at `readAtMs` with these windows has committed, having routed `due` (at
   * most `limit` a recipient: a full list may have left more after its last).
   */
  routed(
    readAtMs: number,
    windows: ReadonlyMap<string, QueueWindow>,
    due: ReadonlyMap<string, readonly MessageRecord[]>,
    limit: number,
  ): void {
    const settled = new Date(readAtMs - this.settleMs).toISOString();
    for (const [participantId, window] of windows) {
      const list = due.get(participantId) ?? [];
      const reached = list.length >= limit ? list[list.length - 1].receivedAt : window.to;
      const floor = reached < settled ? reached : settled;
      if (floor > (this.floors.get(participantId) ?? '')) this.floors.set(participantId, floor);
    }
  }
}
