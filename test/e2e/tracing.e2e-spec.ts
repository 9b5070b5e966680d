import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { Database } from '@rdx/persistence';
import { Tracing } from '@rdx/telemetry';
import { adultVictimData, TestAgency, VICTIM_NOTIFICATION } from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { freePort, GatewayProcess } from '../support/gateway-process';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';
import { eventually, WEBHOOK_ENV, WebhookReceiver } from '../support/webhook-receiver';

/** What no span may say: the person's name and passport number in the message's payload. */
const NAME = 'Siti Tracewatch Rahayu';
const PASSPORT = 'X93710466';

/** A victim notification about an Indonesian adult whose name and passport are distinctive. */
function victimData() {
  const data = adultVictimData('ID');
  const person = data.persons![0];
  person.names = [{ value: NAME, kind: 'passport' }];
  person.travelDocument = { type: 'passport', number: PASSPORT, issuer: 'ID', heldBy: 'self' };
  return data;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe.each(BACKENDS)('tracing one message from the API to its webhook (%s)', (backend) => {
  const exporter = new InMemorySpanExporter();
  let gateway: TestGateway;
  let client: GatewayClient;
  let police: TestAgency;
  let ministry: TestAgency;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    gateway = await startTestGateway(backend, WEBHOOK_ENV, { spanExporter: exporter });
    client = new GatewayClient(gateway);
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    for (const agency of [police, ministry]) await client.register(agency);
    receiver = new WebhookReceiver();
    const url = await receiver.start();
    const made = await client.as(ministry, 'POST', '/v1/subscriptions', {
      types: [VICTIM_NOTIFICATION],
      purpose: 'protection',
      delivery: { mode: 'webhook', url },
    });
    expect(made.status).toBe(201);
    receiver.secrets = [made.body.secret];
  });

  afterAll(async () => {
    await gateway.close();
    await receiver.stop();
  });

  it('is one trace, continued from the caller, with each step under the one before, to each webhook attempt', async () => {
    const traceId = hex(16);
    const callerSpan = hex(8);
    // The first attempt is refused: the retry is a second attempt span of the same trace.
    receiver.answer({ status: 500 });
    const { jws, envelope } = await police.signMessage({ type: VICTIM_NOTIFICATION, data: victimData() });
    const messageId = envelope.id as string;
    const accepted = await client.request('POST', '/v1/messages', {
      body: jws,
      headers: { 'content-type': 'application/jose', traceparent: `00-${traceId}-${callerSpan}-01` },
    });
    expect(accepted.status).toBe(202);
    await receiver.awaitCount(1);

    const ofTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const attempts = () => ofTrace().filter((s) => s.name === 'POST webhook');
    await eventually(
      async () => attempts().length,
      (count) => count >= 2,
    );
    const spans = ofTrace();
    const one = (name: string) => {
      const found = spans.filter((s) => s.name === name);
      expect([name, found.length]).toEqual([name, 1]);
      return found[0];
    };
    const server = one('POST /v1/messages');
    const commit = one('rdx.message.commit');
    const producer = one('send messages.accepted');
    const consumer = one('process messages.accepted');
    const [first, second] = attempts().sort(
      (a, b) => Number(a.attributes['rdx.webhook.attempt']) - Number(b.attributes['rdx.webhook.attempt']),
    );

    // The caller's trace is continued, and each step is the child of the one that led to it.
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(parentOf(server)).toBe(callerSpan);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/messages',
      'http.response.status_code': 202,
    });
    expect(parentOf(commit)).toBe(idOf(server));
    expect(commit.attributes).toMatchObject({
      'rdx.message.id': messageId,
      'rdx.message.type': VICTIM_NOTIFICATION,
      'rdx.batch.size': expect.any(Number),
    });
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(producer)).toBe(idOf(commit));
    // Only the event's headers carry the producer's context to the consumer: across RabbitMQ,
    // a different connection in another part of the process, or the in-process bus.
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(consumer)).toBe(idOf(producer));
    expect(consumer.attributes).toMatchObject({
      'messaging.system': backend === 'production' ? 'rabbitmq' : 'rdx-in-process',
      'messaging.destination.name': 'messages.accepted',
      'rdx.message.id': messageId,
    });
    for (const attempt of [first, second]) {
      expect(attempt.kind).toBe(SpanKind.CLIENT);
      expect(parentOf(attempt)).toBe(idOf(consumer));
    }
    const delivered = receiver.received.find((r) => r.body.messageId === messageId)!;
    expect(first.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 500,
      'rdx.webhook.attempt': 1,
      'rdx.delivery.id': delivered.id,
      'rdx.subscription.id': expect.stringMatching(/./),
      'rdx.message.id': messageId,
    });
    expect(second.attributes).toMatchObject({ 'http.response.status_code': 200, 'rdx.webhook.attempt': 2 });

    // The receiving agency was handed each attempt's context, to join the trace.
    const refused = receiver.attemptsRefused.find((r) => r.id === delivered.id)!;
    expect(refused.traceparent).toBe(`00-${traceId}-${idOf(first)}-01`);
    expect(delivered.traceparent).toBe(`00-${traceId}-${idOf(second)}-01`);

    // Nothing the message says is in any span of it: ids, types, counts and codes only.
    const said = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events, s.resource.attributes]));
    expect(said).toContain(messageId);
    for (const secret of [NAME, 'Tracewatch', PASSPORT, jws.slice(0, 40)]) expect(said).not.toContain(secret);

    // Stored for the work that other processes may pick up later.
    const db = gateway.running.app.get(Database);
    const [message] = await db.query<{ trace_parent: string }>(
      'SELECT trace_parent FROM messages WHERE id = ?',
      [messageId],
    );
    expect(message.trace_parent).toBe(`00-${traceId}-${idOf(commit)}-01`);
    const [delivery] = await db.query<{ trace_parent: string }>(
      'SELECT trace_parent FROM webhook_deliveries WHERE id = ?',
      [delivered.id],
    );
    expect(delivery.trace_parent).toBe(`00-${traceId}-${idOf(consumer)}-01`);
  });

  it("joins the message's stored trace when the outbox sweeper announces it again", async () => {
    const traceId = hex(16);
    const { jws, envelope } = await police.signMessage({ type: VICTIM_NOTIFICATION, data: victimData() });
    const messageId = envelope.id as string;
    const accepted = await client.request('POST', '/v1/messages', {
      body: jws,
      headers: { 'content-type': 'application/jose', traceparent: `00-${traceId}-${hex(8)}-01` },
    });
    expect(accepted.status).toBe(202);
    const ofTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    await eventually(
      async () => ofTrace().filter((s) => s.name === 'process messages.accepted').length,
      (count) => count === 1,
    );
    // An event left in the outbox (its publisher died before the confirm), as the sweeper finds it.
    const now = new Date().toISOString();
    await gateway.running.app
      .get(Database)
      .query('INSERT INTO outbox (message_ids, pattern, created_at, available_at) VALUES (?, ?, ?, ?)', [
        JSON.stringify([messageId]),
        'messages.accepted',
        now,
        now,
      ]);
    const spans = await eventually(
      async () => ofTrace(),
      (found) => found.filter((s) => s.name === 'process messages.accepted').length === 2,
    );
    const commit = spans.find((s) => s.name === 'rdx.message.commit')!;
    const producers = spans.filter((s) => s.name === 'send messages.accepted');
    expect(producers.map(parentOf)).toEqual([idOf(commit), idOf(commit)]);
    const consumers = spans.filter((s) => s.name === 'process messages.accepted');
    expect(consumers.map(parentOf).sort()).toEqual(producers.map(idOf).sort());
  });

  it('starts a trace of its own for a message posted without a traceparent', async () => {
    const { jws, envelope } = await police.signMessage({ type: VICTIM_NOTIFICATION, data: victimData() });
    expect((await client.publish(jws)).status).toBe(202);
    const commit = await eventually(
      async () =>
        exporter
          .getFinishedSpans()
          .find((s) => s.attributes['rdx.message.id'] === envelope.id && s.name === 'rdx.message.commit'),
      (span) => span !== undefined,
    );
    const server = exporter.getFinishedSpans().find((s) => idOf(s) === parentOf(commit!))!;
    expect(server.name).toBe('POST /v1/messages');
    expect(server.parentSpanContext).toBeUndefined();
  });
});

