import { AgencySigner } from '@rdx/client';
import { World } from './bench-world';

async function call(url: string, init: RequestInit, expected: number, what: string): Promise<void> {
  const response = await fetch(url, init);
  if (response.status !== expected)
    throw new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
}

/** Runs `work` over `items`, `width` at a time. */
async function eachLimited<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * Registers the simulated world through the gateway's own API, as administrators and agencies
 * would: each participant and its public key, then each subscription, asked for by the
 * subscriber with a bearer token it signs itself.
 */
export async function seed(gatewayUrl: string, adminToken: string, world: World, webhookUrl: string) {
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  await eachLimited(world.agencies, 8, async (agency) => {
    await call(
      `${gatewayUrl}/v1/admin/participants`,
      {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ id: agency.id, name: agency.name, kind: agency.kind }),
      },
      201,
      `registering ${agency.id}`,
    );
    await call(
      `${gatewayUrl}/v1/admin/participants/${agency.id}/keys`,
      { method: 'POST', headers: admin, body: JSON.stringify({ jwk: agency.publicJwk }) },
      201,
      `registering the key of ${agency.id}`,
    );
  });
  const signers = new Map<string, AgencySigner>();
  for (const agency of world.agencies)
    signers.set(
      agency.id,
      await AgencySigner.fromPrivateJwk(agency.id, { ...agency.privateJwk, kid: agency.kid } as never),
    );
  await eachLimited(world.subscriptions, 8, async (plan) => {
    const token = await signers.get(plan.participantId)!.bearer();
    await call(
      `${gatewayUrl}/v1/subscriptions`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          types: plan.types,
          filter: { sources: plan.sources },
          delivery: plan.delivery === 'pull' ? { mode: 'pull' } : { mode: 'webhook', url: webhookUrl },
        }),
      },
      201,
      `subscribing ${plan.participantId}`,
    );
  });
}
