import { loadConfig } from '@rdx/config';
import { topologyNames } from '@rdx/messaging';
import { exampleData, INCIDENT_ALERT, TcpProxy } from '@rdx/testing';
import { connect } from 'amqplib';
import { RunningGateway, startGateway } from '../../apps/gateway/src/gateway.app';
import { GatewayClient } from '../support/gateway-client';
import { parseExposition, samplesOf, valueOf } from '../support/prometheus';
import { registerCaseTeamWithWebhook } from '../support/case-team';
import { WebhookReceiver } from '../support/webhook-receiver';
import {
  createTestDatabase,
  startTestGateway,
  TEST_AMQP_URL,
  TEST_DATABASE_URL,
  TestGateway,
} from '../support/test-gateway';

const through = (url: string, port: number) => {
  const parsed = new URL(url);
  parsed.host = `127.0.0.1:${port}`;
  return parsed.toString();
};

/** Webhook settings for a receiver on loopback that retries soon. */
const WEBHOOKS = { RDX_WEBHOOK_ALLOW_PRIVATE: 'true', RDX_RETRY_DELAYS: '1,1,1,1,1,1,1,1' };

/** The ministry receives by webhook (and has its inbox), Thai police by pull. */
async function setUp(gateway: TestGateway, receiver: WebhookReceiver) {
  const client = new GatewayClient(gateway);
  return { client, ...(await registerCaseTeamWithWebhook(client, receiver)) };
}

/** Every accepted message reached the webhook (at least once). */
async function expectPushed(receiver: WebhookReceiver, accepted: string[]) {
  const pushed = await receiver.awaitCount(accepted.length, 30000);
  expect([...new Set(pushed.map((r) => r.body.messageId))].sort()).toEqual([...accepted].sort());
}

/** Every accepted id exactly once, in the order accepted, numbered 1..n: nothing lost, nothing twice, no gap. */
function expectExactly(items: any[], accepted: string[]) {
  expect(items.map((item) => item.messageId)).toEqual(accepted);
  expect(items.map((item) => item.seq)).toEqual(accepted.map((_id, i) => i + 1));
}

