import { Housekeeping, REFUSAL_COUNTS_KEPT_DAYS } from '@rdx/exchange';
import { Database } from '@rdx/persistence';
import { alertForAnyone, INCIDENT_ALERT, TestAgency } from '@rdx/testing';
import { subscribeWebhook } from '../support/case-team';
import { GatewayClient } from '../support/gateway-client';
import { expectProblem } from '../support/problems';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';
import { eventually, WEBHOOK_ENV, WebhookReceiver } from '../support/webhook-receiver';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe.each(BACKENDS)('what needs attention, and the message flow (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let police: TestAgency;
  let receiver: WebhookReceiver;
  let subscription: { id: string };
  let expiring: TestAgency;
  const countryAdmin: Record<string, string> = {};

  beforeAll(async () => {
    gateway = await startTestGateway(backend, {
      ...WEBHOOK_ENV,
      RDX_RETRY_DELAYS: '1',
      // The endpoint's circuit, open after its failures, lets the replay through a second later.
      RDX_WEBHOOK_BREAKER_OPEN_MS: '1000',
    });
    client = new GatewayClient(gateway);
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    const ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    const thai = await TestAgency.create('TH.ATPD', 'law-enforcement');
    for (const agency of [police, ministry, thai]) await client.register(agency);
    // A second police key that expires in a week, and one in a year that needs no attention.
    expiring = await TestAgency.create('KH.CNP', 'law-enforcement');
    const later = await TestAgency.create('KH.CNP', 'law-enforcement');
    for (const [agency, days] of [
      [expiring, 7],
      [later, 365],
    ] as const) {
      const added = await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', {
        jwk: agency.publicJwk,
        notAfter: inDays(days),
      });
      expect(added.status).toBe(201);
    }
    receiver = new WebhookReceiver();
    receiver.answerAlways({ status: 500 });
    subscription = await subscribeWebhook(client, ministry, receiver);
    expect((await client.subscribe(thai, [INCIDENT_ALERT])).status).toBe(201);
    expect(
      (await client.admin('PATCH', '/v1/admin/participants/TH.ATPD', { status: 'suspended' })).status,
    ).toBe(200);
    for (const country of ['ID', 'KH']) {
      const issued = await client.admin('POST', '/v1/admin/tokens', { role: 'country-admin', country });
      countryAdmin[country] = issued.body.token;
    }
    for (let i = 0; i < 3; i++) {
      const { jws } = await police.signMessage({ data: alertForAnyone() });
      expect((await client.publish(jws)).status).toBe(202);
    }
  });

  afterAll(async () => {
    await gateway?.close();
    await receiver?.stop();
  });

  /** The three deliveries to the failing endpoint: failed, or (its circuit open) retrying or pending still. */
  const undeliveredOfTheMinistry = () => ({
    subscriptionId: subscription.id,
    participant: 'ID.KEMLU',
    pending: expect.any(Number),
    retrying: expect.any(Number),
    failed: expect.any(Number),
  });
  const failing = (token?: string) =>
    eventually(
      () => client.admin('GET', '/v1/admin/attention', undefined, token),
      (reply) => reply.body.failingDeliveries?.some((d: any) => d.failed > 0),
    );

  it('lists keys expiring within 14 days, failing deliveries and suspended participants still subscribed', async () => {
    const reply = await failing();
    expect(reply.status).toBe(200);
    const [ministry] = reply.body.failingDeliveries;
    expect(ministry.pending + ministry.retrying + ministry.failed).toBe(3);
    expect(reply.body.expiringKeys).toEqual([
      { participant: 'KH.CNP', kid: expiring.kid, notAfter: expect.any(String) },
    ]);
    expect(reply.body.failingDeliveries).toEqual([undeliveredOfTheMinistry()]);
    expect(reply.body.suspendedWithSubscriptions).toEqual([
      { participant: 'TH.ATPD', name: 'TH.ATPD', subscriptions: 1 },
    ]);
  });

  it('shows a country administrator its own country only', async () => {
    const indonesia = await failing(countryAdmin.ID);
    expect(indonesia.body.expiringKeys).toEqual([]);
    expect(indonesia.body.suspendedWithSubscriptions).toEqual([]);
    expect(indonesia.body.failingDeliveries.map((d: any) => d.participant)).toEqual(['ID.KEMLU']);
    const cambodia = await client.admin('GET', '/v1/admin/attention', undefined, countryAdmin.KH);
    expect(cambodia.body.expiringKeys.map((k: any) => k.kid)).toEqual([expiring.kid]);
    expect(cambodia.body.failingDeliveries).toEqual([]);
    const window = `from=${inDays(-1 / 24)}&to=${inDays(1 / 24)}&bucket=minute`;
    const flowID = await client.admin('GET', `/v1/admin/flow?${window}`, undefined, countryAdmin.ID);
    expect(flowID.body.accepted).toEqual([]);
    expect(flowID.body.deliveries.map((d: any) => d.participant)).toEqual(['ID.KEMLU']);
    const flowKH = await client.admin('GET', `/v1/admin/flow?${window}`, undefined, countryAdmin.KH);
    expect(flowKH.body.accepted.reduce((n: number, c: any) => n + c.count, 0)).toBe(3);
    expect(flowKH.body.deliveries).toEqual([]);
  });

  it('counts accepted messages per bucket, type and country, with the deliveries per subscription', async () => {
    const from = inDays(-1);
    const to = inDays(1 / 24);
    const reply = await client.admin('GET', `/v1/admin/flow?from=${from}&to=${to}&bucket=hour`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ from, to, bucket: 'hour' });
    const accepted = reply.body.accepted as { at: string; type: string; country: string; count: number }[];
    expect(accepted.reduce((n, c) => n + c.count, 0)).toBe(3);
    for (const count of accepted) {
      expect(count).toEqual({
        at: expect.stringMatching(/T\d\d:00:00\.000Z$/),
        type: INCIDENT_ALERT,
        country: 'KH',
        count: expect.any(Number),
      });
    }
    expect(reply.body.deliveries).toEqual([undeliveredOfTheMinistry()]);
    const outside = await client.admin(
      'GET',
      `/v1/admin/flow?from=${inDays(-3)}&to=${inDays(-2)}&bucket=day`,
    );
    expect(outside.body.accepted).toEqual([]);
  });

  it('counts refused publishes durably, by type, country and problem, within the caller’s country', async () => {
    const invalid = await police.signMessage({ data: { nonsense: true } });
    expect((await client.publish(invalid.jws)).status).toBeGreaterThanOrEqual(400);
    expect((await client.publish('not.a.jws')).status).toBeGreaterThanOrEqual(400);
    const window = `from=${inDays(-1 / 24)}&to=${inDays(1 / 24)}&bucket=hour`;
    const all = await eventually(
      () => client.admin('GET', `/v1/admin/flow?${window}`),
      (reply) => reply.body.refused.length >= 2,
    );
    const refused = all.body.refused as { type: string; country: string; problem: string; count: number }[];
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: INCIDENT_ALERT, country: 'KH', count: 1 }),
        expect.objectContaining({ type: 'unknown', country: 'unknown', count: 1 }),
      ]),
    );
    const cambodia = await client.admin('GET', `/v1/admin/flow?${window}`, undefined, countryAdmin.KH);
    expect(cambodia.body.refused.map((r: any) => r.country)).toEqual(['KH']);
    const indonesia = await client.admin('GET', `/v1/admin/flow?${window}`, undefined, countryAdmin.ID);
    expect(indonesia.body.refused).toEqual([]);
  });

  it('forgets refusal counts older than they are kept, at housekeeping', async () => {
    const db = gateway.running.app.get(Database);
    const old = new Date(Date.now() - (REFUSAL_COUNTS_KEPT_DAYS + 1) * DAY).toISOString().slice(0, 16);
    await db.execute(
      `INSERT INTO refusal_counts (minute, type, country, problem, count) VALUES (?, 'unknown', 'unknown', 'bad-request', 5)`,
      [old],
    );
    await gateway.running.app.get(Housekeeping).runOnce();
    const left = await db.query<{ minute: string }>('SELECT minute FROM refusal_counts');
    expect(left.length).toBeGreaterThan(0); // this run's own refusals stay
    expect(left.map((row) => row.minute)).not.toContain(old);
  });

  it('refuses a window it cannot answer cheaply, and malformed queries, with problems', async () => {
    const now = inDays(0);
    expectProblem(await client.admin('GET', '/v1/admin/flow'), 400, 'bad-request');
    expectProblem(
      await client.admin('GET', `/v1/admin/flow?from=${now}&to=${now}&bucket=week`),
      400,
      'bad-request',
    );
    expectProblem(
      await client.admin('GET', `/v1/admin/flow?from=yesterday&to=${now}&bucket=day`),
      400,
      'bad-request',
    );
    expectProblem(
      await client.admin('GET', `/v1/admin/flow?from=${now}&to=${now}&bucket=day&extra=1`),
      400,
      'bad-request',
    );
    expectProblem(
      await client.admin('GET', `/v1/admin/flow?from=${now}&to=${now}&bucket=day`),
      422,
      'invalid-fields',
    );
    expectProblem(
      await client.admin('GET', `/v1/admin/flow?from=${inDays(-40)}&to=${now}&bucket=day`),
      422,
      'invalid-fields',
    );
    const tooMany = await client.admin('GET', `/v1/admin/flow?from=${inDays(-1)}&to=${now}&bucket=minute`);
    expectProblem(tooMany, 422, 'invalid-fields');
    expect(tooMany.body.errors).toEqual([
      { path: 'bucket', message: expect.stringContaining('500 buckets') },
    ]);
    expectProblem(await client.request('GET', '/v1/admin/attention'), 401, 'invalid-token');
  });

  it('replays the failed deliveries of one subscription, within the caller’s country', async () => {
    const window = { from: inDays(-1), to: inDays(1), status: 'failed', subscription: subscription.id };
    const elsewhere = await client.admin(
      'POST',
      '/v1/admin/deliveries/replay',
      { ...window, participant: 'ID.KEMLU' },
      countryAdmin.KH,
    );
    expectProblem(elsewhere, 403, 'forbidden');
    const other = await client.admin('POST', '/v1/admin/deliveries/replay', {
      ...window,
      subscription: '00000000-0000-4000-8000-000000000000',
    });
    expect(other.body).toEqual({ replayed: 0 });
    expectProblem(
      await client.admin('POST', '/v1/admin/deliveries/replay', { ...window, subscription: 'not-a-uuid' }),
      422,
      'invalid-fields',
    );
    receiver.answerAlways({ status: 200 });
    const before = receiver.received.length;
    const replayed = await client.admin('POST', '/v1/admin/deliveries/replay', {
      ...window,
      participant: 'ID.KEMLU',
    });
    expect(replayed.status).toBe(202);
    expect(replayed.body.replayed).toBeGreaterThan(0);
    await receiver.awaitCount(before + replayed.body.replayed);
    expect(receiver.received.length - before).toBeGreaterThanOrEqual(replayed.body.replayed);
  });

  it('documents both endpoints in the OpenAPI document', async () => {
    const openapi = (await client.request('GET', '/openapi.json')).body;
    expect(openapi.paths['/v1/admin/attention'].get).toBeDefined();
    const flow = openapi.paths['/v1/admin/flow'].get;
    expect(flow.parameters.map((p: any) => p.name).sort()).toEqual(['bucket', 'from', 'to']);
  });
});
