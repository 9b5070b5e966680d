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
