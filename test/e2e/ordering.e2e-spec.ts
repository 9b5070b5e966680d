import { loadConfig } from '@rdx/config';
import { exampleData, INCIDENT_ALERT } from '@rdx/testing';
import { RunningGateway, startGateway } from '../../apps/gateway/src/gateway.app';
import { GatewayClient } from '../support/gateway-client';
import { registerCaseTeamWithWebhook } from '../support/case-team';
import { startTestGateway, TestGateway } from '../support/test-gateway';
import { WebhookReceiver } from '../support/webhook-receiver';

const MESSAGES = 60;

/**
 * Two workers route and push side by side. Per (sender, recipient), the inbox and the webhook
 * must still follow the order in which the gateway accepted the messages.
 */
describe('order per sender and recipient with two workers (PostgreSQL + RabbitMQ)', () => {
  let gateway: TestGateway;
  let secondWorker: RunningGateway;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    gateway = await startTestGateway('production', { RDX_WEBHOOK_ALLOW_PRIVATE: 'true' });
    secondWorker = await startGateway(loadConfig({ ...gateway.env, RDX_ROLES: 'worker' }));
  });
  afterAll(async () => {
    await secondWorker.close();
    await gateway.close();
    await receiver.stop();
  });

  it('keeps the inbox and the webhook in the order the messages were accepted', async () => {
    const client = new GatewayClient(gateway);
    const { police, ministry, thai } = await registerCaseTeamWithWebhook(client, receiver);

    const accepted: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const { jws, envelope } = await police.signMessage({ data: exampleData(INCIDENT_ALERT) });
      expect((await client.publish(jws)).status).toBe(202);
      accepted.push(envelope.id as string);
    }
    for (const recipient of [ministry, thai]) {
      const items = await client.awaitInbox(recipient, MESSAGES);
      expect(items.map((item) => item.messageId)).toEqual(accepted);
      expect(items.map((item) => item.seq)).toEqual(accepted.map((_id, i) => i + 1));
    }
    const pushed = await receiver.awaitCount(MESSAGES);
    expect(pushed.map((r) => r.body.messageId)).toEqual(accepted);
    expect(pushed.map((r) => r.body.seq)).toEqual(accepted.map((_id, i) => i + 1));
  });
});
