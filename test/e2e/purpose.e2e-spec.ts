import { adultVictimData, TestAgency, VICTIM_NOTIFICATION } from '@rdx/testing';
import { registerCaseTeam } from '../support/case-team';
import { GatewayClient } from '../support/gateway-client';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

/**
 * ACTIP art. 14(7): victims are not punished for what trafficking made them do, so data shared
 * to protect them is not routed to prosecution. The shipped policy keeps victim notifications
 * from subscriptions declared for law enforcement.
 */
describe.each(BACKENDS)('subscription purposes (%s)', (backend) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
  });
  afterAll(() => gateway.close());

  it('keeps victim notifications from subscriptions declared for law enforcement', async () => {
    const client = new GatewayClient(gateway);
    const { police, ministry } = await registerCaseTeam(client);
    const prosecutors = await TestAgency.create('ID.KEJAGUNG', 'law-enforcement');
    const welfare = await TestAgency.create('ID.KEMENSOS', 'social-welfare');
    for (const agency of [prosecutors, welfare]) await client.register(agency);
    await client.subscribe(ministry, [VICTIM_NOTIFICATION], { purpose: 'consular' });
    await client.subscribe(prosecutors, [VICTIM_NOTIFICATION], { purpose: 'law-enforcement' });
    await client.subscribe(welfare, [VICTIM_NOTIFICATION]);

    const { jws } = await police.signMessage({ type: VICTIM_NOTIFICATION, data: adultVictimData('ID') });
    const accepted = await client.publish(jws);
    expect(accepted.status).toBe(202);
    expect(accepted.body.recipients).toEqual(['ID.KEMENSOS', 'ID.KEMLU']);
    expect(await client.awaitInbox(ministry, 1)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await client.drainInbox(prosecutors)).toEqual([]);

    // The sender may still name them: that is its decision, and the receipt records it.
    const named = await police.signMessage({
      type: VICTIM_NOTIFICATION,
      recipients: 'ID.KEJAGUNG',
      data: adultVictimData('ID'),
    });
    expect((await client.publish(named.jws)).body.recipients).toEqual([
      'ID.KEJAGUNG',
      'ID.KEMENSOS',
      'ID.KEMLU',
    ]);
  });
});
