import { Pool } from 'pg';

/**
 * Grows the gateway's database to `count` more stored messages, as months of traffic would: each
 * with a real-sized JWS, its recipient row, and an entry in that recipient's inbox, already
 * delivered. Written by SQL in batches (through the API it would take hours); the inbox
 * counters move on so that the gateway's numbering continues after them.
 */
export async function fillDatabase(
  pool: Pool,
  count: number,
  sample: { jws: string; source: string; kid: string; type: string },
  recipients: string[],
  log: (line: string) => void,
): Promise<void> {
  const batch = 100_000;
  const started = Date.now();
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // One message per row of g; recipient chosen round-robin; received two years ago onwards.
      await client.query(
        `CREATE TEMP TABLE fill ON COMMIT DROP AS
         SELECT gen_random_uuid()::text AS id, g, ($1::text[])[1 + (g % array_length($1::text[], 1))] AS recipient,
                to_char((now() - interval '730 days' + (g * interval '50 ms')) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
         FROM generate_series($2::bigint, $3::bigint) g`,
        [recipients, done + 1, done + n],
      );
      await client.query(
        `INSERT INTO messages (id, source, type, kid, tlp, digest, jws, received_at, withheld, receipt)
         SELECT id, $1, $2, $3, 'amber', md5(id), $4 || md5(id), at, '[]', 'receipt-' || md5(id) FROM fill`,
        [sample.source, sample.type, sample.kid, sample.jws],
      );
      await client.query(
        `INSERT INTO message_recipients (message_id, participant_id, position, delivery, delivered_at, received_at)
         SELECT id, recipient, 0, 'delivered', at, at FROM fill`,
      );
      await client.query(
        `INSERT INTO inbox_counters (participant_id, last_seq)
         SELECT DISTINCT recipient, 0 FROM fill ON CONFLICT (participant_id) DO NOTHING`,
      );
      await client.query(
        `WITH numbered AS (
           SELECT f.id, f.recipient, f.at, c.last_seq + row_number() OVER (PARTITION BY f.recipient ORDER BY f.g) AS seq
           FROM fill f JOIN inbox_counters c ON c.participant_id = f.recipient)
         INSERT INTO inbox_entries (participant_id, seq, message_id, created_at) SELECT recipient, seq, id, at FROM numbered`,
      );
      await client.query(
        `UPDATE inbox_counters c SET last_seq = m.seq
         FROM (SELECT participant_id, max(seq) AS seq FROM inbox_entries GROUP BY participant_id) m
         WHERE m.participant_id = c.participant_id`,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    log(
      `  stored ${(done + n).toLocaleString('en')} messages (${Math.round((Date.now() - started) / 1000)} s)`,
    );
  }
  await pool.query('VACUUM ANALYZE');
}
