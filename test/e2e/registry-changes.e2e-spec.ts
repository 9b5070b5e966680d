import { compactVerify, createLocalJWKSet } from 'jose';
import { adultVictimData, exampleData, INCIDENT_ALERT, TestAgency, VICTIM_NOTIFICATION } from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

/**
 * The gateway keeps the registry (participants, keys, subscriptions) in memory, with the version
 * it read it at, and each publish checks that version in its own transaction. Each step here
 * changes the registry between two publishes, with that memory warm from the publish before:
 * the answer, and the receipt, must follow the change at once.
 */
describe.each(BACKENDS)('registry changes between publishes (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let police: TestAgency; // KH.CNP, publishes
  let ministry: TestAgency; // ID.KEMLU, subscribed from the start
  let thaiPolice: TestAgency; // TH.ATPD, subscribes halfway

  const publish = async (type: string, data: unknown) => {
    const { jws } = await police.signMessage({ type, data });
    const accepted = await client.publish(jws);
    expect(accepted.status).toBe(202);
    // The receipt says what the answer says.
    const jwks = await client.request('GET', '/.well-known/jwks.json');
    const receipt = await compactVerify(accepted.body.receipt, createLocalJWKSet(jwks.body));
    const payload = JSON.parse(Buffer.from(receipt.payload).toString());
    expect(payload).toMatchObject({ recipients: accepted.body.recipients, withheld: accepted.body.withheld });
    return accepted.body as { recipients: string[]; withheld: { participant: string; reason: string }[] };
  };

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    client = new GatewayClient(gateway);
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    thaiPolice = await TestAgency.create('TH.ATPD', 'law-enforcement');
    for (const agency of [police, ministry, thaiPolice]) await client.register(agency);
    expect((await client.subscribe(ministry, [VICTIM_NOTIFICATION, INCIDENT_ALERT])).status).toBe(201);
  });

  afterAll(() => gateway.close());

  it('routes to a subscription made since the last message, and no longer to one deleted since', async () => {
    expect((await publish(INCIDENT_ALERT, exampleData(INCIDENT_ALERT))).recipients).toEqual(['ID.KEMLU']);

    const subscribed = await client.subscribe(thaiPolice, [INCIDENT_ALERT]);
    expect(subscribed.status).toBe(201);
    expect((await publish(INCIDENT_ALERT, exampleData(INCIDENT_ALERT))).recipients).toEqual([
      'ID.KEMLU',
      'TH.ATPD',
    ]);

    const gone = await client.as(thaiPolice, 'DELETE', `/v1/subscriptions/${subscribed.body.id}`);
    expect(gone.status).toBe(204);
    expect((await publish(INCIDENT_ALERT, exampleData(INCIDENT_ALERT))).recipients).toEqual(['ID.KEMLU']);
  });

  it('withholds from a recipient suspended since the last message, and routes to it again once active', async () => {
    expect((await publish(VICTIM_NOTIFICATION, adultVictimData('ID'))).recipients).toEqual(['ID.KEMLU']);

    const suspend = (status: string) => client.admin('PATCH', '/v1/admin/participants/ID.KEMLU', { status });
    expect((await suspend('suspended')).status).toBe(200);
    const whileSuspended = await publish(VICTIM_NOTIFICATION, adultVictimData('ID'));
    expect(whileSuspended.recipients).toEqual([]);
    expect(whileSuspended.withheld).toEqual([{ participant: 'ID.KEMLU', reason: 'recipient-suspended' }]);

    expect((await suspend('active')).status).toBe(200);
    const again = await publish(VICTIM_NOTIFICATION, adultVictimData('ID'));
    expect(again).toMatchObject({ recipients: ['ID.KEMLU'], withheld: [] });
  });

  it('routes messages published at the same time as a change either way, each as its receipt says', async () => {
    // Warm, then publish a burst while a subscription is being made: each message is routed
    // either before the change or after it, and its receipt names exactly the recipients routed.
    await publish(INCIDENT_ALERT, exampleData(INCIDENT_ALERT));
    const burst = Array.from({ length: 20 }, () => publish(INCIDENT_ALERT, exampleData(INCIDENT_ALERT)));
    const subscribed = client.subscribe(thaiPolice, [INCIDENT_ALERT]);
    const answers = await Promise.all(burst);
    expect((await subscribed).status).toBe(201);
    for (const answer of answers)
      expect([['ID.KEMLU'], ['ID.KEMLU', 'TH.ATPD']]).toContainEqual(answer.recipients);
    expect((await publish(INCIDENT_ALERT, exampleData(INCIDENT_ALERT))).recipients).toEqual([
      'ID.KEMLU',
      'TH.ATPD',
    ]);
  });
});

