import { exampleData, INCIDENT_ALERT, TestAgency } from '@rdx/testing';
import { WebhookDeliveriesRepository } from '@rdx/persistence';
import { GatewayClient } from '../support/gateway-client';
import { registerCaseTeam, subscribeWebhook } from '../support/case-team';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';
import { eventually, WEBHOOK_ENV, WebhookReceiver } from '../support/webhook-receiver';

/**
 * How the dispatcher shares its work out: deliveries leave as routing commits them, a
 * subscription keeps its lease while it has work, and a dead or hanging endpoint holds up no
 * other.
 */
describe.each(BACKENDS)('webhook deliveries go out as routing commits them (%s)', (backend) => {
  let gateway: TestGateway;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    // An hour between polls: only the wake-up from routing can push these in time.
    gateway = await startTestGateway(backend, { ...WEBHOOK_ENV, RDX_WEBHOOK_POLL_MS: '3600000' });
  });
  afterAll(async () => {
    await gateway.close();
    await receiver.stop();
  });

  it('pushes each message without waiting for the next poll', async () => {
    const client = new GatewayClient(gateway);
    const { police, ministry } = await registerCaseTeam(client);
    await subscribeWebhook(client, ministry, receiver);
    const ids: string[] = [];
    for (let round = 0; round < 3; round++) {
      const { jws, envelope } = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
      expect((await client.publish(jws)).status).toBe(202);
      ids.push(envelope.id as string);
      // Each waits for the one before, so that every round finds the dispatcher idle.
      expect((await receiver.awaitCount(ids.length)).map((item) => item.body.messageId)).toEqual(ids);
    }
  });
});

describe.each(BACKENDS)('webhook subscriptions kept between deliveries (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    // An hour between polls: what goes out, goes out because routing handed it over.
    gateway = await startTestGateway(backend, { ...WEBHOOK_ENV, RDX_WEBHOOK_POLL_MS: '3600000' });
    client = new GatewayClient(gateway);
  });
  afterAll(async () => {
    await gateway.close();
    for (const receiver of receivers) await receiver.stop();
  });

  const aReceiver = () => {
    const receiver = new WebhookReceiver();
    receivers.push(receiver);
    return receiver;
  };

  const publishAlert = async (police: TestAgency) => {
    const { jws, envelope } = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
    expect((await client.publish(jws)).status).toBe(202);
    return envelope.id as string;
  };

  it('serves a steady flow to one subscription under the lease it holds, claiming it no more', async () => {
    const police = await TestAgency.create('KH.CNP-STEADY', 'law-enforcement');
    const ministry = await TestAgency.create('ID.KEMLU-STEADY', 'foreign-affairs');
    for (const agency of [police, ministry]) await client.register(agency);
    const receiver = aReceiver();
    await subscribeWebhook(client, ministry, receiver);
    const ids = [await publishAlert(police)];
    await receiver.awaitCount(1);
    const claims = jest.spyOn(gateway.running.app.get(WebhookDeliveriesRepository), 'claimDue');
    for (let n = 1; n < 5; n++) {
      ids.push(await publishAlert(police));
      await receiver.awaitCount(ids.length);
    }
    expect(receiver.received.map((item) => item.body.messageId)).toEqual(ids);
    expect(claims).not.toHaveBeenCalled();
    claims.mockRestore();
  });

  it('lets the waiting subscriptions go when another needs a slot: more subscriptions than slots all get theirs', async () => {
    const police = await TestAgency.create('KH.CNP-MANY', 'law-enforcement');
    const ministry = await TestAgency.create('ID.KEMLU-MANY', 'foreign-affairs');
    for (const agency of [police, ministry]) await client.register(agency);
    // One more than the 16 subscriptions a dispatcher serves at once.
    const many = Array.from({ length: 17 }, aReceiver);
    for (const receiver of many) await subscribeWebhook(client, ministry, receiver);
    const first = await publishAlert(police);
    for (const receiver of many)
      expect((await receiver.awaitCount(1, 10_000)).map((item) => item.body.messageId)).toEqual([first]);
    const second = await publishAlert(police);
    for (const receiver of many)
      expect((await receiver.awaitCount(2, 10_000)).map((item) => item.body.messageId)).toEqual([
        first,
        second,
      ]);
  });
});

