import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { adultVictimData, VICTIM_NOTIFICATION } from '@rdx/testing';
import { registerCaseTeam, subscribeWebhook } from '../support/case-team';
import { GatewayClient } from '../support/gateway-client';
import { freePort, GatewayProcess } from '../support/gateway-process';
import {
  Backend,
  BACKENDS,
  createTestDatabase,
  deleteBrokerTopology,
  TEST_AMQP_URL,
  TestGateway,
} from '../support/test-gateway';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';

/** What a victim notification says of a person that must never reach a log line. */
const PERSONAL = {
  name: `Siti Lograhmawati ${randomBytes(3).toString('hex')}`,
  alias: `Kevin Logalias ${randomBytes(3).toString('hex')}`,
  passport: `PX${Math.floor(Math.random() * 1e7)}`,
  phone: `+62812${Math.floor(Math.random() * 1e7)}`,
  place: `Shelter Logplace ${randomBytes(3).toString('hex')}`,
};

function notificationData() {
  const data = adultVictimData('ID');
  const person = data.persons![0];
  person.names = [
    { value: PERSONAL.name, script: 'Latn', kind: 'passport' },
    { value: PERSONAL.alias, script: 'Latn', kind: 'alias' },
  ];
  person.travelDocument = { type: 'passport', number: PERSONAL.passport, issuer: 'ID', heldBy: 'exploiter' };
  person.phone = PERSONAL.phone;
  (data.location as Record<string, unknown>).place = PERSONAL.place;
  return data;
}

/** Publishes with the body sent 100 ms after the headers, in two parts; the status. */
function publishSlowly(url: string, jws: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose', 'content-length': Buffer.byteLength(jws) },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.flushHeaders();
    setTimeout(() => request.write(jws.slice(0, 100)), 100);
    setTimeout(() => request.end(jws.slice(100)), 200);
  });
}

type Line = Record<string, unknown> & { level: string; time: string; msg: string };

/**
 * The gateway's own output, as an operator's log shipper reads it: the built gateway in processes
 * of its own (on PostgreSQL + RabbitMQ an API and a worker apart), real traffic full of names and
 * passport numbers, then every line read back.
 */