/**
 * Gateways scale out on one database: each keeps the registry in memory, and a change made
 * through one must count at once for what another accepts, though nothing tells it of the change
 * but the database (a batch is written only if the registry is still as its writer read it).
 */
describe('registry changes made by another gateway on the same database', () => {
  let first: TestGateway;
  let second: TestGateway;
  let client: GatewayClient; // through the first
  let other: GatewayClient; // through the second
  let police: TestAgency;
  let ministry: TestAgency;
  let thaiPolice: TestAgency;

  const publish = async (agency: TestAgency) => {
    const { jws } = await agency.signMessage({ type: INCIDENT_ALERT, data: exampleData(INCIDENT_ALERT) });
    return client.publish(jws);
  };

  beforeAll(async () => {
    first = await startTestGateway('production');
    second = await startTestGateway('production', {
      RDX_DATABASE_URL: first.env.RDX_DATABASE_URL,
      RDX_AMQP_PREFIX: first.env.RDX_AMQP_PREFIX,
      RDX_ADMIN_TOKEN: first.adminToken,
      RDX_GATEWAY_KEY_FILE: first.env.RDX_GATEWAY_KEY_FILE,
    });
    client = new GatewayClient(first);
    other = new GatewayClient({ ...second, adminToken: first.adminToken });
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
    thaiPolice = await TestAgency.create('TH.ATPD', 'law-enforcement');
    for (const agency of [police, ministry, thaiPolice]) await client.register(agency);
    expect((await client.subscribe(ministry, [INCIDENT_ALERT])).status).toBe(201);
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('routes to a subscription made through the other gateway', async () => {
    expect((await publish(police)).body.recipients).toEqual(['ID.KEMLU']);
    expect((await other.subscribe(thaiPolice, [INCIDENT_ALERT])).status).toBe(201);
    expect((await publish(police)).body.recipients).toEqual(['ID.KEMLU', 'TH.ATPD']);
  });

  it('refuses a key revoked through the other gateway, right after it published', async () => {
    const compromised = await police.withNewKey();
    expect(
      (await client.admin('POST', '/v1/admin/participants/KH.CNP/keys', { jwk: compromised.publicJwk }))
        .status,
    ).toBe(201);
    expect((await publish(compromised)).status).toBe(202);
    const revoked = await other.admin(
      'POST',
      `/v1/admin/participants/KH.CNP/keys/${compromised.kid}/revoke`,
      {
        reason: 'laptop stolen',
      },
    );
    expect(revoked.status).toBe(200);
    const refused = await publish(compromised);
    expect(refused.status).toBe(401);
    expect(refused.body.type).toBe('urn:rdx:problem:key-not-active');
    expect((await publish(police)).status).toBe(202);
  });

  it('withholds from a participant suspended through the other gateway', async () => {
    expect((await publish(police)).body.recipients).toContain('ID.KEMLU');
    expect(
      (await other.admin('PATCH', '/v1/admin/participants/ID.KEMLU', { status: 'suspended' })).status,
    ).toBe(200);
    const answer = (await publish(police)).body;
    expect(answer.recipients).not.toContain('ID.KEMLU');
    expect(answer.withheld).toEqual([{ participant: 'ID.KEMLU', reason: 'recipient-suspended' }]);
  });
});