describe.each(BACKENDS)('tracing off (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    gateway = await startTestGateway(backend, WEBHOOK_ENV);
    client = new GatewayClient(gateway);
    receiver = new WebhookReceiver();
  });

  afterAll(async () => {
    await gateway.close();
    await receiver.stop();
  });

  it('records and stores no trace context, and sends none', async () => {
    expect(gateway.running.app.get(Tracing).enabled).toBe(false);
    const police = await TestAgency.create('KH.CNP', 'law-enforcement');
    const ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    for (const agency of [police, ministry]) await client.register(agency);
    const url = await receiver.start();
    const made = await client.as(ministry, 'POST', '/v1/subscriptions', {
      types: [VICTIM_NOTIFICATION],
      purpose: 'protection',
      delivery: { mode: 'webhook', url },
    });
    receiver.secrets = [made.body.secret];
    const { jws } = await police.signMessage({ type: VICTIM_NOTIFICATION, data: victimData() });
    const accepted = await client.request('POST', '/v1/messages', {
      body: jws,
      headers: { 'content-type': 'application/jose', traceparent: `00-${hex(16)}-${hex(8)}-01` },
    });
    expect(accepted.status).toBe(202);
    const [delivered] = await receiver.awaitCount(1);
    expect(delivered.traceparent).toBeUndefined();
    const db = gateway.running.app.get(Database);
    expect(await db.query('SELECT id FROM messages WHERE trace_parent IS NOT NULL')).toEqual([]);
    expect(await db.query('SELECT id FROM webhook_deliveries WHERE trace_parent IS NOT NULL')).toEqual([]);
  });
});

