import { createHash } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import {
  adultVictimData,
  exampleData,
  INCIDENT_ALERT,
  signWithNodeCrypto,
  TestAgency,
  VICTIM_NOTIFICATION,
} from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

describe.each(BACKENDS)('the exchange end to end (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let police: TestAgency; // KH.CNP, publishes
  let ministry: TestAgency; // ID.KEMLU, subscribes to victim notifications
  let thaiPolice: TestAgency; // TH.ATPD, subscribes to everything, never a victim's home state here
  let ecPolice: TestAgency; // PH.PNP-WCPC, signs with ES256

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    client = new GatewayClient(gateway);
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs', 'ES256');
    thaiPolice = await TestAgency.create('TH.ATPD', 'law-enforcement');
    ecPolice = await TestAgency.create('PH.PNP-WCPC', 'law-enforcement', 'ES256');
    for (const agency of [police, ministry, thaiPolice, ecPolice]) await client.register(agency);
    expect((await client.subscribe(ministry, [VICTIM_NOTIFICATION, INCIDENT_ALERT])).status).toBe(201);
    expect((await client.subscribe(thaiPolice, [VICTIM_NOTIFICATION, INCIDENT_ALERT])).status).toBe(201);
  });

  afterAll(() => gateway.close());

  it('accepts a signed victim notification, routes it only to the home state, and the ministry verifies its origin', async () => {
    const { jws, envelope } = await police.signMessage({
      type: VICTIM_NOTIFICATION,
      data: adultVictimData('ID'),
    });
    const accepted = await client.publish(jws);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({
      messageId: envelope.id,
      status: 'accepted',
      recipients: ['ID.KEMLU'],
      withheld: [],
    });

    // The receipt is the gateway's signature over what it received, checkable with its JWKS.
    const jwks = await client.request('GET', '/.well-known/jwks.json');
    const receipt = await compactVerify(accepted.body.receipt, createLocalJWKSet(jwks.body));
    expect(receipt.protectedHeader.typ).toBe('rdx-receipt+jws');
    expect(JSON.parse(Buffer.from(receipt.payload).toString())).toEqual({
      iss: 'rdx-gateway',
      messageId: envelope.id,
      source: 'KH.CNP',
      receivedAt: accepted.body.receivedAt,
      recipients: ['ID.KEMLU'],
      withheld: [],
      digest: `sha-256=${createHash('sha256').update(jws).digest('base64url')}`,
    });

    const [item] = await client.awaitInbox(ministry, 1);
    expect(item).toMatchObject({
      seq: 1,
      messageId: envelope.id,
      source: 'KH.CNP',
      type: VICTIM_NOTIFICATION,
      message: jws,
    });
    // The ministry checks the origin itself, with the police's published keys.
    const policeKeys = await client.request('GET', '/v1/participants/KH.CNP/jwks');
    const origin = await compactVerify(item.message, createLocalJWKSet(policeKeys.body));
    expect(JSON.parse(Buffer.from(origin.payload).toString())).toEqual(envelope);

    // Thai police subscribe to the type but are not the victim's home state: need-to-know.
    expect(await client.drainInbox(thaiPolice)).toEqual([]);

    expect(
      (await client.ack(envelope.id as string, await ministry.signAck(envelope.id as string, 'received')))
        .status,
    ).toBe(200);
    const status = await client.as(police, 'GET', `/v1/messages/${envelope.id}`);
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      messageId: envelope.id,
      type: VICTIM_NOTIFICATION,
      receivedAt: accepted.body.receivedAt,
      recipients: [
        {
          participant: 'ID.KEMLU',
          delivery: 'delivered',
          ack: { status: 'received', at: expect.any(String) },
        },
      ],
      withheld: [],
    });
  });

  it('accepts messages signed by an independent implementation (node:crypto), ES256 and EdDSA', async () => {
    for (const agency of [ecPolice, police]) {
      const envelope = agency.envelope({ type: INCIDENT_ALERT, data: exampleData(INCIDENT_ALERT) });
      const jws = signWithNodeCrypto(
        agency.privateJwk,
        { alg: agency.alg, kid: agency.kid, typ: 'rdx+jws' },
        envelope,
      );
      const accepted = await client.publish(jws);
      expect(accepted.status).toBe(202);
      expect(accepted.body.recipients).toEqual(expect.arrayContaining(['ID.KEMLU', 'TH.ATPD']));
    }
  });

  it('answers the byte-identical message again with 200 and the same body, and another body under its id with 409', async () => {
    const { jws, envelope } = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
    const first = await client.publish(jws);
    expect(first.status).toBe(202);
    const again = await client.publish(jws);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    const other = await police.sign({ ...envelope, subject: 'changed' });
    const conflict = await client.publish(other);
    expect(conflict.status).toBe(409);
    expect(conflict.body.type).toBe('urn:rdx:problem:message-conflict');
  });

  it('sends amber+strict only to the named recipients, never to subscribers', async () => {
    const { jws } = await police.signMessage({
      tlp: 'amber+strict',
      recipients: 'PH.PNP-WCPC',
      data: exampleData(INCIDENT_ALERT),
    });
    const accepted = await client.publish(jws);
    expect(accepted.status).toBe(202);
    expect(accepted.body.recipients).toEqual(['PH.PNP-WCPC']);
  });

  it('withholds a victim notification from the home state when the victim objects, and says so', async () => {
    const { jws } = await police.signMessage({
      type: VICTIM_NOTIFICATION,
      data: adultVictimData('ID', { objects: true }),
    });
    const accepted = await client.publish(jws);
    expect(accepted.status).toBe(202);
    expect(accepted.body.recipients).toEqual([]);
    expect(accepted.body.withheld).toEqual([
      { participant: 'ID.KEMLU', reason: 'victim-objects-to-notification' },
    ]);
  });

  it('numbers each inbox without gaps, pages with opaque cursors, and never repeats an item', async () => {
    const before = await client.drainInbox(ministry);
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { jws, envelope } = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
      expect((await client.publish(jws)).status).toBe(202);
      sent.push(envelope.id as string);
    }
    const all = await client.awaitInbox(ministry, before.length + 7);
    expect(all.map((item) => item.seq)).toEqual(all.map((_item, i) => i + 1));
    expect(new Set(all.map((item) => item.messageId)).size).toBe(all.length);
    expect(all.slice(before.length).map((item) => item.messageId)).toEqual(sent);

    const firstPage = await client.inbox(ministry, undefined, 2);
    expect(firstPage.body.items).toHaveLength(2);
    const secondPage = await client.inbox(ministry, firstPage.body.next, 2);
    expect(secondPage.body.items[0].seq).toBe(3);
    const end = await client.inbox(ministry, all[all.length - 1].cursor);
    expect(end.body).toEqual({ items: [], next: all[all.length - 1].cursor });
  });

  it('moves acknowledgements forward only', async () => {
    const { jws, envelope } = await police.signMessage({
      recipients: 'ID.KEMLU',
      data: exampleData(INCIDENT_ALERT),
    });
    const id = envelope.id as string;
    expect((await client.publish(jws)).status).toBe(202);
    expect((await client.ack(id, await ministry.signAck(id, 'accepted'))).body).toMatchObject({
      status: 'accepted',
    });
    const back = await client.ack(id, await ministry.signAck(id, 'received'));
    expect(back.status).toBe(409);
    expect(back.body.type).toBe('urn:rdx:problem:ack-conflict');
    expect((await client.ack(id, await ministry.signAck(id, 'actioned'))).status).toBe(200);
    expect((await client.ack(id, await ministry.signAck(id, 'rejected'))).status).toBe(409);
    // Only a recipient may acknowledge.
    const stranger = await client.ack(id, await ecPolice.signAck(id, 'received'));
    expect(stranger.status).toBe(404);
  });

  it('lists and deletes subscriptions', async () => {
    const made = await client.subscribe(ecPolice, [INCIDENT_ALERT], {
      filter: { sources: ['KH'] },
      purpose: 'law-enforcement',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      types: [INCIDENT_ALERT],
      filter: { sources: ['KH'] },
      purpose: 'law-enforcement',
      delivery: { mode: 'pull' },
    });
    const listed = await client.as(ecPolice, 'GET', '/v1/subscriptions');
    expect(listed.body.items.map((s: { id: string }) => s.id)).toContain(made.body.id);
    expect((await client.as(ministry, 'DELETE', `/v1/subscriptions/${made.body.id}`)).status).toBe(404);
    expect((await client.as(ecPolice, 'DELETE', `/v1/subscriptions/${made.body.id}`)).status).toBe(204);
    expect((await client.as(ecPolice, 'GET', '/v1/subscriptions')).body.items).toEqual([]);
  });

  it('serves schemas, JWKS without revoked keys, health, metrics and OpenAPI', async () => {
    const schemas = await client.request('GET', '/v1/schemas');
    expect(schemas.body.types.map((t: { type: string }) => t.type)).toEqual(
      expect.arrayContaining([INCIDENT_ALERT, VICTIM_NOTIFICATION]),
    );
    const schema = await client.request('GET', `/v1/schemas/${VICTIM_NOTIFICATION}`);
    expect(schema.body.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.body.examples.length).toBeGreaterThan(0);
    expect((await client.request('GET', '/health/live')).status).toBe(200);
    expect((await client.request('GET', '/health/ready')).body).toMatchObject({ status: 'ready' });
    const metrics = await client.request('GET', '/metrics');
    expect(metrics.body).toContain('rdx_http_request_duration_seconds');
    const openapi = await client.request('GET', '/openapi.json');
    expect(openapi.body.paths['/v1/messages'].post).toBeDefined();
    expect(
      decodeProtectedHeader(
        (await client.publish((await police.signMessage({ data: exampleData(INCIDENT_ALERT) })).jws)).body
          .receipt,
      ).kid,
    ).toBe((await client.request('GET', '/.well-known/jwks.json')).body.keys[0].kid);
  });
});
