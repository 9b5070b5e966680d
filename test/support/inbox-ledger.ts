import { TestAgency } from '@rdx/testing';
import { GatewayClient } from './gateway-client';

export interface InboxItem {
  seq: number;
  cursor: string;
  messageId: string;
  source: string;
  type: string;
  receivedAt: string;
  message: string;
}

/**
 * What each agency has pulled from its inbox so far. Each agency reads on from its own cursor, as a
 * real client does, so that a suite publishing many messages does not read every inbox from the start
 * after each one.
 */
export class InboxLedger {
  private readonly cursors = new Map<string, string>();
  private readonly items = new Map<string, InboxItem[]>();

  constructor(
    private readonly client: GatewayClient,
    private readonly agencies: readonly TestAgency[],
  ) {
    for (const agency of agencies) this.items.set(agency.id, []);
  }

  /** Pulls what is new in `agency`'s inbox. */
  async refresh(agency: TestAgency): Promise<void> {
    for (;;) {
      const page = await this.client.inbox(agency, this.cursors.get(agency.id), 500);
      if (page.status !== 200)
        throw new Error(`inbox of ${agency.id}: ${page.status} ${JSON.stringify(page.body)}`);
      const items = page.body.items as InboxItem[];
      if (items.length === 0) return;
      this.items.get(agency.id)!.push(...items);
      this.cursors.set(agency.id, page.body.next as string);
    }
  }

  async refreshAll(): Promise<void> {
    await Promise.all(this.agencies.map((agency) => this.refresh(agency)));
  }

  /** Every item `id` has pulled, in inbox order. */
  itemsOf(id: string): InboxItem[] {
    return this.items.get(id) ?? [];
  }

  /** The agencies whose inbox holds `messageId`, in cast order; one entry per copy. */
  holders(messageId: string): string[] {
    return this.agencies.flatMap((agency) =>
      this.itemsOf(agency.id)
        .filter((item) => item.messageId === messageId)
        .map(() => agency.id),
    );
  }

  /**
   * Waits until every one of `recipients` has `messageId` in its inbox (routing is asynchronous), then
   * reads every other inbox too, and returns who holds it. The worker writes a message into all its
   * recipients' inboxes in one transaction, so once the recipients have it, nobody else will get it later
   * from the same routing.
   */
  async awaitDelivery(messageId: string, recipients: readonly string[], ms = 20000): Promise<string[]> {
    const deadline = Date.now() + ms;
    const waiting = this.agencies.filter((a) => recipients.includes(a.id));
    for (;;) {
      await Promise.all(waiting.map((agency) => this.refresh(agency)));
      const missing = waiting.filter((a) => !this.itemsOf(a.id).some((item) => item.messageId === messageId));
      if (missing.length === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await this.refreshAll();
    return this.holders(messageId);
  }

  /** Waits until each message is in the inbox of each of its recipients, or `ms` has passed. */
  async awaitAll(routed: ReadonlyMap<string, readonly string[]>, ms = 20000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      await this.refreshAll();
      const complete = [...routed].every(([messageId, recipients]) =>
        recipients.every((id) => this.itemsOf(id).some((item) => item.messageId === messageId)),
      );
      if (complete || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
