import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exampleData, INCIDENT_ALERT } from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { registerCaseTeamWithWebhook } from '../support/case-team';
import { WebhookReceiver } from '../support/webhook-receiver';
import { freePort, GatewayProcess } from '../support/gateway-process';
import {
  createTestDatabase,
  deleteBrokerTopology,
  TEST_AMQP_URL,
  TestGateway,
} from '../support/test-gateway';

const MESSAGES = 240;
const CONCURRENCY = 6;
const KILLS = 8;

/**
 * Two API processes and two worker processes on PostgreSQL and RabbitMQ, SIGKILLed in turn and
 * restarted while signed messages are published. A client retries the identical bytes until it
 * gets 202 or 200, as the protocol allows; afterwards every message must be in every recipient's
 * inbox exactly once, numbered without a gap, and at the webhook receiver at least once.
 */
describe('SIGKILL of the API and the workers under load (PostgreSQL + RabbitMQ, separate processes)', () => {
  let dir: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let apis: GatewayProcess[];
  let workers: GatewayProcess[];
  const receiver = new WebhookReceiver();
  const prefix = `rdxtest-${randomBytes(6).toString('hex')}`;
  const adminToken = `rdx_test_${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdx-crash-'));
    database = await createTestDatabase();
    const common = {
      RDX_DATABASE_URL: database.url,
      RDX_AMQP_URL: TEST_AMQP_URL,
      RDX_AMQP_PREFIX: prefix,
      RDX_ADMIN_TOKEN: adminToken,
      RDX_GATEWAY_KEY_FILE: join(dir, 'gateway-key.json'),
      RDX_SHARING_POLICY: resolve(__dirname, '../../config/sharing-policy.json'),
      RDX_OUTBOX_SWEEP_AFTER_MS: '1500',
      RDX_LOG_LEVEL: 'error',
      RDX_HOST: '127.0.0.1',
      RDX_WEBHOOK_ALLOW_PRIVATE: 'true',
      // Generous, as a loaded CI machine may be slow to answer: the test is about losing nothing.
      RDX_WEBHOOK_TIMEOUT_MS: '5000',
      RDX_RETRY_DELAYS: Array.from({ length: 30 }, () => '1').join(','),
      RDX_WEBHOOK_BREAKER_OPEN_MS: '2000',
    };
    apis = [
      new GatewayProcess({ ...common, RDX_ROLES: 'api', RDX_PORT: String(await freePort()) }),
      new GatewayProcess({ ...common, RDX_ROLES: 'api', RDX_PORT: String(await freePort()) }),
    ];
    workers = [
      new GatewayProcess({ ...common, RDX_ROLES: 'worker', RDX_PORT: String(await freePort()) }),
      new GatewayProcess({ ...common, RDX_ROLES: 'worker', RDX_PORT: String(await freePort()) }),
    ];
    for (const api of apis) await api.start();
    for (const worker of workers) await worker.start();
  });

  afterAll(async () => {
    for (const api of apis ?? []) await api.stop();
    for (const worker of workers ?? []) await worker.stop();
    await receiver.stop();
    await database?.drop();
    await deleteBrokerTopology(prefix).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers every accepted message exactly once, whatever is killed when', async () => {
    // Agencies spread over both API instances, as behind a load balancer.
    const clients = apis.map(
      (api) => new GatewayClient({ url: api.url, adminToken, gatewayId: 'rdx-gateway' } as TestGateway),
    );
    const client = clients[0];
    const { police, ministry, thai } = await registerCaseTeamWithWebhook(client, receiver);

    const signed = await Promise.all(
      Array.from({ length: MESSAGES }, () => police.signMessage({ data: exampleData(INCIDENT_ALERT) })),
    );
    let next = 0;
    let retries = 0;
    const outcomes = new Map<string, number>();
    const publishAll = async () => {
      while (next < signed.length) {
        const index = next++;
        const { jws, envelope } = signed[index];
        for (let attempt = 0; ; attempt++) {
          // A dead process answers nothing and a restarting one may answer 503: try the other instance.
          const status = await clients[(index + attempt) % clients.length].publish(jws).then(
            (reply) => reply.status,
            () => 0,
          );
          if (status === 202 || status === 200) {
            outcomes.set(envelope.id as string, status);
            break;
          }
          retries++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };

    const killer = (async () => {
      for (let i = 0; i < KILLS; i++) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
        const victim = [apis[0], workers[0], apis[1], workers[1]][i % 4];
        await victim.kill();
        await victim.start();
      }
    })();
    await Promise.all([...Array.from({ length: CONCURRENCY }, publishAll), killer]);
    expect(outcomes.size).toBe(MESSAGES);

    const ids = signed.map((s) => s.envelope.id as string).sort();
    for (const recipient of [ministry, thai]) {
      const items = await client.awaitInbox(recipient, MESSAGES, 90_000);
      expect(items.map((item) => item.messageId).sort()).toEqual(ids);
      expect(items.map((item) => item.seq)).toEqual(ids.map((_id, i) => i + 1));
    }
    // Webhooks are at least once: every message arrives; a kill between a POST and its record may repeat one.
    const pushed = await receiver.awaitCount(MESSAGES, 90_000);
    const pushedIds = new Set(pushed.map((r) => r.body.messageId as string));
    const failed = await client.as(ministry, 'GET', '/v1/deliveries?status=failed');
    expect(failed.body.items).toEqual([]);
    expect([...pushedIds].sort()).toEqual(ids);
    // The receiver may count a POST before its worker records it (or dies first, and its lease runs out).
    const deadline = Date.now() + 90_000;
    let delivered = 0;
    while (delivered < MESSAGES && Date.now() < deadline) {
      delivered = (await client.as(ministry, 'GET', '/v1/deliveries?status=delivered&limit=500')).body.items
        .length;
      if (delivered < MESSAGES) await new Promise((r) => setTimeout(r, 200));
    }
    expect(delivered).toBe(MESSAGES);
    // For the record of what this run did.
    console.log(
      `crash test: ${MESSAGES} messages, ${KILLS} SIGKILLs (2 api and 2 worker processes in turn), ` +
        `${retries} client retries, ${pushed.length - pushedIds.size} webhook repeats`,
    );
  }, 180_000);
});
