import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { exampleData, INCIDENT_ALERT, TestAgency } from '@rdx/testing';
import { registerCaseTeam, subscribeWebhook } from '../support/case-team';
import { GatewayClient } from '../support/gateway-client';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';
import { WebhookReceiver } from '../support/webhook-receiver';

describe.each(BACKENDS)('fields for law enforcement only (%s)', (backend) => {
  let gateway: TestGateway;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    gateway = await startTestGateway(backend, { RDX_WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await gateway.close();
    await receiver.stop();
  });

  it('gives other recipients a gateway-signed copy without them, naming the original', async () => {
    const client = new GatewayClient(gateway);
    const { police, ministry } = await registerCaseTeam(client);
    const indonesianPolice = await TestAgency.create('ID.POLRI', 'law-enforcement');
    await client.register(indonesianPolice);
    await subscribeWebhook(client, ministry, receiver);

    const data = exampleData(INCIDENT_ALERT, (e) => Array.isArray(e.suspectIdentifiers));
    expect(Array.isArray(data.suspectIdentifiers)).toBe(true);
    const { jws, envelope } = await police.signMessage({ recipients: 'ID.KEMLU ID.POLRI', data });
    const accepted = await client.publish(jws);
    expect(accepted.status).toBe(202);
    const receipt = JSON.parse(Buffer.from(accepted.body.receipt.split('.')[1], 'base64url').toString());

    // Law enforcement gets the sender's JWS, byte for byte.
    const [original] = await client.awaitInbox(indonesianPolice, 1);
    expect(original.message).toBe(jws);
    expect(original.redacted).toBeUndefined();

    // The ministry gets the gateway's copy, which it can check with the gateway's keys.
    const [copy] = await client.awaitInbox(ministry, 1);
    expect(copy.redacted).toBe(true);
    expect(decodeProtectedHeader(copy.message)).toMatchObject({ typ: 'rdx-redacted+jws' });
    const gatewayKeys = await client.request('GET', '/.well-known/jwks.json');
    const verified = await compactVerify(copy.message, createLocalJWKSet(gatewayKeys.body));
    const payload = JSON.parse(Buffer.from(verified.payload).toString());
    expect(payload).toMatchObject({
      iss: 'rdx-gateway',
      messageId: envelope.id,
      recipient: 'ID.KEMLU',
      original: { digest: receipt.digest, kid: police.kid },
      removed: ['data.suspectIdentifiers'],
    });
    const { suspectIdentifiers: _removed, ...rest } = data;
    expect(payload.event).toEqual({ ...envelope, data: rest });
    expect(JSON.stringify(payload)).not.toContain(JSON.stringify(data.suspectIdentifiers));

    // The webhook carries the same copy.
    const [pushed] = await receiver.awaitCount(1);
    expect(pushed.body).toEqual(copy);
  });
});
