import { PROBLEMS } from '@rdx/errors';
import {
  adultVictimData,
  alertForAnyone,
  exampleData,
  INCIDENT_ALERT,
  TestAgency,
  VICTIM_NOTIFICATION,
} from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { freePort } from '../support/gateway-process';
import { parseExposition, promtoolCheck, samplesOf, Scrape, valueOf } from '../support/prometheus';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';

/** Retries soon once, then not for ten minutes: a delivery failing twice stays "retrying" meanwhile. */
const ENV = {
  RDX_WEBHOOK_ALLOW_PRIVATE: 'true',
  RDX_RETRY_DELAYS: '1,600',
  RDX_WEBHOOK_TIMEOUT_MS: '1000',
  RDX_WEBHOOK_BREAKER_THRESHOLD: '2',
  RDX_WEBHOOK_BREAKER_OPEN_MS: '600000',
};

/** Payload values no label may ever carry. */
const NAME = 'Zorvanthia Quillemort';
const PASSPORT = 'X7Q4P9Z2';

describe.each(BACKENDS)('metrics (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  const receivers = { ok: new WebhookReceiver(), broken: new WebhookReceiver(), gone: new WebhookReceiver() };
  const slow = new WebhookReceiver();
  const subscriptions: Record<string, string> = {};
  let police: TestAgency;
  let thaiPolice: TestAgency;
  let expiring: TestAgency;
  let before: Scrape;
  let after: Scrape;
  const accepted: string[] = [];
  /** Inbox entries the accepted messages make (their recipients), by message type. */
  const inboxEntries: Record<string, number> = {};
  const allInboxEntries = () => Object.values(inboxEntries).reduce((a, b) => a + b, 0);

  const scrape = async (): Promise<Scrape> => {
    const reply = await client.request('GET', '/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(reply.body as string);
  };

  /** A foreign ministry subscribed by webhook to incident alerts, at `url`. */
  const ministry = async (id: string, url: string) => {
    const agency = await TestAgency.create(id, 'foreign-affairs');
    await client.register(agency);
    const made = await client.as(agency, 'POST', '/v1/subscriptions', {
      types: [INCIDENT_ALERT],
      delivery: { mode: 'webhook', url },
    });
    expect(made.status).toBe(201);
    subscriptions[id] = made.body.id;
    return { agency, secret: made.body.secret as string };
  };

  const publish = async (agency: TestAgency, input: Record<string, unknown>, status = 202) => {
    const { jws, envelope } = await agency.signMessage(input);
    const reply = await client.publish(jws);
    expect({ status: reply.status, body: reply.status === status ? undefined : reply.body }).toEqual({
      status,
      body: undefined,
    });
    if (status === 202) {
      accepted.push(envelope.id as string);
      const type = envelope.type as string;
      inboxEntries[type] = (inboxEntries[type] ?? 0) + (reply.body.recipients as string[]).length;
    }
    return jws;
  };

  beforeAll(async () => {
    gateway = await startTestGateway(backend, ENV);
    client = new GatewayClient(gateway);
    before = await scrape();
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    thaiPolice = await TestAgency.create('TH.RTP', 'law-enforcement');
    for (const agency of [police, thaiPolice]) await client.register(agency);
    // A participant whose only key expires in 30 days.
    expiring = await TestAgency.create('LA.MPS', 'law-enforcement');
    await client.admin('POST', '/v1/admin/participants', { id: expiring.id, name: 'x', kind: expiring.kind });
    const notAfter = new Date(Date.now() + 30 * 86400_000).toISOString();
    const key = await client.admin('POST', `/v1/admin/participants/${expiring.id}/keys`, {
      jwk: expiring.publicJwk,
      notAfter,
    });
    expect(key.status).toBe(201);

    const kemlu = await ministry('ID.KEMLU', await receivers.ok.start());
    receivers.ok.secrets = [kemlu.secret];
    // Victim notifications about Indonesians reach its inbox, pulled.
    expect((await client.subscribe(kemlu.agency, [VICTIM_NOTIFICATION])).status).toBe(201);
    receivers.broken.answerAlways({ status: 500 });
    receivers.broken.secrets = [(await ministry('PH.DFA', await receivers.broken.start())).secret];
    receivers.gone.answerAlways({ status: 410 });
    receivers.gone.secrets = [(await ministry('VN.MOFA', await receivers.gone.start())).secret];
    slow.hold();
    slow.secrets = [(await ministry('MY.KLN', await slow.start())).secret];
    await ministry('SG.MFA', `http://127.0.0.1:${await freePort()}/nobody-listens`);

    // Accepted: two types, two source countries, one payload with a name and passport number.
    await publish(police, { data: alertForAnyone() });
    await publish(thaiPolice, { data: alertForAnyone() });
    const victim = adultVictimData('ID');
    const person = victim.persons![0] as { names: object[]; travelDocument: object };
    person.names = [{ value: NAME, script: 'Latn', kind: 'passport' }];
    person.travelDocument = { ...person.travelDocument, number: PASSPORT };
    await publish(police, { type: VICTIM_NOTIFICATION, data: victim });
    await publish(expiring, { data: alertForAnyone() });
    // Replayed: the same bytes again.
    const again = await publish(police, { data: alertForAnyone() });
    expect((await client.publish(again)).status).toBe(200);
    // Refused: outside the catalogue, against the schema, unknown signer, unreadable, wrong media type.
    await publish(police, { type: 'org.asean.rdx.no-such-type.v1', data: { name: NAME } }, 422);
    await publish(police, { data: { passport: PASSPORT } }, 422);
    await publish(await TestAgency.create('KH.NOBODY', 'law-enforcement'), { data: alertForAnyone() }, 401);
    expect((await client.publish('not-a-jws')).status).toBe(400);
    expect((await client.publish(again, 'text/plain')).status).toBe(415);
    // The circuits of the failing endpoints open; a message after that waits, not attempted.
    await eventually(scrape, (s) => valueOf(s, 'rdx_webhook_circuit_breakers_open') >= 3, 20_000);
    await publish(police, { data: exampleData(INCIDENT_ALERT) });
    // Every message but the victim notification is an incident alert, pushed to the ministries.
    await receivers.ok.awaitCount(accepted.length - 1, 20_000);
    after = await eventually(
      scrape,
      (s) =>
        valueOf(s, 'rdx_webhook_attempts_total', { outcome: 'timeout' }) >= 1 &&
        valueOf(s, 'rdx_webhook_deliveries', { state: 'pending' }) >= 1 &&
        valueOf(s, 'rdx_publish_to_inbox_seconds_count') >= allInboxEntries(),
      20_000,
    );
  });

  afterAll(async () => {
    slow.release();
    await gateway.close();
    for (const receiver of [...Object.values(receivers), slow]) await receiver.stop();
  });

  it('is clean by promtool check metrics, before and after traffic', () => {
    for (const scraped of [before, after])
      expect(promtoolCheck(scraped.text)).toEqual({ status: 0, output: '' });
  });

  it('has the runtime default metrics', () => {
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ])
      expect(samplesOf(after, name).length).toBeGreaterThan(0);
  });

  it('counts messages accepted by type and source country', () => {
    const count = (type: string, country: string) =>
      valueOf(after, 'rdx_messages_accepted_total', { type, source_country: country });
    expect(count(INCIDENT_ALERT, 'KH')).toBe(3);
    expect(count(INCIDENT_ALERT, 'TH')).toBe(1);
    expect(count(INCIDENT_ALERT, 'LA')).toBe(1);
    expect(count(VICTIM_NOTIFICATION, 'KH')).toBe(1);
    expect(valueOf(after, 'rdx_messages_accepted_total')).toBe(accepted.length);
    expect(valueOf(before, 'rdx_messages_accepted_total')).toBe(0);
  });

  it('counts refusals by catalogue type (else "unknown"), source country and problem type', () => {
    const refused = (labels: Record<string, string>) => valueOf(after, 'rdx_messages_refused_total', labels);
    expect(refused({ type: 'unknown', source_country: 'KH', problem: 'unknown-type' })).toBe(1);
    expect(refused({ type: INCIDENT_ALERT, source_country: 'KH', problem: 'schema-violation' })).toBe(1);
    expect(refused({ type: 'unknown', source_country: 'unknown', problem: 'unknown-key' })).toBe(1);
    expect(refused({ type: 'unknown', source_country: 'unknown', problem: 'unsupported-media-type' })).toBe(
      1,
    );
    expect(valueOf(after, 'rdx_messages_refused_total')).toBe(5);
    for (const sample of samplesOf(after, 'rdx_messages_refused_total'))
      expect(Object.keys(PROBLEMS)).toContain(sample.labels.problem);
  });

  it('times publishes by outcome, and accepted messages until each inbox entry commits, once each', () => {
    const count = (outcome: string) => valueOf(after, 'rdx_publish_duration_seconds_count', { outcome });
    expect(count('accepted')).toBe(accepted.length);
    expect(count('replayed')).toBe(1);
    expect(count('refused')).toBe(5);
    expect(allInboxEntries()).toBeGreaterThan(accepted.length);
    expect(valueOf(after, 'rdx_publish_to_inbox_seconds_count')).toBe(allInboxEntries());
    expect(valueOf(after, 'rdx_publish_to_inbox_seconds_count', { type: VICTIM_NOTIFICATION })).toBe(
      inboxEntries[VICTIM_NOTIFICATION],
    );
    expect(valueOf(after, 'rdx_publish_to_inbox_seconds_sum')).toBeGreaterThan(0);
  });

  it('shows each queue with the age of its oldest entry', () => {
    for (const queue of ['outbox', 'routing', 'audit']) {
      expect(samplesOf(after, 'rdx_queue_entries', { queue })).toHaveLength(1);
      expect(samplesOf(after, 'rdx_queue_oldest_entry_age_seconds', { queue })).toHaveLength(1);
    }
  });

  it('shows deliveries pending, retrying and failed per subscription, and each attempt outcome', () => {
    const deliveries = (id: string, state: string) =>
      valueOf(after, 'rdx_webhook_deliveries', { subscription: subscriptions[id], participant: id, state });
    expect(deliveries('VN.MOFA', 'failed')).toBeGreaterThanOrEqual(1);
    expect(deliveries('PH.DFA', 'retrying')).toBeGreaterThanOrEqual(1);
    expect(deliveries('PH.DFA', 'pending')).toBeGreaterThanOrEqual(1);
    expect(deliveries('SG.MFA', 'retrying')).toBeGreaterThanOrEqual(1);
    expect(samplesOf(after, 'rdx_webhook_deliveries', { participant: 'ID.KEMLU' })).toEqual([]);
    const attempts = (id: string, outcome: string) =>
      valueOf(after, 'rdx_webhook_attempts_total', { subscription: subscriptions[id], outcome });
    expect(attempts('ID.KEMLU', 'success')).toBe(accepted.length - 1);
    expect(attempts('PH.DFA', 'http_error')).toBe(2);
    expect(attempts('VN.MOFA', 'http_error')).toBe(1);
    expect(attempts('SG.MFA', 'connection_error')).toBe(2);
    expect(attempts('MY.KLN', 'timeout')).toBe(2);
    for (const outcome of ['success', 'http_error', 'connection_error', 'timeout'])
      expect(valueOf(after, 'rdx_webhook_attempt_duration_seconds_count', { outcome })).toBe(
        valueOf(after, 'rdx_webhook_attempts_total', { outcome }),
      );
    expect(
      valueOf(after, 'rdx_webhook_attempt_duration_seconds_sum', { outcome: 'timeout' }),
    ).toBeGreaterThan(0.9);
    // Two failures in a row open a circuit: the 500s, the refused connections and the timeouts.
    expect(valueOf(after, 'rdx_webhook_circuit_breakers_open')).toBe(3);
  });

  it('shows the database and broker links, and the soonest key expiry of participants whose keys all expire', () => {
    expect(valueOf(after, 'rdx_database_up')).toBe(1);
    expect(valueOf(after, 'rdx_database_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    for (const state of ['idle', 'waiting'])
      expect(samplesOf(after, 'rdx_database_pool_connections', { state })).toHaveLength(1);
    // Both roles run here: both links, up.
    expect(valueOf(after, 'rdx_broker_up', { link: 'publisher' })).toBe(1);
    expect(valueOf(after, 'rdx_broker_up', { link: 'consumer' })).toBe(1);
    const expiry = samplesOf(after, 'rdx_participant_key_expiry_seconds');
    expect(expiry.map((s) => s.labels.participant)).toEqual(['LA.MPS']);
    expect(Math.abs(expiry[0].value - 30 * 86400)).toBeLessThan(120);
  });

  it('carries nothing a message says in any label: no names, passport numbers or message ids', () => {
    for (const text of [NAME, PASSPORT, ...accepted]) expect(after.text).not.toContain(text);
    const allowed =
      /^(type|source_country|problem|outcome|queue|subscription|participant|state|link|le|method|route|status)$/;
    for (const sample of after.samples.filter((s) => s.name.startsWith('rdx_')))
      for (const label of Object.keys(sample.labels)) expect(label).toMatch(allowed);
  });
});

