import { Executor } from '../executor';
import { RegistryCache, registryChanged } from '../registry';
import { SubscriptionRecord, WebhookSecrets } from '../records';

type Row = {
  id: string;
  participant_id: string;
  types: string;
  filter_sources: string | null;
  purpose: string | null;
  delivery_mode: SubscriptionRecord['deliveryMode'];
  webhook_url: string | null;
  created_at: string;
  status: SubscriptionRecord['status'];
  disabled_reason: string | null;
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
  status: row.status,
  disabledReason: row.disabled_reason,
});

const COLUMNS =
  's.id, s.participant_id, s.types, s.filter_sources, s.purpose, s.delivery_mode, s.webhook_url, s.created_at, s.status, s.disabled_reason';

/**
 * Standing requests to receive messages of some types. The active ones, read on every publish
 * and every routing, are kept in memory while the registry's version stays the same.
 */
export class SubscriptionsRepository {
  private readonly active = new RegistryCache(async (ex) => {
    const rows = await ex.query<Row & { type: string }>(
      `SELECT t.type, ${COLUMNS} FROM subscription_types t JOIN subscriptions s ON s.id = t.subscription_id
       WHERE s.status = 'active' ORDER BY s.id`,
    );
    const records = new Map<string, SubscriptionRecord>();
    const byType = new Map<string, SubscriptionRecord[]>();
    for (const row of rows) {
      let record = records.get(row.id);
      if (record === undefined) records.set(row.id, (record = toRecord(row)));
      let list = byType.get(row.type);
      if (list === undefined) byType.set(row.type, (list = []));
      list.push(record);
    }
    return byType;
  });

  /** Inserts a subscription; a webhook one with its signing secret. */
  async insert(ex: Executor, s: SubscriptionRecord, webhookSecret: string | null = null): Promise<void> {
    await ex.execute(
      `INSERT INTO subscriptions (id, participant_id, types, filter_sources, purpose, delivery_mode, webhook_url, created_at,
         status, webhook_secret)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        s.id,
        s.participantId,
        JSON.stringify(s.types),
        s.filterSources === null ? null : JSON.stringify(s.filterSources),
        s.purpose,
        s.deliveryMode,
        s.webhookUrl,
        s.createdAt,
        s.status,
        webhookSecret,
      ],
    );
    await ex.execute(
      `INSERT INTO subscription_types (subscription_id, type) VALUES ${s.types.map(() => '(?, ?)').join(', ')}`,
      s.types.flatMap((type) => [s.id, type]),
    );
    await registryChanged(ex);
  }

  async listByParticipant(ex: Executor, participantId: string): Promise<SubscriptionRecord[]> {
    const rows = await ex.query<Row>(
      `SELECT ${COLUMNS} FROM subscriptions s WHERE s.participant_id = ? ORDER BY s.created_at, s.id`,
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
    const deleted =
      (await ex.execute('DELETE FROM subscriptions WHERE id = ? AND participant_id = ?', [
        id,
        participantId,
      ])) === 1;
    if (deleted) await registryChanged(ex);
    return deleted;
  }

  /**
   * Every active subscription that asks for one of `types`, by type, in id order. The records
   * are shared with other callers: read them, do not change them.
   */
  async forTypes(ex: Executor, types: readonly string[]): Promise<Map<string, SubscriptionRecord[]>> {
    if (types.length === 0) return new Map();
    const byType = await this.active.get(ex);
    return new Map(types.map((type) => [type, byType.get(type) ?? []]));
  }

  async find(ex: Executor, id: string): Promise<SubscriptionRecord | undefined> {
    const [row] = await ex.query<Row>(`SELECT ${COLUMNS} FROM subscriptions s WHERE s.id = ?`, [id]);
    return row && toRecord(row);
  }

  /** A subscription with its signing secrets (none for a pull subscription), in one read. */
  async withSecrets(
    ex: Executor,
    id: string,
  ): Promise<{ subscription: SubscriptionRecord; secrets: WebhookSecrets | undefined } | undefined> {
    const [row] = await ex.query<
      Row & {
        webhook_secret: string | null;
        previous_webhook_secret: string | null;
        previous_secret_expires_at: string | null;
      }
    >(
      `SELECT ${COLUMNS}, s.webhook_secret, s.previous_webhook_secret, s.previous_secret_expires_at
       FROM subscriptions s WHERE s.id = ?`,
      [id],
    );
    if (row === undefined) return undefined;
    return {
      subscription: toRecord(row),
      secrets:
        row.webhook_secret === null
          ? undefined
          : {
              current: row.webhook_secret,
              previous: row.previous_webhook_secret,
              previousExpiresAt: row.previous_secret_expires_at,
            },
    };
  }

  /** Makes `secret` the current one; the one it replaces stays valid until `previousExpiresAt`. */
  async rotateSecret(ex: Executor, id: string, secret: string, previousExpiresAt: string): Promise<void> {
    await ex.execute(
      `UPDATE subscriptions SET previous_webhook_secret = webhook_secret, previous_secret_expires_at = ?, webhook_secret = ?
       WHERE id = ?`,
      [previousExpiresAt, secret, id],
    );
  }

  /** Stops a subscription (a receiver that answered 410 Gone, say); its history stays. */
  async disable(ex: Executor, id: string, reason: string): Promise<void> {
    await ex.execute(`UPDATE subscriptions SET status = 'disabled', disabled_reason = ? WHERE id = ?`, [
      reason,
      id,
    ]);
    await registryChanged(ex);
  }
}
