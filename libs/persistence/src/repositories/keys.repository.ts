import { Executor, placeholders } from '../database';
import { KeyRecord, KeyStatus } from '../records';

type Row = {
  kid: string;
  participant_id: string;
  alg: KeyRecord['alg'];
  jwk: string;
  status: KeyStatus;
  not_before: string | null;
  not_after: string | null;
  created_at: string;
  retired_at: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
};

const toRecord = (row: Row): KeyRecord => ({
  kid: row.kid,
  participantId: row.participant_id,
  alg: row.alg,
  jwk: JSON.parse(row.jwk) as KeyRecord['jwk'],
  status: row.status,
  notBefore: row.not_before,
  notAfter: row.not_after,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  revokedAt: row.revoked_at,
  revocationReason: row.revocation_reason,
});

/** Participants' public keys and their lifecycle (active, retired, revoked). */
export class KeysRepository {
  /** Inserts a key; false when the kid is taken. */
  async insert(ex: Executor, k: KeyRecord): Promise<boolean> {
    const changed = await ex.execute(
      `INSERT INTO participant_keys (kid, participant_id, alg, jwk, status, not_before, not_after, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kid) DO NOTHING`,
      [k.kid, k.participantId, k.alg, JSON.stringify(k.jwk), k.status, k.notBefore, k.notAfter, k.createdAt],
    );
    return changed === 1;
  }

  async find(ex: Executor, kid: string): Promise<KeyRecord | undefined> {
    const [row] = await ex.query<Row>('SELECT * FROM participant_keys WHERE kid = ?', [kid]);
    return row && toRecord(row);
  }

  async findMany(ex: Executor, kids: readonly string[]): Promise<KeyRecord[]> {
    if (kids.length === 0) return [];
    const rows = await ex.query<Row>(
      `SELECT * FROM participant_keys WHERE kid IN (${placeholders(kids.length)})`,
      kids,
    );
    return rows.map(toRecord);
  }

  async listByParticipant(ex: Executor, participantId: string): Promise<KeyRecord[]> {
    const rows = await ex.query<Row>(
      'SELECT * FROM participant_keys WHERE participant_id = ? ORDER BY created_at, kid',
      [participantId],
    );
    return rows.map(toRecord);
  }

  async retire(ex: Executor, kid: string, at: string): Promise<void> {
    await ex.execute(`UPDATE participant_keys SET status = 'retired', retired_at = ? WHERE kid = ?`, [
      at,
      kid,
    ]);
  }

  async revoke(ex: Executor, kid: string, at: string, reason: string): Promise<void> {
    await ex.execute(
      `UPDATE participant_keys SET status = 'revoked', revoked_at = ?, revocation_reason = ? WHERE kid = ?`,
      [at, reason, kid],
    );
  }
}