// The gateway as operators run it, in a process of its own: the OTLP exporter loads its HTTP
// transport by a dynamic import, which Jest's module sandbox does not allow.
describe('tracing on by OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('sends the spans over OTLP/HTTP in batches, with the service name and gateway id, flushed at shutdown', async () => {
    const requests: { path: string; body: Buffer }[] = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({ path: request.url ?? '', body: Buffer.concat(chunks) });
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const dir = await mkdtemp(join(tmpdir(), 'rdx-otlp-'));
    const adminToken = `rdx_test_${hex(24)}`;
    const gateway = new GatewayProcess({
      RDX_PORT: String(await freePort()),
      RDX_HOST: '127.0.0.1',
      RDX_DATABASE_URL: `sqlite:${join(dir, 'rdx.sqlite')}`,
      RDX_ADMIN_TOKEN: adminToken,
      RDX_GATEWAY_ID: 'rdx-gw-otlp',
      RDX_GATEWAY_KEY_FILE: join(dir, 'gateway-key.json'),
      RDX_SHARING_POLICY: resolve(__dirname, '../../config/sharing-policy.json'),
      RDX_LOG_LEVEL: 'error',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      OTEL_SERVICE_NAME: 'rdx-traced-test',
    });
    try {
      await gateway.start();
      const client = new GatewayClient({
        url: gateway.url,
        adminToken,
        gatewayId: 'rdx-gw-otlp',
      } as TestGateway);
      const police = await TestAgency.create('KH.CNP', 'law-enforcement');
      const ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
      for (const agency of [police, ministry]) await client.register(agency);
      expect((await client.subscribe(ministry, [VICTIM_NOTIFICATION])).status).toBe(201);
      const { jws } = await police.signMessage({ type: VICTIM_NOTIFICATION, data: victimData() });
      expect((await client.publish(jws)).status).toBe(202);
      await client.awaitInbox(ministry, 1);
      // Batched: nothing is sent before the batch's delay (5 s), unless the gateway stops.
      expect(requests).toEqual([]);
      await gateway.stop();
    } catch (error) {
      await gateway.kill();
      throw error;
    } finally {
      collector.close();
      await rm(dir, { recursive: true, force: true });
    }
    expect(requests.map((r) => r.path)).toContain('/v1/traces');
    const sent = Buffer.concat(requests.map((r) => r.body)).toString('latin1');
    for (const said of ['rdx-traced-test', 'rdx-gw-otlp', 'POST /v1/messages', 'rdx.message.commit'])
      expect(sent).toContain(said);
    expect(sent).not.toContain(PASSPORT);
  });
});