describe('queues with no worker to empty them (PostgreSQL + RabbitMQ, an API process alone)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('production', { RDX_ROLES: 'api' });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('shows the routing and audit queues growing and ageing, and only the publisher link', async () => {
    const client = new GatewayClient(gateway);
    const police = await TestAgency.create('KH.CNP', 'law-enforcement');
    const ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    for (const agency of [police, ministry]) await client.register(agency);
    await client.subscribe(ministry, [INCIDENT_ALERT]);
    for (let i = 0; i < 3; i++) {
      const { jws } = await police.signMessage({ data: alertForAnyone() });
      expect((await client.publish(jws)).status).toBe(202);
    }
    await new Promise((r) => setTimeout(r, 1100));
    const text = (await client.request('GET', '/metrics')).body as string;
    const scraped = parseExposition(text);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    // One routing entry per message and recipient; the acts (registrations, publishes) wait to be chained.
    expect(valueOf(scraped, 'rdx_queue_entries', { queue: 'routing' })).toBe(3);
    expect(valueOf(scraped, 'rdx_queue_entries', { queue: 'audit' })).toBeGreaterThanOrEqual(3);
    for (const queue of ['routing', 'audit'])
      expect(valueOf(scraped, 'rdx_queue_oldest_entry_age_seconds', { queue })).toBeGreaterThan(1);
    expect(samplesOf(scraped, 'rdx_broker_up').map((s) => [s.labels.link, s.value])).toEqual([
      ['publisher', 1],
    ]);
  });
});
