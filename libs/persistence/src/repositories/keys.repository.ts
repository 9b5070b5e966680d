import { Executor } from '../executor';
import { KeyRecord, KeyStatus } from '../records';
import { RegistryCache, registryChanged } from '../registry';

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

/**
 * Participants' public keys and their lifecycle (active, retired, revoked). `findMany`, on every
 * publish, reads them from memory while the registry's version stays the same.
 */
export class KeysRepository {
  private readonly all = new RegistryCache(
    async (ex) =>
      new Map((await ex.query<Row>('SELECT * FROM participant_keys')).map((row) => [row.kid, toRecord(row)])),
  );

  /** Inserts a key; false when the kid is taken. */
  async insert(ex: Executor, k: KeyRecord): Promise<boolean> {
    const changed = await ex.execute(
      `INSERT INTO participant_keys (kid, participant_id, alg, jwk, status, not_before, not_after, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kid) DO NOTHING`,
      [k.kid, k.participantId, k.alg, JSON.stringify(k.jwk), k.status, k.notBefore, k.notAfter, k.createdAt],
    );
    if (changed === 1) await registryChanged(ex);
    return changed === 1;
  }

  /** `keyExpiries` of every participant, from the keys in memory. */
  async expiries(ex: Executor, now: Date): Promise<Map<string, number>> {
    return keyExpiries((await this.all.get(ex)).values(), now);
  }

  async find(ex: Executor, kid: string): Promise<KeyRecord | undefined> {
    const [row] = await ex.query<Row>('SELECT * FROM participant_keys WHERE kid = ?', [kid]);
    return row && toRecord(row);
  }

  /** Those of `kids` that are registered. The records are shared: read them, do not change them. */
  async findMany(ex: Executor, kids: readonly string[]): Promise<KeyRecord[]> {
    if (kids.length === 0) return [];
    const all = await this.all.get(ex);
    return kids.flatMap((kid) => all.get(kid) ?? []);
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
    await registryChanged(ex);
  }

  async revoke(ex: Executor, kid: string, at: string, reason: string): Promise<void> {
    await ex.execute(
      `UPDATE participant_keys SET status = 'revoked', revoked_at = ?, revocation_reason = ? WHERE kid = ?`,
      [at, reason, kid],
    );
    await registryChanged(ex);
  }
}

/**
 * Seconds until each participant's soonest active key expires, from `keys` at `now`: only
 * participants whose every active key has an expiry (one that never expires is never at risk).
 * Keys already past their expiry are left out; a participant with no other active key gets 0.
 */
export function keyExpiries(keys: Iterable<KeyRecord>, now: Date): Map<string, number> {
  const soonest = new Map<string, number | null>();
  for (const key of keys) {
    const held = soonest.get(key.participantId);
    if (key.status !== 'active' || held === null) continue;
    if (key.notAfter === null) {
      soonest.set(key.participantId, null);
      continue;
    }
    const left = Math.max(0, (Date.parse(key.notAfter) - now.getTime()) / 1000);
    // An expired key counts only while no key still valid is found.
    if (held === undefined || held === 0 || (left > 0 && left < held)) soonest.set(key.participantId, left);
  }
  const expiries = new Map<string, number>();
  for (const [participant, left] of soonest) if (left !== null) expiries.set(participant, left);
  return expiries;
}