describe('a dead endpoint does not slow the others (circuit breaker)', () => {
  let gateway: TestGateway;
  const dead = new WebhookReceiver();
  const alive = new WebhookReceiver();

  beforeAll(async () => {
    gateway = await startTestGateway('embedded', {
      ...WEBHOOK_ENV,
      RDX_WEBHOOK_BREAKER_THRESHOLD: '2',
      RDX_WEBHOOK_BREAKER_OPEN_MS: '60000',
    });
  });
  afterAll(async () => {
    await gateway.close();
    await dead.stop();
    await alive.stop();
  });

  it('holds back deliveries to an endpoint that keeps failing, without counting attempts', async () => {
    const client = new GatewayClient(gateway);
    const { police, ministry, thai } = await registerCaseTeam(client);
    dead.answerAlways({ status: 503 });
    await subscribeWebhook(client, ministry, dead);
    await subscribeWebhook(client, thai, alive);
    for (let i = 0; i < 5; i++) {
      expect(
        (await client.publish((await police.signMessage({ data: exampleData(INCIDENT_ALERT) })).jws)).status,
      ).toBe(202);
    }
    expect(await alive.awaitCount(5)).toHaveLength(5);
    // Two failures open the circuit; after them, the other deliveries wait without an attempt.
    await eventually(
      async () => dead.attemptsRefused.length,
      (n) => n >= 2,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(dead.attemptsRefused).toHaveLength(2);
    const deliveries = (await client.as(ministry, 'GET', '/v1/deliveries')).body.items;
    expect(deliveries).toHaveLength(5);
    expect(deliveries.reduce((sum: number, d: any) => sum + d.attempts, 0)).toBe(2);
    expect(deliveries.every((d: any) => d.status === 'pending')).toBe(true);

    // Ending the subscription ends its pending deliveries; the messages are in the inbox.
    const [hook] = (await client.as(ministry, 'GET', '/v1/subscriptions')).body.items;
    expect((await client.as(ministry, 'DELETE', `/v1/subscriptions/${hook.id}`)).status).toBe(204);
    expect((await client.as(ministry, 'GET', '/v1/deliveries')).body.items).toEqual([]);
    const status = await client.as(police, 'GET', `/v1/messages/${deliveries[0].messageId}`);
    expect(status.body.recipients).toContainEqual({ participant: 'ID.KEMLU', delivery: 'delivered' });
    expect(await client.awaitInbox(ministry, 5)).toHaveLength(5);
  });
});

describe('a hanging endpoint does not hold up the others', () => {
  let gateway: TestGateway;
  const hanging = new WebhookReceiver();
  const alive = new WebhookReceiver();

  beforeAll(async () => {
    gateway = await startTestGateway('embedded', { ...WEBHOOK_ENV, RDX_WEBHOOK_TIMEOUT_MS: '30000' });
  });
  afterAll(async () => {
    await gateway.close();
    await hanging.stop();
    await alive.stop();
  });

  it("keeps each subscription's deliveries going while another's request waits for its answer", async () => {
    const client = new GatewayClient(gateway);
    const { police, ministry, thai } = await registerCaseTeam(client);
    await subscribeWebhook(client, ministry, hanging);
    await subscribeWebhook(client, thai, alive);
    hanging.hold();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { jws, envelope } = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
      expect((await client.publish(jws)).status).toBe(202);
      ids.push(envelope.id as string);
      // One after another, so that each goes out in a round of its own.
      expect((await alive.awaitCount(ids.length, 10_000)).map((item) => item.body.messageId)).toEqual(ids);
    }
    // All the while, the first delivery to the hanging endpoint was still waiting for its answer.
    expect(hanging.received.map((item) => item.body.messageId)).toEqual([ids[0]]);
    hanging.release();
    expect((await hanging.awaitCount(3)).map((item) => item.body.messageId)).toEqual(ids);
  });
});
