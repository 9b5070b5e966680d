import { Executor } from '../executor';

/** The public halves of the gateway instances' receipt keys: the gateway JWKS. */
export class GatewayKeysRepository {
  async register(ex: Executor, kid: string, jwk: Record<string, unknown>, at: string): Promise<void> {
    await ex.execute(
      'INSERT INTO gateway_keys (kid, jwk, created_at) VALUES (?, ?, ?) ON CONFLICT (kid) DO NOTHING',
      [kid, JSON.stringify(jwk), at],
    );
  }

  async list(ex: Executor): Promise<Record<string, unknown>[]> {
    const rows = await ex.query<{ jwk: string }>('SELECT jwk FROM gateway_keys ORDER BY created_at, kid');
    return rows.map((row) => JSON.parse(row.jwk) as Record<string, unknown>);
  }
}
