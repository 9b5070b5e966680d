import { Executor } from '../executor';
import { AdminRole, AdminTokenRecord } from '../records';

type Row = {
  id: string;
  role: AdminRole;
  country: string | null;
  expires_at: string | null;
  created_at: string;
  created_by: string;
};

const toRecord = (row: Row): AdminTokenRecord => ({
  id: row.id,
  role: row.role,
  country: row.country,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  createdBy: row.created_by,
});

/** Administrator tokens (kept only as hashes) and the bearer-token ids already used. */
export class TokensRepository {
  async insertAdminToken(ex: Executor, token: AdminTokenRecord, tokenHash: string): Promise<void> {
    await ex.execute(
      `INSERT INTO admin_tokens (id, token_hash, role, country, expires_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [token.id, tokenHash, token.role, token.country, token.expiresAt, token.createdAt, token.createdBy],
    );
  }

  async findAdminTokenByHash(ex: Executor, tokenHash: string): Promise<AdminTokenRecord | undefined> {
    const [row] = await ex.query<Row>(
      'SELECT id, role, country, expires_at, created_at, created_by FROM admin_tokens WHERE token_hash = ?',
      [tokenHash],
    );
    return row && toRecord(row);
  }

  async countAdmins(ex: Executor): Promise<number> {
    const [row] = await ex.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM admin_tokens WHERE role = 'admin'`,
    );
    return Number(row.n);
  }

  /** Records a bearer token's jti; false when that participant used it already. */
  async useTokenId(ex: Executor, participantId: string, jti: string, expiresAt: string): Promise<boolean> {
    const changed = await ex.execute(
      'INSERT INTO used_token_ids (participant_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT (participant_id, jti) DO NOTHING',
      [participantId, jti, expiresAt],
    );
    return changed === 1;
  }

  /** Forgets token ids whose tokens have expired (they can no longer be replayed anyway). */
  async purgeUsedTokenIds(ex: Executor, before: string): Promise<number> {
    return ex.execute('DELETE FROM used_token_ids WHERE expires_at < ?', [before]);
  }
}
