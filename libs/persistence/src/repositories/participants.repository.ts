import { Executor } from '../executor';
import { ParticipantRecord, ParticipantStatus } from '../records';
import { RegistryCache, registryChanged } from '../registry';

type Row = {
  id: string;
  country: string;
  name: string;
  kind: ParticipantRecord['kind'];
  contact: string | null;
  status: ParticipantStatus;
  created_at: string;
  updated_at: string;
};

const toRecord = (row: Row): ParticipantRecord => ({
  id: row.id,
  country: row.country,
  name: row.name,
  kind: row.kind,
  contact: row.contact === null ? null : (JSON.parse(row.contact) as Record<string, unknown>),
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * The participants: one agency of one member state each. `findMany`, on every publish and every
 * routing, reads them from memory while the registry's version stays the same.
 */
export class ParticipantsRepository {
  private readonly all = new RegistryCache(
    async (ex) =>
      new Map((await ex.query<Row>('SELECT * FROM participants')).map((row) => [row.id, toRecord(row)])),
  );

  /** Inserts a participant; false when the id is taken. */
  async insert(ex: Executor, p: ParticipantRecord): Promise<boolean> {
    const changed = await ex.execute(
      `INSERT INTO participants (id, country, name, kind, contact, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [
        p.id,
        p.country,
        p.name,
        p.kind,
        p.contact === null ? null : JSON.stringify(p.contact),
        p.status,
        p.createdAt,
        p.updatedAt,
      ],
    );
    if (changed === 1) {
      // Its inbox's counter, so that routing finds it there to lock (`InboxRepository.lockCounters`).
      await ex.execute(
        'INSERT INTO inbox_counters (participant_id, last_seq) VALUES (?, 0) ON CONFLICT (participant_id) DO NOTHING',
        [p.id],
      );
      await registryChanged(ex);
    }
    return changed === 1;
  }

  async find(ex: Executor, id: string): Promise<ParticipantRecord | undefined> {
    const [row] = await ex.query<Row>('SELECT * FROM participants WHERE id = ?', [id]);
    return row && toRecord(row);
  }

  /** Those of `ids` that are registered. The records are shared: read them, do not change them. */
  async findMany(ex: Executor, ids: readonly string[]): Promise<ParticipantRecord[]> {
    if (ids.length === 0) return [];
    const all = await this.all.get(ex);
    return ids.flatMap((id) => all.get(id) ?? []);
  }

  async list(ex: Executor, country?: string): Promise<ParticipantRecord[]> {
    const rows =
      country === undefined
        ? await ex.query<Row>('SELECT * FROM participants ORDER BY id')
        : await ex.query<Row>('SELECT * FROM participants WHERE country = ? ORDER BY id', [country]);
    return rows.map(toRecord);
  }

  async setStatus(ex: Executor, id: string, status: ParticipantStatus, at: string): Promise<void> {
    await ex.execute('UPDATE participants SET status = ?, updated_at = ? WHERE id = ?', [status, at, id]);
    await registryChanged(ex);
  }
}
