import { randomUUID } from 'node:crypto';
import { canonicalize, sha256Hex } from '@rdx/crypto';
import {
  AuditRepository,
  Database,
  InboxRepository,
  inList,
  insertRows,
  PREPARED,
  TokensRepository,
} from '@rdx/persistence';
import { RecordingExecutor } from '../support/query-plans';
import { registerParticipants, storeMessage, withTestDatabase } from '../support/test-database';

const now = () => new Date().toISOString();

/**
 * Repositories that many workers use at once: inbox numbering and counters, the audit chain, the
 * batched statements' texts, and token ids used once.
 */
describe.each(['postgres', 'sqlite'] as const)('repositories under concurrency (%s)', (dialect) => {
  let db: Database;
  const inbox = new InboxRepository();
  const audit = new AuditRepository();
  const tokens = new TokensRepository();
  withTestDatabase(dialect, (opened) => (db = opened));

  const aMessage = () => storeMessage(db);

  it('numbers an inbox without gaps or repeats when many workers append at once, duplicates included', async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, aMessage));
    // Every message is appended twice, concurrently, as a redelivered broker message would be.
    await Promise.all(
      [...ids, ...ids].map((id) => db.transaction((tx) => inbox.append(tx, 'ID.KEMLU', [id], now()))),
    );
    expect(await db.transaction((tx) => inbox.append(tx, 'ID.KEMLU', [], now()))).toEqual([]);
    const page = await inbox.page(db, 'ID.KEMLU', 0, 500);
    expect(page.map((row) => row.seq)).toEqual(ids.map((_id, i) => i + 1));
    expect(new Set(page.map((row) => row.messageId))).toEqual(new Set(ids));
  });

  it('queues entries of concurrent transactions without a lock, links them into one hash chain, and a rolled-back one leaves no trace', async () => {
    const before = await audit.length(db);
    await Promise.all(
      Array.from({ length: 30 }, (_v, i) =>
        db.transaction((tx) =>
          audit.append(tx, [
            { at: now(), actor: 'test', action: 'test.append', subject: `s-${i}`, details: { i } },
          ]),
        ),
      ),
    );
    await expect(
      db.transaction(async (tx) => {
        await audit.append(tx, [{ at: now(), actor: 'test', action: 'test.rollback', subject: 'x' }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await audit.page(db, before, 500)).toEqual([]);
    await audit.integrateAll(db);
    const items = await audit.page(db, before, 500);
    expect(items).toHaveLength(30);
    let prev = before === 0 ? '0'.repeat(64) : (await audit.page(db, before - 1, 1))[0].hash;
    items.forEach((item, i) => {
      expect(item.seq).toBe(before + i + 1);
      expect(item.prevHash).toBe(prev);
      const { hash, ...rest } = item;
      expect(hash).toBe(sha256Hex(canonicalize(rest)));
      prev = hash;
    });
    expect(items.some((item) => item.action === 'test.rollback')).toBe(false);
  });

  it("creates a participant's inbox counter with it, and locks existing counters in one statement", async () => {
    await registerParticipants(db, ['VN.MOFA']);
    const [counter] = await db.query<{ last_seq: number | string }>(
      'SELECT last_seq FROM inbox_counters WHERE participant_id = ?',
      ['VN.MOFA'],
    );
    expect(Number(counter.last_seq)).toBe(0);
    const recorder = await db.transaction(async (tx) => {
      const recording = new RecordingExecutor(tx);
      expect(await inbox.lockCounters(recording, ['VN.MOFA', 'KH.CNP'])).toEqual(
        new Map([
          ['KH.CNP', expect.any(Number)],
          ['VN.MOFA', 0],
        ]),
      );
      return recording;
    });
    expect(recorder.statements).toHaveLength(1);
  });

  it('creates a counter found missing, once, when many workers lock it at once', async () => {
    await registerParticipants(db, ['TH.DSDW']);
    await db.execute('DELETE FROM inbox_counters WHERE participant_id = ?', ['TH.DSDW']);
    // Twenty workers each take the next number for TH.DSDW (and KH.CNP, locked with it).
    const taken = await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const seq = (await inbox.lockCounters(tx, ['TH.DSDW', 'KH.CNP'])).get('TH.DSDW')! + 1;
          await tx.execute('UPDATE inbox_counters SET last_seq = ? WHERE participant_id = ?', [
            seq,
            'TH.DSDW',
          ]);
          return seq;
        }),
      ),
    );
    expect(taken.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_v, i) => i + 1));
  });

  it('writes and matches every kind of text through the batched statements, byte for byte', async () => {
    const texts = [
      '',
      'NULL',
      'null',
      'a,b',
      '{x}',
      '"quoted"',
      'back\\slash\\',
      'é 中文 🚀',
      ' spaced ',
      'line\nbreak',
    ];
    const table = `batched_${randomUUID().replace(/-/g, '')}`;
    await db.execute(`CREATE TABLE ${table} (k TEXT NOT NULL, v TEXT NULL, n BIGINT NULL)`);
    const rows = [...texts.map((t, i) => [t, t, i]), ['nothing', null, null]];
    const insert = insertRows(
      db,
      table,
      [
        ['k', 'text'],
        ['v', 'text'],
        ['n', 'bigint'],
      ],
      rows,
    );
    expect(await db.execute(insert.sql, insert.params, PREPARED)).toBe(rows.length);
    const among = inList(db, 'k', texts);
    const found = await db.query<{ k: string; v: string | null; n: number | string | null }>(
      `SELECT k, v, n FROM ${table} WHERE ${among.sql} ORDER BY n`,
      among.params,
      PREPARED,
    );
    expect(found.map((r) => [r.k, r.v, Number(r.n)])).toEqual(texts.map((t, i) => [t, t, i]));
    const [none] = await db.query<{ v: string | null; n: unknown }>(
      `SELECT v, n FROM ${table} WHERE k = 'nothing'`,
    );
    expect(none).toEqual({ v: null, n: null });
    await db.execute(`DROP TABLE ${table}`);
  });

  it('refuses a replayed token id and forgets expired ones', async () => {
    const past = new Date(Date.now() - 1000).toISOString();
    expect(await tokens.useTokenId(db, 'ID.KEMLU', 'jti-1', past)).toBe(true);
    expect(await tokens.useTokenId(db, 'ID.KEMLU', 'jti-1', past)).toBe(false);
    expect(await tokens.useTokenId(db, 'KH.CNP', 'jti-1', past)).toBe(true);
    expect(await tokens.purgeUsedTokenIds(db, now())).toBe(2);
    expect(await tokens.useTokenId(db, 'ID.KEMLU', 'jti-1', past)).toBe(true);
  });
});