describe.each(BACKENDS)('structured logs (%s)', (backend: Backend) => {
  let dir: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let processes: GatewayProcess[];
  const receiver = new WebhookReceiver();
  const prefix = `rdxtest-${randomBytes(6).toString('hex')}`;
  const adminToken = `rdx_test_${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdx-logs-'));
    database = backend === 'production' ? await createTestDatabase() : undefined;
    const common = {
      RDX_ADMIN_TOKEN: adminToken,
      RDX_GATEWAY_KEY_FILE: join(dir, 'gateway-key.json'),
      RDX_SHARING_POLICY: resolve(__dirname, '../../config/sharing-policy.json'),
      // Every line the gateway can write.
      RDX_LOG_LEVEL: 'debug',
      RDX_HOST: '127.0.0.1',
      RDX_WEBHOOK_ALLOW_PRIVATE: 'true',
      RDX_RETRY_DELAYS: '1',
      RDX_WEBHOOK_BREAKER_THRESHOLD: '100',
      ...(database === undefined
        ? { RDX_DATABASE_URL: `sqlite:${join(dir, 'rdx.sqlite')}` }
        : { RDX_DATABASE_URL: database.url, RDX_AMQP_URL: TEST_AMQP_URL, RDX_AMQP_PREFIX: prefix }),
    };
    processes =
      backend === 'production'
        ? [
            new GatewayProcess({ ...common, RDX_ROLES: 'api', RDX_PORT: String(await freePort()) }),
            new GatewayProcess({ ...common, RDX_ROLES: 'worker', RDX_PORT: String(await freePort()) }),
          ]
        : [new GatewayProcess({ ...common, RDX_PORT: String(await freePort()) })];
    for (const process of processes) await process.start();
  });

  afterAll(async () => {
    for (const process of processes ?? []) await process.stop();
    await receiver.stop();
    await database?.drop();
    if (backend === 'production') await deleteBrokerTopology(prefix).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one JSON object a line, with the ids of the work, and nothing personal or secret', async () => {
    const client = new GatewayClient({
      url: processes[0].url,
      adminToken,
      gatewayId: 'rdx-gateway',
    } as TestGateway);
    const { police, ministry } = await registerCaseTeam(client);
    // The ministry's endpoint is down: each delivery is tried twice, then fails (a warning).
    receiver.answerAlways({ status: 500 });
    const { id: subscriptionId, secret } = await subscribeWebhook(client, ministry, receiver, [
      VICTIM_NOTIFICATION,
    ]);
    const jwsSent: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { jws, envelope } = await police.signMessage({
        type: VICTIM_NOTIFICATION,
        tlp: 'amber',
        data: notificationData(),
      });
      const accepted = await client.publish(jws);
      expect(accepted.status).toBe(202);
      jwsSent.push(jws);
      ids.push(envelope.id as string);
    }
    // A body that comes a moment after its headers, in another async context.
    const late = await police.signMessage({
      type: VICTIM_NOTIFICATION,
      tlp: 'amber',
      data: notificationData(),
    });
    expect(await publishSlowly(processes[0].url, late.jws)).toBe(202);
    jwsSent.push(late.jws);
    ids.push(late.envelope.id as string);
    // Refusals that carry the personal data in what was refused.
    const invalid = notificationData();
    (invalid.persons![0] as Record<string, unknown>).dateOfBirth = PERSONAL.name;
    const refused = await police.signMessage({ type: VICTIM_NOTIFICATION, data: invalid });
    expect((await client.publish(refused.jws)).status).toBe(422);
    const forged = `${jwsSent[0].slice(0, -8)}AAAAAAAA`;
    expect((await client.publish(forged)).status).toBe(401);
    // The caller's own request id names its line, and comes back.
    const requestId = `ministry-${randomUUID()}`;
    const pulled = await client.request('GET', '/v1/inbox', {
      headers: { authorization: `Bearer ${await ministry.bearer()}`, 'x-request-id': requestId },
    });
    expect(pulled.status).toBe(200);
    expect(pulled.headers.get('x-request-id')).toBe(requestId);
    expect((await client.ack(ids[0], await ministry.signAck(ids[0], 'received'))).status).toBe(200);
    const logs = () => processes.map((p) => p.logs).join('');
    await eventually(
      async () => logs(),
      (text) => text.split('failed after 2 attempt(s)').length > ids.length,
    );
    for (const process of processes) await process.stop();

    const lines = logs()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(20);
    const parsed = lines.map((line) => {
      const value = JSON.parse(line) as Line;
      // Each field once: a shipper keeps one of two equal keys, whichever it likes.
      for (const key of ['requestId', 'messageId', 'participantId', 'deliveryId', 'subscriptionId'])
        expect(line.split(`"${key}":`).length).toBeLessThanOrEqual(2);
      expect(typeof value).toBe('object');
      expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(value.level);
      expect(new Date(value.time).toISOString()).toBe(value.time);
      expect(typeof value.msg).toBe('string');
      return value;
    });

    // Each request's line: its id, its route path and status, and who and what it concerned.
    const publishes = parsed.filter((l) => (l.req as { path?: string })?.path === '/v1/messages');
    expect(publishes).toHaveLength(6);
    for (const line of publishes) expect(line.requestId).toEqual(expect.any(String));
    for (const id of ids) {
      expect(publishes).toContainEqual(
        expect.objectContaining({ messageId: id, participantId: 'KH.CNP', res: { status: 202 } }),
      );
    }
    expect(publishes).toContainEqual(
      expect.objectContaining({
        participantId: 'KH.CNP',
        messageId: refused.envelope.id,
        res: { status: 422 },
      }),
    );
    expect(parsed).toContainEqual(
      expect.objectContaining({
        requestId,
        participantId: 'ID.KEMLU',
        req: { method: 'GET', path: '/v1/inbox' },
      }),
    );
    expect(parsed).toContainEqual(
      expect.objectContaining({
        messageId: ids[0],
        req: { method: 'POST', path: `/v1/messages/${ids[0]}/acks` },
      }),
    );
    // The worker's lines about a delivery carry the delivery's ids.
    for (const id of ids) {
      expect(parsed).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          messageId: id,
          participantId: 'ID.KEMLU',
          subscriptionId,
          deliveryId: expect.any(String),
        }),
      );
    }

    // Nothing a message says, no credential, no key.
    const text = lines.join('\n');
    for (const value of Object.values(PERSONAL)) expect(text).not.toContain(value);
    for (const jws of [...jwsSent, refused.jws]) {
      for (const part of jws.split('.')) expect(text).not.toContain(part);
    }
    expect(text).not.toContain(adminToken);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.replace(/^whsec_/, ''));
    expect(text).not.toMatch(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/);
    expect(text).not.toMatch(/bearer/i);
    for (const agency of [police, ministry]) expect(text).not.toContain(agency.privateJwk.d);
  });

  it('writes lines for a person to read when asked (RDX_LOG_FORMAT=pretty)', async () => {
    const pretty = new GatewayProcess({
      RDX_DATABASE_URL: `sqlite:${join(dir, 'pretty.sqlite')}`,
      RDX_GATEWAY_KEY_FILE: join(dir, 'pretty-key.json'),
      RDX_SHARING_POLICY: resolve(__dirname, '../../config/sharing-policy.json'),
      RDX_HOST: '127.0.0.1',
      RDX_PORT: String(await freePort()),
      RDX_LOG_FORMAT: 'pretty',
    });
    await pretty.start();
    await pretty.stop();
    const lines = pretty.logs.split('\n').filter((line) => line.includes('RDX gateway rdx-gateway running'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/INFO/);
    expect(() => JSON.parse(lines[0])).toThrow();
  });
});
