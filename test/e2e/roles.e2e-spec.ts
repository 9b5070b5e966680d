import { loadConfig } from '@rdx/config';
import { exampleData, INCIDENT_ALERT } from '@rdx/testing';
import { Client } from 'pg';
import { RunningGateway, startGateway } from '../../apps/gateway/src/gateway.app';
import { registerCaseTeam } from '../support/case-team';
import { GatewayClient } from '../support/gateway-client';
import { startTestGateway, TestGateway } from '../support/test-gateway';

describe('which process links the audit record (PostgreSQL + RabbitMQ)', () => {
  let api: TestGateway;
  let worker: RunningGateway | undefined;
  let db: Client;

  beforeAll(async () => {
    api = await startTestGateway('production', { RDX_ROLES: 'api' });
    db = new Client({ connectionString: api.env.RDX_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await worker?.close();
    await api.close();
  });

  const queued = async () => Number((await db.query('SELECT count(*) AS n FROM audit_pending')).rows[0].n);

  it('leaves the linking to the worker processes, off the API event loop', async () => {
    const client = new GatewayClient(api);
    const { police, thai } = await registerCaseTeam(client);
    await client.subscribe(thai, [INCIDENT_ALERT]);
    const { jws } = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
    expect((await client.publish(jws)).status).toBe(202);

    // The API process alone: its acts wait in the queue, turn after turn of a chainer (200 ms).
    await new Promise((r) => setTimeout(r, 1500));
    expect(await queued()).toBeGreaterThan(0);

    // A worker starts: it links them, with no reader of the record asking.
    worker = await startGateway(loadConfig({ ...api.env, RDX_ROLES: 'worker' }));
    const deadline = Date.now() + 10_000;
    while ((await queued()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await queued()).toBe(0);
    const chain = await db.query('SELECT action FROM audit_log ORDER BY seq');
    expect(chain.rows.map((row) => row.action)).toContain('message.accepted');

    // Reading the record links what is queued first, in any process.
    const more = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
    expect((await client.publish(more.jws)).status).toBe(202);
    const record = await client.admin('GET', '/v1/admin/audit?limit=500');
    expect(record.status).toBe(200);
    expect(record.body.items.map((item: { subject: string }) => item.subject)).toContain(more.envelope.id);
  });
});
