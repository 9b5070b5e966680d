import { Executor } from '../database';
import { SubscriptionRecord } from '../records';

type Row = {
  id: string;
  participant_id: string;
  types: string;
  filter_sources: string | null;
  purpose: string | null;
  delivery_mode: SubscriptionRecord['deliveryMode'];
  webhook_url: string | null;
  created_at: string;
};

const toRecord = (row: Row): SubscriptionRecord => ({
  id: row.id,
  participantId: row.participant_id,
  types: JSON.parse(row.types) as string[],
  filterSources: row.filter_sources === null ? null : (JSON.parse(row.filter_sources) as string[]),
  purpose: row.purpose,
  deliveryMode: row.delivery_mode,
  webhookUrl: row.webhook_url,
  createdAt: row.created_at,
});

/** Standing requests to receive messages of some types. */
export class SubscriptionsRepository {
  async insert(ex: Executor, s: SubscriptionRecord): Promise<void> {
    await ex.execute(
      `INSERT INTO subscriptions (id, participant_id, types, filter_sources, purpose, delivery_mode, webhook_url, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        s.id,
        s.participantId,
        JSON.stringify(s.types),
        s.filterSources === null ? null : JSON.stringify(s.filterSources),
        s.purpose,
        s.deliveryMode,
        s.webhookUrl,
        s.createdAt,
      ],
    );
    await ex.execute(
      `INSERT INTO subscription_types (subscription_id, type) VALUES ${s.types.map(() => '(?, ?)').join(', ')}`,
      s.types.flatMap((type) => [s.id, type]),
    );
  }

  async listByParticipant(ex: Executor, participantId: string): Promise<SubscriptionRecord[]> {
    const rows = await ex.query<Row>(
      'SELECT * FROM subscriptions WHERE participant_id = ? ORDER BY created_at, id',
      [participantId],
    );
    return rows.map(toRecord);
  }

  /** Deletes a participant's subscription; false when it has none with that id. */
  async delete(ex: Executor, participantId: string, id: string): Promise<boolean> {
    await ex.execute(
      'DELETE FROM subscription_types WHERE subscription_id IN (SELECT id FROM subscriptions WHERE id = ? AND participant_id = ?)',
      [id, participantId],
    );
    return (
      (await ex.execute('DELETE FROM subscriptions WHERE id = ? AND participant_id = ?', [
        id,
        participantId,
      ])) === 1
    );
  }

  /** Every subscription that asks for `type`. */
  async forType(ex: Executor, type: string): Promise<SubscriptionRecord[]> {
    const rows = await ex.query<Row>(
      `SELECT s.* FROM subscription_types t JOIN subscriptions s ON s.id = t.subscription_id WHERE t.type = ? ORDER BY s.id`,
      [type],
    );
    return rows.map(toRecord);
  }
}
