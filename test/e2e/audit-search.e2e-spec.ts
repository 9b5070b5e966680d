import { auditItemHash } from '@rdx/crypto';
import Database from 'better-sqlite3';
import { GatewayClient } from '../support/gateway-client';
import { startTestGateway, TestGateway } from '../support/test-gateway';

/** What one searching page of GET /v1/admin/audit looks at, at most (docs/protocol-notes.md). */
const WINDOW = 10_000;

describe('searching a long audit record', () => {
  let gateway: TestGateway;
  let client: GatewayClient;

  beforeAll(async () => {
    gateway = await startTestGateway('embedded');
    client = new GatewayClient(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
  });

  /**
   * Appends `count` well-chained entries of routine acts straight to the SQLite record, as many
   * days of work would have left them, faster than the API could.
   */
  const appendRoutine = (count: number) => {
    const db = new Database(gateway.env.RDX_DATABASE_URL.slice('sqlite:'.length));
    try {
      db.transaction(() => {
        let { seq, hash } = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as any;
        const insert = db.prepare(
          'INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)',
        );
        for (let n = 0; n < count; n++) {
          const item = {
            seq: ++seq,
            at: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
            actor: 'KH.CNP',
            action: 'message.accepted',
            subject: `message-${seq}`,
            prevHash: hash,
          };
          hash = auditItemHash(item);
          insert.run(item.seq, item.at, item.actor, item.action, item.subject, item.prevHash, hash);
        }
        db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(seq, hash);
      })();
    } finally {
      db.close();
    }
  };

  it('looks at a bounded window per page, and finds a rare entry by following next to the end', async () => {
    // Every queued entry linked, then a long record of routine acts, then the rare one.
    expect((await client.admin('GET', '/v1/admin/audit')).status).toBe(200);
    appendRoutine(WINDOW + 500);
    await client.admin('POST', '/v1/admin/participants', { id: 'KH.RARE', name: 'Rare', kind: 'labour' });
    const head = await client.auditLength();
    expect(head).toBeGreaterThan(WINDOW + 500);

    const pages: { after: number; seqs: number[]; next: number }[] = [];
    for (let after = 0; ;) {
      const reply = await client.admin('GET', `/v1/admin/audit?subject=KH.RARE&after=${after}&limit=10`);
      expect(reply.status).toBe(200);
      pages.push({ after, seqs: reply.body.items.map((i: any) => i.seq), next: reply.body.next });
      if (reply.body.next === after) break;
      after = reply.body.next;
    }
    expect(pages).toEqual([
      { after: 0, seqs: [], next: WINDOW },
      { after: WINDOW, seqs: [head], next: head },
      { after: head, seqs: [], next: head },
    ]);
    const rare = await client.admin('GET', `/v1/admin/audit?after=${head - 1}&limit=1`);
    expect(rare.body.items[0]).toMatchObject({
      seq: head,
      subject: 'KH.RARE',
      action: 'participant.registered',
    });
  });
});
