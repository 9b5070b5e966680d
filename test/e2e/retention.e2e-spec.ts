import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyAuditChain } from '@rdx/crypto';
import { alertForAnyone, INCIDENT_ALERT } from '@rdx/testing';
import { registerCaseTeam } from '../support/case-team';
import { GatewayClient } from '../support/gateway-client';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

describe.each(BACKENDS)('retention (%s)', (backend) => {
  let gateway: TestGateway;
  let dir: string;

  beforeAll(async () => {
    // The shipped policy, with trafficking incident alerts kept for one second only.
    dir = await mkdtemp(join(tmpdir(), 'rdx-retention-'));
    const policy = JSON.parse(await readFile(resolve(__dirname, '../../config/sharing-policy.json'), 'utf8'));
    policy.retention[INCIDENT_ALERT] = '1s';
    await writeFile(join(dir, 'policy.json'), JSON.stringify(policy));
    gateway = await startTestGateway(backend, {
      RDX_SHARING_POLICY: join(dir, 'policy.json'),
      RDX_HOUSEKEEPING_INTERVAL_MS: '200',
    });
  });
  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('purges expired payloads and keeps the audit record, the receipt and the inbox numbering', async () => {
    const client = new GatewayClient(gateway);
    const { police, ministry } = await registerCaseTeam(client);
    const { jws, envelope } = await police.signMessage({
      recipients: 'ID.KEMLU',
      data: alertForAnyone(),
    });
    const accepted = await client.publish(jws);
    expect(accepted.status).toBe(202);
    const [fresh] = await client.awaitInbox(ministry, 1);
    expect(fresh.message).toBe(jws);

    const deadline = Date.now() + 15_000;
    let item = fresh;
    while (item.message !== null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      [item] = await client.drainInbox(ministry);
    }
    expect(item).toEqual({ ...fresh, message: null, purgedAt: expect.any(String) });
    const status = await client.as(police, 'GET', `/v1/messages/${envelope.id}`);
    expect(status.body).toMatchObject({ messageId: envelope.id, purgedAt: item.purgedAt });

    // The identical bytes are still recognised (by digest), with the same signed receipt.
    const again = await client.publish(jws);
    expect(again.status).toBe(200);
    expect(again.body.receipt).toBe(accepted.body.receipt);

    const audit = (await client.admin('GET', '/v1/admin/audit?limit=500')).body.items;
    expect(verifyAuditChain(audit)).toEqual({ ok: true });
    expect(
      audit.find((i: any) => i.action === 'message.accepted' && i.subject === envelope.id),
    ).toBeDefined();
    expect(
      audit.find((i: any) => i.action === 'message.purged' && i.subject === INCIDENT_ALERT),
    ).toMatchObject({
      details: { count: 1, retentionSeconds: 1 },
    });
    // Nothing of the payload is left to read anywhere.
    expect(JSON.stringify(audit)).not.toContain(jws.split('.')[1]);
  });
});
