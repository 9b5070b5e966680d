import { generateKeyPairSync, JsonWebKey } from 'node:crypto';

export const ALERT = 'org.asean.rdx.trafficking-incident-alert.v1';
export const VICTIM = 'org.asean.rdx.victim-identification-notification.v1';
export const CASE_STATUS = 'org.asean.rdx.case-status-update.v1';

const COUNTRIES = ['KH', 'TH', 'MY', 'PH', 'VN', 'LA', 'MM', 'ID', 'SG', 'BN'] as const;

/** A simulated agency. Its private key stays in the load generator, as it would stay in the agency. */
export interface Agency {
  id: string;
  name: string;
  kind: 'law-enforcement' | 'coordination' | 'foreign-affairs' | 'social-welfare';
  kid: string;
  publicJwk: JsonWebKey;
  privateJwk: JsonWebKey;
}

/** One subscription to make, as the subscriber asks for it over the API. */
export interface SubscriptionPlan {
  participantId: string;
  types: string[];
  sources: string[];
  delivery: 'pull' | 'webhook';
}

export type LaneName = 'fanout-1' | 'fanout-10' | 'fanout-100' | 'webhook';

/**
 * A stream of traffic whose routing the bench knows in advance: each publisher's messages go to
 * exactly these recipients, so every accepted message can be checked off in their inboxes.
 */
export interface Lane {
  name: LaneName;
  types: string[];
  publishers: { id: string; recipients: string[]; nationality: string }[];
}

export interface World {
  agencies: Agency[];
  subscriptions: SubscriptionPlan[];
  lanes: Record<LaneName, Lane>;
}

function agency(id: string, name: string, kind: Agency['kind']): Agency {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const kid = `${id.toLowerCase()}-bench`;
  return {
    id,
    name,
    kind,
    kid,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid },
  };
}

const pad = (n: number) => String(n).padStart(3, '0');

/**
 * The simulated exchange: 66 publishing agencies and 105 subscribing ministries across ten
 * member states, 255 subscriptions, and four lanes of traffic whose fan-out is 1, 10 and 100
 * pull recipients, and 1 webhook recipient.
 */
export function buildWorld(): World {
  const subscribers = Array.from({ length: 105 }, (_, i) =>
    agency(`${COUNTRIES[i % 10]}.MINISTRY-${pad(i)}`, `Simulated ministry ${i}`, 'foreign-affairs'),
  );
  const police = Array.from({ length: 50 }, (_, i) =>
    agency(`${COUNTRIES[(i + 3) % 10]}.POLICE-${pad(i)}`, `Simulated police unit ${i}`, 'law-enforcement'),
  );
  const taskForces = Array.from({ length: 10 }, (_, i) =>
    agency(`${COUNTRIES[i]}.TASKFORCE-${pad(i)}`, `Simulated task force ${i}`, 'law-enforcement'),
  );
  const regional = agency('SG.REGIONAL-000', 'Simulated regional coordination desk', 'coordination');
  const hookPublishers = Array.from({ length: 5 }, (_, i) =>
    agency(
      `${COUNTRIES[(i + 5) % 10]}.IMMIGRATION-${pad(i)}`,
      `Simulated immigration ${i}`,
      'law-enforcement',
    ),
  );
  const hookSubscribers = subscribers.slice(100, 105);
  const countryOf = (id: string) => id.slice(0, 2);

  const subscriptions: SubscriptionPlan[] = [];
  /** `recipients` subscribe to the lane's types from `publisher`, which the lane then knows they receive. */
  const follow = (
    lane: Lane,
    publisher: Agency,
    recipients: Agency[],
    delivery: SubscriptionPlan['delivery'],
    nationality = countryOf(recipients[0].id),
  ) => {
    for (const subscriber of recipients)
      subscriptions.push({
        participantId: subscriber.id,
        types: lane.types,
        sources: [publisher.id],
        delivery,
      });
    lane.publishers.push({ id: publisher.id, recipients: recipients.map((r) => r.id).sort(), nationality });
  };

  const one: Lane = { name: 'fanout-1', types: [VICTIM, ALERT, CASE_STATUS], publishers: [] };
  police.forEach((publisher, i) => follow(one, publisher, [subscribers[i]], 'pull'));
  const ten: Lane = { name: 'fanout-10', types: [ALERT, CASE_STATUS], publishers: [] };
  taskForces.forEach((publisher, i) =>
    follow(
      ten,
      publisher,
      subscribers.slice(0, 100).filter((_, j) => j % 10 === i),
      'pull',
      'ID',
    ),
  );
  const hundred: Lane = { name: 'fanout-100', types: [ALERT, CASE_STATUS], publishers: [] };
  follow(hundred, regional, subscribers.slice(0, 100), 'pull', 'ID');
  const webhook: Lane = { name: 'webhook', types: [VICTIM, ALERT, CASE_STATUS], publishers: [] };
  hookPublishers.forEach((publisher, i) => follow(webhook, publisher, [hookSubscribers[i]], 'webhook'));

  return {
    agencies: [...subscribers, ...police, ...taskForces, regional, ...hookPublishers],
    subscriptions,
    lanes: { 'fanout-1': one, 'fanout-10': ten, 'fanout-100': hundred, webhook },
  };
}

/** What the baseline pipeline needs: public keys, and who receives what (its routing table). */
export function baselineWorld(world: World) {
  return {
    keys: world.agencies.map((a) => ({ kid: a.kid, participantId: a.id, jwk: a.publicJwk })),
    routes: Object.values(world.lanes).flatMap((lane) =>
      lane.publishers.flatMap((p) =>
        lane.types.map((type) => ({ type, source: p.id, recipients: p.recipients })),
      ),
    ),
  };
}
