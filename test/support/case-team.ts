import { INCIDENT_ALERT, TestAgency } from '@rdx/testing';
import { GatewayClient } from './gateway-client';
import { WebhookReceiver } from './webhook-receiver';

/** The agencies of most scenarios, registered: Cambodian police publish, Indonesia and Thailand receive. */
export async function registerCaseTeam(client: GatewayClient) {
  const police = await TestAgency.create('KH.CNP', 'law-enforcement');
  const ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
  const thai = await TestAgency.create('TH.ATPD', 'law-enforcement');
  for (const agency of [police, ministry, thai]) await client.register(agency);
  return { police, ministry, thai };
}

/** Subscribes `agency` by webhook to `receiver` (started here), which then checks that secret. */
export async function subscribeWebhook(
  client: GatewayClient,
  agency: TestAgency,
  receiver: WebhookReceiver,
  types: string[] = [INCIDENT_ALERT],
): Promise<{ id: string; secret: string }> {
  const made = await client.as(agency, 'POST', '/v1/subscriptions', {
    types,
    delivery: { mode: 'webhook', url: await receiver.start() },
  });
  if (made.status !== 201)
    throw new Error(`webhook subscription: ${made.status} ${JSON.stringify(made.body)}`);
  receiver.secrets = [made.body.secret];
  return made.body;
}

/**
 * The usual routing of the outage, crash and ordering scenarios: the ministry by webhook
 * (and its inbox), Thai police by pull.
 */
export async function registerCaseTeamWithWebhook(client: GatewayClient, receiver: WebhookReceiver) {
  const team = await registerCaseTeam(client);
  await subscribeWebhook(client, team.ministry, receiver);
  await client.subscribe(team.thai, [INCIDENT_ALERT]);
  return team;
}
