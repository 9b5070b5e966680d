import { randomUUID } from 'node:crypto';
import {
  adultVictimData,
  exampleData,
  INCIDENT_ALERT,
  signWithNodeCrypto,
  TestAgency,
  VICTIM_NOTIFICATION,
} from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { expectProblem } from '../support/problems';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

const problem = expectProblem;

describe.each(BACKENDS)('every refusal of the protocol, with nothing stored (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let police: TestAgency;
  let ministry: TestAgency;
  let suspended: TestAgency;
  let retiredKey: TestAgency;
  let auditor: string;

  beforeAll(async () => {
    gateway = await startTestGateway(backend, { RDX_BODY_LIMIT: '4096' });
    client = new GatewayClient(gateway);
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    suspended = await TestAgency.create('LA.NATC', 'coordination');
    for (const agency of [police, ministry, suspended]) await client.register(agency);
    await client.subscribe(ministry, [INCIDENT_ALERT, VICTIM_NOTIFICATION]);
    expect(
      (await client.admin('PATCH', '/v1/admin/participants/LA.NATC', { status: 'suspended' })).status,
    ).toBe(200);
    retiredKey = await police.withNewKey();
    await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', { jwk: retiredKey.publicJwk });
    await client.admin('POST', `/v1/admin/participants/KH.CNP/keys/${retiredKey.kid}/retire`);
    auditor = (await client.admin('POST', '/v1/admin/tokens', { role: 'auditor' })).body.token;
  });

  afterAll(() => gateway.close());

  /** Publishes `jws`, expects the problem, and proves nothing was stored, recorded or delivered. */
  async function refusedWithoutTrace(jws: string, status: number, name: string, contentType?: string) {
    const auditBefore = await client.auditLength();
    const inboxBefore = (await client.drainInbox(ministry)).length;
    const reply = await client.publish(jws, contentType);
    problem(reply, status, name);
    expect(await client.auditLength()).toBe(auditBefore);
    const id = (() => {
      try {
        return JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString()).id as string;
      } catch {
        return undefined;
      }
    })();
    if (id !== undefined) expect((await client.admin('GET', `/v1/messages/${id}`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 50));
    expect((await client.drainInbox(ministry)).length).toBe(inboxBefore);
    return reply;
  }

  const alert = () => ({ data: exampleData(INCIDENT_ALERT) });

  describe('publishing', () => {
    it('400: not a JWS', () => refusedWithoutTrace('this is not a JWS', 400, 'malformed-message'));
    it('400: a signed payload that is not JSON', async () => {
      const { CompactSign, importJWK } = await import('jose');
      const jws = await new CompactSign(Buffer.from('plain text'))
        .setProtectedHeader({ alg: 'EdDSA', kid: police.kid, typ: 'rdx+jws' })
        .sign(await importJWK(police.privateJwk, 'EdDSA'));
      await refusedWithoutTrace(jws, 400, 'malformed-message');
    });
    it('400: not a CloudEvent', async () => {
      await refusedWithoutTrace(await police.sign({ hello: 'world' }), 400, 'malformed-message');
    });
    it('401: bad signature', async () => {
      const { jws } = await police.signMessage(alert());
      const [h, p, s] = jws.split('.');
      await refusedWithoutTrace(
        `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`,
        401,
        'invalid-signature',
      );
    });
    it('401: unknown kid', async () => {
      const stranger = await TestAgency.create('KH.CNP', 'law-enforcement');
      await refusedWithoutTrace((await stranger.signMessage(alert())).jws, 401, 'unknown-key');
    });
    it('401: a crit header', async () => {
      const header = { alg: police.alg, kid: police.kid, typ: 'rdx+jws', crit: ['exp'], exp: 1 };
      await refusedWithoutTrace(
        signWithNodeCrypto(police.privateJwk, header, police.envelope(alert())),
        401,
        'invalid-signature',
      );
    });
    it('401: key not active (retired signs nothing new)', async () => {
      await refusedWithoutTrace((await retiredKey.signMessage(alert())).jws, 401, 'key-not-active');
    });
    it('401: source not the key owner', async () => {
      await refusedWithoutTrace(
        (await police.signMessage({ ...alert(), source: 'ID.KEMLU' })).jws,
        401,
        'source-mismatch',
      );
    });
    it('401: wrong typ (an acknowledgement presented as a message)', async () => {
      await refusedWithoutTrace(
        await police.sign(police.envelope(alert()), 'rdx-ack+jws'),
        401,
        'wrong-object-type',
      );
    });
    it('403: suspended participant', async () => {
      await refusedWithoutTrace((await suspended.signMessage(alert())).jws, 403, 'participant-suspended');
    });
    it('403: sender kind not allowed to publish the type', async () => {
      await refusedWithoutTrace((await ministry.signMessage(alert())).jws, 403, 'publish-not-allowed');
    });
    it('413: body over the limit', async () => {
      const { jws } = await police.signMessage({ ...alert(), subject: 'x'.repeat(5000) });
      await refusedWithoutTrace(jws, 413, 'payload-too-large');
    });
    it('415: wrong Content-Type', async () => {
      await refusedWithoutTrace(
        (await police.signMessage(alert())).jws,
        415,
        'unsupported-media-type',
        'application/json',
      );
      await refusedWithoutTrace(
        (await police.signMessage(alert())).jws,
        415,
        'unsupported-media-type',
        'text/plain',
      );
    });
    it('422: data does not match the schema, naming the path', async () => {
      const data = exampleData(INCIDENT_ALERT);
      data.estimatedVictims = '3';
      const reply = await refusedWithoutTrace(
        (await police.signMessage({ data })).jws,
        422,
        'schema-violation',
      );
      expect(reply.body.errors).toEqual([{ path: 'data.estimatedVictims', message: expect.any(String) }]);
    });
    it('422: unknown type', async () => {
      await refusedWithoutTrace(
        (await police.signMessage({ ...alert(), type: 'org.example.unknown.v1' })).jws,
        422,
        'unknown-type',
      );
    });
    it('422: time out of window', async () => {
      const time = new Date(Date.now() - 301_000).toISOString();
      await refusedWithoutTrace(
        (await police.signMessage({ ...alert(), time })).jws,
        422,
        'time-out-of-window',
      );
    });
    it('422: tlp needs recipients', async () => {
      await refusedWithoutTrace(
        (await police.signMessage({ ...alert(), tlp: 'red' })).jws,
        422,
        'recipients-required',
      );
    });
    it('422: an unknown named recipient', async () => {
      await refusedWithoutTrace(
        (await police.signMessage({ ...alert(), recipients: 'MY.NOBODY' })).jws,
        422,
        'unknown-recipient',
      );
    });
    it('422: a minor without H2 and amber+strict or red', async () => {
      const data = adultVictimData('ID');
      data.persons![0].isMinor = true;
      const reply = await refusedWithoutTrace(
        (await police.signMessage({ type: VICTIM_NOTIFICATION, data, recipients: 'ID.KEMLU' })).jws,
        422,
        'invalid-fields',
      );
      expect(reply.body.errors.map((e: { path: string }) => e.path)).toEqual(['handling', 'tlp']);
    });
  });

  describe('bearer tokens and administration', () => {
    it('400: bad cursor or query', async () => {
      problem(await client.inbox(ministry, 'not-a-cursor'), 400, 'bad-request');
      problem(await client.inbox(ministry, undefined, 0), 400, 'bad-request');
      problem(await client.admin('GET', '/v1/admin/audit?limit=many'), 400, 'bad-request');
    });
    it('401: bad, expired or replayed bearer token', async () => {
      const call = (token: string) =>
        client.request('GET', '/v1/inbox', { headers: { authorization: `Bearer ${token}` } });
      problem(await call('a.b.c'), 401, 'invalid-token');
      problem(await client.request('GET', '/v1/inbox'), 401, 'invalid-token');
      const old = await ministry.bearer('rdx-gateway', {}, 200, Math.floor(Date.now() / 1000) - 400);
      problem(await call(old), 401, 'invalid-token');
      problem(await call(await ministry.bearer('another-gateway')), 401, 'invalid-token');
      problem(await call(await ministry.bearer('rdx-gateway', {}, 3600)), 401, 'invalid-token');
      const once = await ministry.bearer();
      expect((await call(once)).status).toBe(200);
      problem(await call(once), 401, 'token-replayed');
    });
    it('401: missing or bad admin token', async () => {
      problem(await client.request('GET', '/v1/admin/participants'), 401, 'invalid-token');
      problem(
        await client.admin('GET', '/v1/admin/participants', undefined, 'rdx_at_wrong'),
        401,
        'invalid-token',
      );
    });
    it('403: suspended participant, and a role not allowed', async () => {
      problem(await client.inbox(suspended), 403, 'participant-suspended');
      const auditBefore = await client.auditLength();
      problem(
        await client.admin(
          'POST',
          '/v1/admin/participants',
          { id: 'MY.MAPO', name: 'x', kind: 'coordination' },
          auditor,
        ),
        403,
        'forbidden',
      );
      problem(await client.admin('POST', '/v1/admin/tokens', { role: 'admin' }, auditor), 403, 'forbidden');
      expect(await client.auditLength()).toBe(auditBefore);
      expect((await client.admin('GET', '/v1/admin/participants/MY.MAPO')).status).toBe(404);
    });
    it('404: unknown message, participant or subscription, and messages the caller may not see', async () => {
      problem(await client.as(police, 'GET', `/v1/messages/${randomUUID()}`), 404, 'not-found');
      problem(await client.request('GET', '/v1/participants/VN.NOBODY/jwks'), 404, 'not-found');
      problem(await client.as(police, 'DELETE', `/v1/subscriptions/${randomUUID()}`), 404, 'not-found');
      const { jws, envelope } = await police.signMessage(alert());
      const before = (await client.drainInbox(ministry)).length;
      expect((await client.publish(jws)).status).toBe(202);
      // Let its delivery (and the audit entry it makes) land before the next test counts entries.
      expect(await client.awaitInbox(ministry, before + 1)).toHaveLength(before + 1);
      problem(await client.as(ministry, 'GET', `/v1/messages/${envelope.id}`), 404, 'not-found');
      problem(
        await client.ack(envelope.id as string, await suspended.signAck(envelope.id as string, 'received')),
        403,
        'participant-suspended',
      );
    });
    it('409: participant id or kid taken', async () => {
      problem(
        await client.admin('POST', '/v1/admin/participants', {
          id: 'KH.CNP',
          name: 'again',
          kind: 'law-enforcement',
        }),
        409,
        'already-exists',
      );
      problem(
        await client.admin('POST', '/v1/admin/participants/ID.KEMLU/keys', { jwk: police.publicJwk }),
        409,
        'already-exists',
      );
    });
    it('422: invalid participant or key fields, refused webhook subscription', async () => {
      const auditBefore = await client.auditLength();
      const bad = await client.admin('POST', '/v1/admin/participants', {
        id: 'XX.NOPE',
        name: '',
        kind: 'pirates',
      });
      problem(bad, 422, 'invalid-fields');
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['id', 'kind', 'name']);
      problem(
        await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', { jwk: police.privateJwk }),
        422,
        'invalid-key',
      );
      problem(
        await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', {
          jwk: { kty: 'RSA', n: 'x', e: 'AQAB' },
        }),
        422,
        'invalid-key',
      );
      // The neutral point: anyone could "sign" for a participant under it.
      const smallOrder = await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', {
        jwk: { kty: 'OKP', crv: 'Ed25519', x: `AQ${'A'.repeat(41)}`, kid: 'kh-cnp-small-order' },
      });
      problem(smallOrder, 422, 'invalid-key');
      expect(smallOrder.body.errors).toEqual([
        { path: 'jwk', message: expect.stringContaining('small order') },
      ]);
      for (const url of [
        'http://93.184.216.34/hook',
        'https://127.0.0.1/hook',
        'https://169.254.169.254/latest',
      ]) {
        const refused = await client.as(ministry, 'POST', '/v1/subscriptions', {
          types: [INCIDENT_ALERT],
          delivery: { mode: 'webhook', url },
        });
        problem(refused, 422, 'refused-webhook-url');
        expect(refused.body.errors).toEqual([{ path: 'delivery.url', message: expect.any(String) }]);
      }
      expect((await client.as(ministry, 'GET', '/v1/subscriptions')).body.items).toHaveLength(1);
      problem(
        await client.as(ministry, 'POST', '/v1/subscriptions', {
          types: ['org.example.unknown.v1'],
          delivery: { mode: 'pull' },
        }),
        422,
        'invalid-fields',
      );
      expect(await client.auditLength()).toBe(auditBefore);
      expect((await client.admin('GET', '/v1/admin/participants/KH.CNP')).body.keys).toHaveLength(2);
    });
  });
});

