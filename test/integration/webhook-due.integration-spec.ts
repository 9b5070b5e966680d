import { randomUUID } from 'node:crypto';
import {
  Database,
  MessagesRepository,
  SubscriptionsRepository,
  WebhookDeliveriesRepository,
} from '@rdx/persistence';
import { buffersOf, explainAnalysed, nodeOn, RecordingExecutor } from '../support/query-plans';
import { copyMessage, messageRecord, openTestDatabase, registerParticipants } from '../support/test-database';

/** Deliveries a subscription already had, delivered and done with. */
const HISTORY = 5_000;

describe("a webhook subscription's due deliveries (postgres)", () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const webhooks = new WebhookDeliveriesRepository();
  const subscriptionId = `sub_hook_${randomUUID()}`;

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase('postgres'));
    await registerParticipants(db, ['KH.CNP', 'ID.KEMLU']);
    const at = new Date().toISOString();
    await db.transaction((tx) =>
      new SubscriptionsRepository().insert(tx, {
        id: subscriptionId,
        participantId: 'ID.KEMLU',
        types: ['t'],
        filterSources: null,
        purpose: null,
        deliveryMode: 'webhook',
        webhookUrl: 'https://hooks.example.org/rdx',
        createdAt: at,
        status: 'active',
        disabledReason: null,
      }),
    );
    const template = messageRecord(at);
    await new MessagesRepository().insert(db, template, ['ID.KEMLU']);
    // The history by SQL: one message per delivery, each a copy of the template under its own id.
    await copyMessage(db, template.id, 'msg_history_', 1, HISTORY + 2);
    await db.execute(
      `INSERT INTO webhook_deliveries
         (id, subscription_id, participant_id, message_id, seq, status, attempts, next_attempt_at, created_at, delivered_at)
       SELECT 'wd_' || n, ?, 'ID.KEMLU', 'msg_history_' || n, n,
              CASE WHEN n <= ${HISTORY} THEN 'delivered' ELSE 'pending' END, 1, ?, ?, ?
       FROM generate_series(1, ${HISTORY + 2}) AS n`,
      [subscriptionId, at, at, at],
    );
    // One recorded attempt each, the two still due included.
    await db.execute(
      `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, latency_ms)
       SELECT 'wd_' || n, 1, ?, 503, 5 FROM generate_series(1, ${HISTORY + 2}) AS n`,
      [at],
    );
  });

  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('are read in inbox order, with their last attempts, past none of the deliveries it had before, whatever the statistics say', async () => {
    const [{ analysed }] = await db.query<{ analysed: string }>(
      `SELECT count(*) AS analysed FROM pg_stats WHERE tablename = 'webhook_deliveries'`,
    );
    expect(Number(analysed)).toBe(0);
    const recorder = new RecordingExecutor(db);
    const due = await webhooks.dueOf(recorder, subscriptionId, new Date().toISOString(), 8);
    expect(due.map((d) => [d.seq, d.lastAttempt])).toEqual([
      [HISTORY + 1, 1],
      [HISTORY + 2, 1],
    ]);
    const plan = await explainAnalysed(db, recorder.statements[0]);
    // The 5,000 deliveries done with fill some 40 index pages: a read of them all would show.
    expect(buffersOf(nodeOn(plan, 'webhook_deliveries')!)).toBeLessThan(10);
    // Their attempts fill as many table pages: each due delivery's last one is found by its key.
    expect(buffersOf(nodeOn(plan, 'webhook_attempts')!)).toBeLessThan(10);
  });
});
