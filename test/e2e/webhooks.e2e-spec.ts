import { compactVerify, createLocalJWKSet } from 'jose';
import { alertForAnyone, INCIDENT_ALERT, TestAgency } from '@rdx/testing';
import { RouteMessage } from '@rdx/exchange';
import { Database } from '@rdx/persistence';
import { GatewayClient } from '../support/gateway-client';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';
import { eventually, WEBHOOK_ENV, WebhookReceiver } from '../support/webhook-receiver';

describe.each(BACKENDS)('webhook delivery (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let police: TestAgency;
  let ministry: TestAgency;
  let receiver: WebhookReceiver;
  let subscription: { id: string; secret: string };

  beforeAll(async () => {
    gateway = await startTestGateway(backend, WEBHOOK_ENV);
    client = new GatewayClient(gateway);
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    for (const agency of [police, ministry]) await client.register(agency);
    receiver = new WebhookReceiver();
    const url = await receiver.start();
    const made = await client.as(ministry, 'POST', '/v1/subscriptions', {
      types: [INCIDENT_ALERT],
      purpose: 'protection',
      delivery: { mode: 'webhook', url },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      delivery: { mode: 'webhook', url },
      status: 'active',
      secret: expect.stringMatching(/^whsec_/),
    });
    subscription = made.body;
    receiver.secrets = [subscription.secret];
    // The secret is shown once.
    const listed = await client.as(ministry, 'GET', '/v1/subscriptions');
    expect(JSON.stringify(listed.body)).not.toContain(subscription.secret);
  });

  afterAll(async () => {
    await gateway.close();
    await receiver.stop();
  });

  const publish = async () => {
    const { jws, envelope } = await police.signMessage({ data: alertForAnyone() });
    expect((await client.publish(jws)).status).toBe(202);
    return { jws, id: envelope.id as string };
  };
  const deliveryOf = async (messageId: string) =>
    (await client.as(ministry, 'GET', '/v1/deliveries?limit=500')).body.items.find(
      (d: any) => d.messageId === messageId,
    );

  it('pushes the inbox item, signed per Standard Webhooks, carrying the original JWS', async () => {
    const before = receiver.received.length;
    const { jws, id } = await publish();
    const [item] = (await receiver.awaitCount(before + 1)).slice(before);
    expect(item.body.messageId).toBe(id);
    expect(item.body.message).toBe(jws);
    const [inboxItem] = (await client.awaitInbox(ministry, 1)).filter((i) => i.messageId === id);
    expect(item.body).toEqual(inboxItem);
    // The receiver checks the origin end to end, with the sender's published keys.
    const keys = await client.request('GET', '/v1/participants/KH.CNP/jwks');
    await expect(compactVerify(item.body.message, createLocalJWKSet(keys.body))).resolves.toBeDefined();
    expect(Math.abs(item.timestamp - Date.now() / 1000)).toBeLessThan(60);
    const status = await eventually(
      () => client.as(police, 'GET', `/v1/messages/${id}`),
      (r) => r.body.recipients[0].delivery === 'delivered',
    );
    expect(status.body.recipients).toEqual([{ participant: 'ID.KEMLU', delivery: 'delivered' }]);
  });

  it('retries with the same webhook-id, honours Retry-After, and records every attempt', async () => {
    receiver.answer({ status: 500 }, { status: 429, headers: { 'retry-after': '2' } });
    const refusedBefore = receiver.attemptsRefused.length;
    const before = receiver.received.length;
    const { id } = await publish();
    const [item] = (await receiver.awaitCount(before + 1)).slice(before);
    const refused = receiver.attemptsRefused.slice(refusedBefore);
    expect(refused.map((r) => r.id)).toEqual([item.id, item.id]);
    expect(item.at - refused[1].at).toBeGreaterThanOrEqual(1900);
    const delivery = await deliveryOf(id);
    const detail = await client.as(ministry, 'GET', `/v1/deliveries/${delivery.id}`);
    expect(detail.body).toMatchObject({ id: item.id, status: 'delivered', attempts: 3 });
    expect(detail.body.history.map((a: any) => a.statusCode)).toEqual([500, 429, 200]);
    expect(detail.body.history.every((a: any) => typeof a.latencyMs === 'number')).toBe(true);
  });

  it('fails a delivery when its schedule is spent, and replays it on request', async () => {
    receiver.answerAlways({ status: 500 });
    const { id } = await publish();
    // The message's event coming again while its webhook delivery is pending changes nothing.
    await eventually(
      () => deliveryOf(id),
      (d) => d !== undefined,
    );
    await expect(gateway.running.app.get(RouteMessage).execute(id)).resolves.toBeUndefined();
    const failed = await eventually(
      () => deliveryOf(id),
      (d) => d?.status === 'failed',
    );
    expect(failed).toMatchObject({ status: 'failed', attempts: 4, lastStatusCode: 500 });
    const listed = await client.as(ministry, 'GET', '/v1/deliveries?status=failed');
    expect(listed.body.items.map((d: any) => d.id)).toContain(failed.id);
    expect((await client.as(police, 'GET', `/v1/messages/${id}`)).body.recipients[0].delivery).toBe('failed');

    receiver.answerAlways({ status: 200 });
    const before = receiver.received.length;
    expect((await client.as(ministry, 'POST', `/v1/deliveries/${failed.id}/replay`)).body).toEqual({
      replayed: 1,
    });
    const [item] = (await receiver.awaitCount(before + 1)).slice(before);
    expect(item.id).toBe(failed.id);
    const status = await eventually(
      () => client.as(police, 'GET', `/v1/messages/${id}`),
      (r) => r.body.recipients[0].delivery === 'delivered',
    );
    expect(status.body.recipients[0].delivery).toBe('delivered');
  });

  it('replays a whole window, delivered ones included, for a receiver that lost its data', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 1000).toISOString();
    const all = (await client.as(ministry, 'GET', '/v1/deliveries?limit=500')).body.items;
    const before = receiver.received.length;
    const replayed = await client.as(ministry, 'POST', '/v1/deliveries/replay', { from, to });
    expect(replayed.status).toBe(202);
    expect(replayed.body.replayed).toBe(all.length);
    const again = (await receiver.awaitCount(before + all.length)).slice(before);
    expect(again.map((r) => r.id).sort()).toEqual(all.map((d: any) => d.id).sort());
    // Nobody else's deliveries, and an auditor may look but not replay.
    const auditor = (await client.admin('POST', '/v1/admin/tokens', { role: 'auditor' })).body.token;
    expect(
      (await client.admin('GET', '/v1/admin/deliveries?participant=ID.KEMLU', undefined, auditor)).body.items,
    ).toHaveLength(all.length);
    expect((await client.admin('POST', '/v1/admin/deliveries/replay', { from, to }, auditor)).status).toBe(
      403,
    );
    expect((await client.as(police, 'POST', `/v1/deliveries/${all[0].id}/replay`)).status).toBe(404);
  });

  it('signs with both secrets while a rotation overlaps', async () => {
    const rotated = await client.as(ministry, 'POST', `/v1/subscriptions/${subscription.id}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: subscription.id, secret: expect.stringMatching(/^whsec_/) });
    receiver.secrets = [subscription.secret, rotated.body.secret];
    const before = receiver.received.length;
    await publish();
    const [item] = (await receiver.awaitCount(before + 1)).slice(before);
    expect(item.signature.split(' ')).toHaveLength(2);
    expect(receiver.refusedSignatures).toEqual([]);
    receiver.secrets = [rotated.body.secret];
  });

  it('stops a subscription whose endpoint answers 410 Gone', async () => {
    const gone = new WebhookReceiver();
    const thai = await TestAgency.create('TH.ATPD', 'law-enforcement');
    await client.register(thai);
    const made = await client.as(thai, 'POST', '/v1/subscriptions', {
      types: [INCIDENT_ALERT],
      delivery: { mode: 'webhook', url: await gone.start() },
    });
    gone.secrets = [made.body.secret];
    gone.answerAlways({ status: 410 });
    const { id } = await publish();
    const disabled = await eventually(
      () => client.as(thai, 'GET', '/v1/subscriptions'),
      (r) => r.body.items[0].status === 'disabled',
    );
    expect(disabled.body.items[0]).toMatchObject({
      status: 'disabled',
      disabledReason: 'the endpoint answered 410 Gone',
    });
    expect(gone.attemptsRefused).toHaveLength(1);
    await publish();
    await new Promise((r) => setTimeout(r, 500));
    expect(gone.attemptsRefused).toHaveLength(1);
    expect((await client.as(police, 'GET', `/v1/messages/${id}`)).body.recipients).toContainEqual({
      participant: 'ID.KEMLU',
      delivery: expect.any(String),
    });
    await gone.stop();
  });

  /**
   * A new agency whose webhook endpoint answered 503 (Retry-After 30 s) to `count` deliveries,
   * which then wait; `dueNow` makes them due again together, for one round to take in inbox order.
   */
  const deliveriesWaiting = async (participantId: string, count: number) => {
    const gone = new WebhookReceiver();
    const agency = await TestAgency.create(participantId, 'law-enforcement');
    await client.register(agency);
    const made = await client.as(agency, 'POST', '/v1/subscriptions', {
      types: [INCIDENT_ALERT],
      delivery: { mode: 'webhook', url: await gone.start() },
    });
    gone.secrets = [made.body.secret];
    gone.answerAlways({ status: 503, headers: { 'retry-after': '30' } });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await publish()).id);
    await eventually(
      async () => gone.attemptsRefused.length,
      (n) => n >= count,
    );
    const dueNow = () =>
      gateway.running.app
        .get(Database)
        .execute('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE subscription_id = ?', [
          new Date(Date.now() - 1000).toISOString(),
          made.body.id,
        ]);
    const disabled = () =>
      eventually(
        () => client.as(agency, 'GET', '/v1/subscriptions'),
        (r) => r.body.items[0].status === 'disabled',
      );
    return { gone, agency, subscriptionId: made.body.id as string, ids, dueNow, disabled };
  };

  it('after a 410 Gone, sends none of the deliveries that waited with it, and fails each once', async () => {
    const { gone, agency, subscriptionId, ids, dueNow, disabled } = await deliveriesWaiting('VN.MPS', 3);
    gone.answerAlways({ status: 410 });
    await dueNow();
    await disabled();
    await new Promise((r) => setTimeout(r, 500));

    expect(gone.attemptsRefused.map((a) => a.status)).toEqual([503, 503, 503, 410]);
    const deliveries = (await client.as(agency, 'GET', '/v1/deliveries?limit=500')).body.items;
    expect(ids.map((id) => deliveries.find((d: any) => d.messageId === id))).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 2 }),
      expect.objectContaining({ status: 'failed', attempts: 1 }),
      expect.objectContaining({ status: 'failed', attempts: 1 }),
    ]);
    // The record holds the disabling, once; the deliveries it failed are not failed again one by one.
    const audit = (await client.admin('GET', '/v1/admin/audit?limit=500')).body.items;
    expect(
      audit.filter((i: any) => i.subject === subscriptionId && i.action === 'subscription.disabled'),
    ).toHaveLength(1);
    expect(
      audit.filter((i: any) => i.action === 'message.delivery-failed' && ids.includes(i.subject)),
    ).toEqual([]);
    await gone.stop();
  });

  it('records the deliveries of a round that got through before a 410, and fails only the rest', async () => {
    const { gone, agency, ids, dueNow, disabled } = await deliveriesWaiting('MY.PDRM', 4);
    // One round sends them in inbox order: two get through, then 410 Gone.
    gone.answer({ status: 204 }, { status: 200 });
    gone.answerAlways({ status: 410 });
    await dueNow();
    await disabled();
    await new Promise((r) => setTimeout(r, 500));

    expect(gone.received.map((r) => r.body.messageId)).toEqual(ids.slice(0, 2));
    const deliveries = (await client.as(agency, 'GET', '/v1/deliveries?limit=500')).body.items;
    expect(ids.map((id) => deliveries.find((d: any) => d.messageId === id))).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 2 }),
      expect.objectContaining({ status: 'delivered', attempts: 2 }),
      expect.objectContaining({ status: 'failed', attempts: 2 }),
      expect.objectContaining({ status: 'failed', attempts: 1 }),
    ]);
    const audit = (await client.admin('GET', '/v1/admin/audit?limit=500')).body.items;
    const delivered = audit.filter(
      (i: any) =>
        i.action === 'message.delivered' &&
        i.details?.recipient === 'MY.PDRM' &&
        i.details.channel === 'webhook',
    );
    expect(delivered.map((i: any) => [i.subject, i.details.channel, i.details.attempt])).toEqual([
      [ids[0], 'webhook', 2],
      [ids[1], 'webhook', 2],
    ]);
    for (const id of ids.slice(0, 2)) {
      const status = await client.as(police, 'GET', `/v1/messages/${id}`);
      expect(status.body.recipients).toContainEqual(
        expect.objectContaining({ participant: 'MY.PDRM', delivery: 'delivered' }),
      );
    }
    await gone.stop();
  });
});