describe('429: rate limit, with Retry-After; /metrics behind RDX_METRICS_TOKEN', () => {
  let gateway: TestGateway;
  let client: GatewayClient;

  beforeAll(async () => {
    gateway = await startTestGateway('embedded', {
      RDX_RATE_LIMIT: '1',
      RDX_RATE_BURST: '3',
      RDX_METRICS_TOKEN: 'metrics-token-for-tests',
    });
    client = new GatewayClient(gateway);
  });
  afterAll(() => gateway.close());

  it('limits each caller, and the refused request changes nothing', async () => {
    const police = await TestAgency.create('KH.CNP', 'law-enforcement');
    await client.register(police);
    const replies = [];
    for (let i = 0; i < 5; i++)
      replies.push(
        await client.publish((await police.signMessage({ data: exampleData(INCIDENT_ALERT) })).jws),
      );
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    problem(limited[0], 429, 'rate-limited');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Only the messages answered 202 were stored: the refused ones left no message and no record.
    const accepted = replies.filter((r) => r.status === 202).map((r) => r.body.messageId);
    const audit = await client.admin('GET', '/v1/admin/audit?limit=500');
    const recorded = audit.body.items
      .filter((i: { action: string }) => i.action === 'message.accepted')
      .map((i: { subject: string }) => i.subject);
    expect(recorded).toEqual(accepted);
  });

  it('takes the metrics token when one is set', async () => {
    problem(await client.request('GET', '/metrics'), 401, 'invalid-token');
    problem(
      await client.request('GET', '/metrics', { headers: { authorization: 'Bearer wrong' } }),
      401,
      'invalid-token',
    );
    const metrics = await client.request('GET', '/metrics', {
      headers: { authorization: 'Bearer metrics-token-for-tests' },
    });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('rdx_queue_entries{queue="outbox"}');
  });
});