describe('the broker goes away while messages are published (PostgreSQL + RabbitMQ)', () => {
  const proxy = new TcpProxy(new URL(TEST_AMQP_URL).hostname, Number(new URL(TEST_AMQP_URL).port || 5672));
  const receiver = new WebhookReceiver();
  let gateway: TestGateway;

  beforeAll(async () => {
    const port = await proxy.start();
    gateway = await startTestGateway('production', {
      ...WEBHOOKS,
      RDX_AMQP_URL: through(TEST_AMQP_URL, port),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await proxy.stop();
    await receiver.stop();
  });

  it('keeps accepting, and delivers every accepted message once the broker is back, even across a gateway restart', async () => {
    const { client, police, ministry, thai } = await setUp(gateway, receiver);
    const accepted: string[] = [];
    const publish = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const { jws, envelope } = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
        const reply = await client.publish(jws);
        expect(reply.status).toBe(202);
        accepted.push(envelope.id as string);
      }
    };

    await publish(5);
    proxy.cut();
    await publish(20); // the broker is unreachable: 202 still means stored, with its outbox event
    // Still ready, since it still accepts: a load balancer keeps it; the broker shows as down.
    const degraded = await client.request('GET', '/health/ready');
    expect([degraded.status, degraded.body]).toEqual([
      200,
      { status: 'degraded', database: 'up', schema: 'current', broker: 'down' },
    ]);
    const during = parseExposition((await client.request('GET', '/metrics')).body as string);
    expect(valueOf(during, 'rdx_broker_up', { link: 'publisher' })).toBe(0);
    expect(valueOf(during, 'rdx_broker_up', { link: 'consumer' })).toBe(0);
    expect(valueOf(during, 'rdx_queue_entries', { queue: 'outbox' })).toBeGreaterThan(0);
    expect(valueOf(during, 'rdx_queue_oldest_entry_age_seconds', { queue: 'outbox' })).toBeGreaterThan(0);

    // The gateway process dies with events still in its outbox, and comes back.
    await gateway.stop();
    await gateway.restart();
    await publish(5);
    await proxy.restore();
    await publish(5);

    const ministryItems = await client.awaitInbox(ministry, accepted.length, 30000);
    const thaiItems = await client.awaitInbox(thai, accepted.length, 30000);
    expectExactly(ministryItems, accepted);
    expectExactly(thaiItems, accepted);
    await expectPushed(receiver, accepted);
    for (const id of accepted.slice(0, 3)) {
      const status = await client.as(police, 'GET', `/v1/messages/${id}`);
      expect(status.body.recipients.every((r: { delivery: string }) => r.delivery === 'delivered')).toBe(
        true,
      );
    }
    expect((await client.request('GET', '/health/ready')).body).toEqual({
      status: 'ready',
      database: 'up',
      schema: 'current',
      broker: 'up',
    });
    const back = parseExposition((await client.request('GET', '/metrics')).body as string);
    expect(valueOf(back, 'rdx_broker_up', { link: 'publisher' })).toBe(1);
    // Every confirmed event leaves the outbox (a moment after its confirmation).
    const backlog = async () =>
      /^rdx_queue_entries\{queue="outbox"\} (\S+)$/m.exec(
        (await client.request('GET', '/metrics')).body as string,
      )?.[1];
    for (let waited = 0; (await backlog()) !== '0' && waited < 10_000; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    expect(await backlog()).toBe('0');
  });
});

describe('the database goes away (PostgreSQL + RabbitMQ)', () => {
  const pgUrl = new URL(TEST_DATABASE_URL);
  const proxy = new TcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
  const receiver = new WebhookReceiver();
  let gateway: TestGateway;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    const port = await proxy.start();
    database = await createTestDatabase();
    gateway = await startTestGateway('production', {
      ...WEBHOOKS,
      RDX_DATABASE_URL: through(database.url, port),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await proxy.stop();
    await database.drop();
    await receiver.stop();
  });

  it('answers 503 and accepts nothing while it is down, then recovers by itself', async () => {
    const { client, police, ministry } = await setUp(gateway, receiver);
    const first = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
    expect((await client.publish(first.jws)).status).toBe(202);

    proxy.cut();
    const during = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
    const refused = await client.publish(during.jws);
    expect(refused.status).toBe(503);
    expect(refused.body.type).toBe('urn:rdx:problem:unavailable');
    expect(refused.headers.get('retry-after')).toBeTruthy();
    const unready = await client.request('GET', '/health/ready');
    expect([unready.status, unready.body.type]).toEqual([503, 'urn:rdx:problem:unavailable']);
    expect(unready.body.detail).toMatch(/database/);
    expect((await client.request('GET', '/health/live')).status).toBe(200);
    const scraped = parseExposition((await client.request('GET', '/metrics')).body as string);
    expect(valueOf(scraped, 'rdx_database_up')).toBe(0);
    expect(samplesOf(scraped, 'rdx_queue_entries')).toEqual([]);
    // A while without the database: the relay, the worker and the dispatcher keep trying, nothing crashes.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await client.publish(during.jws)).status).toBe(503);
    expect((await client.request('GET', '/health/live')).status).toBe(200);

    await proxy.restore();
    expect((await client.request('GET', '/health/ready')).status).toBe(200);
    expect((await client.admin('GET', `/v1/messages/${during.envelope.id}`)).status).toBe(404);
    const after = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
    expect((await client.publish(after.jws)).status).toBe(202);
    // The refused one can simply be sent again.
    expect((await client.publish(during.jws)).status).toBe(202);
    const items = await client.awaitInbox(ministry, 3);
    expectExactly(items, [
      first.envelope.id as string,
      after.envelope.id as string,
      during.envelope.id as string,
    ]);
  });
});

describe('an event lost after the outbox let it go (PostgreSQL + RabbitMQ)', () => {
  let api: TestGateway;
  let worker: RunningGateway | undefined;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    api = await startTestGateway('production', {
      ...WEBHOOKS,
      RDX_ROLES: 'api',
      RDX_STALLED_DELIVERY_AFTER_MS: '1500',
    });
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
    await receiver.stop();
  });

  it('announces a stalled message again, so a purged or dead-lettered event loses nothing', async () => {
    const { client, police, ministry } = await setUp(api, receiver);
    const { jws, envelope } = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
    expect((await client.publish(jws)).status).toBe(202);

    // No worker runs yet: the event waits in the queue. Then it is lost there.
    const names = topologyNames(api.env.RDX_AMQP_PREFIX);
    const connection = await connect(TEST_AMQP_URL);
    const channel = await connection.createChannel();
    const deadline = Date.now() + 10_000;
    while ((await channel.checkQueue(names.queue)).messageCount < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await channel.purgeQueue(names.queue);
    expect((await channel.checkQueue(names.queue)).messageCount).toBe(0);
    await connection.close();

    worker = await startGateway(loadConfig({ ...api.env, RDX_ROLES: 'worker' }));
    const items = await client.awaitInbox(ministry, 1, 20_000);
    expect(items.map((item) => item.messageId)).toEqual([envelope.id]);
    await expectPushed(receiver, [envelope.id as string]);
  });
});
