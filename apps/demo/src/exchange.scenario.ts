import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import {
  AgencySigner,
  jwsDigest,
  ParticipantKind,
  privateMembersOf,
  RdxAdminClient,
  RdxClient,
  RdxInvalidData,
  SigningAlg,
} from '@rdx/client';
import { SchemaRegistry } from '@rdx/schema';
import { check, refused, until } from './demo-checks.assertion';
import { DemoGateway, masked } from './demo-gateway.launcher';
import { showIntegrity } from './integrity.scenario';
import { Narrator } from './narration.printer';
import {
  oneAdultIndonesianVictim,
  summarise,
  VICTIM_NOTIFICATION,
  VictimNotificationData,
  withTwoMistakes,
} from './victim-notification.example';

export const STEPS = 7;

/** Who an agency is, as the administrator registers it, and the kind of key it makes. */
interface AgencyProfile {
  id: string;
  name: string;
  kind: ParticipantKind;
  alg: SigningAlg;
}

const POLICE: AgencyProfile = {
  id: 'KH.CNP',
  name: 'Cambodian National Police, Anti-Human Trafficking and Juvenile Protection Department',
  kind: 'law-enforcement',
  alg: 'ES256',
};
const MINISTRY: AgencyProfile = {
  id: 'ID.KEMLU',
  name: 'Ministry of Foreign Affairs of Indonesia, Directorate for the Protection of Citizens Abroad',
  kind: 'foreign-affairs',
  alg: 'EdDSA',
};

const short = (text: unknown) => `${String(text).slice(0, 16)}...`;

/**
 * The whole exchange, every party on `@rdx/client` over real HTTP, against a gateway running in
 * this process.
 */
export async function playExchange(gateway: DemoGateway, say: Narrator): Promise<void> {
  say.next('A gateway starts');
  say.say('An RDX gateway now runs inside this process, on the built-in defaults:');
  say.field('listening', gateway.url);
  say.field('database', 'SQLite file in a fresh temporary folder');
  say.field('message bus', 'in-process (no RabbitMQ needed)');
  say.field('admin token', masked(gateway.adminToken));
  say.say("Every party below talks to it through @rdx/client, the library an agency's system uses.");
  const admin = new RdxAdminClient({ gateway: gateway.url, token: gateway.adminToken });
  const nobody = await admin.participants();
  say.call('admin.participants()', `${nobody.length} participants`);
  check(nobody.length === 0, `a fresh gateway already lists ${nobody.map((p) => p.id).join(', ')}`);
  say.ok('the gateway answers its administrator, and no agency is registered yet');

  say.next('The administrator registers two agencies');
  say.say(
    'Each agency makes its OWN key pair, on its own machine. The private key is unextractable:',
    'not even the process that made it can write it out. Only the PUBLIC half is sent.',
  );
  // Each agency's system would load the schema library itself; here both share one, compiled once.
  const cast = { admin, gateway, schemas: new SchemaRegistry(), say };
  const police = await registered(POLICE, cast);
  const ministry = await registered(MINISTRY, cast);
  say.say('Had an integrator passed a whole key pair instead, the client would not send it:');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const leak = await refused(
    admin.registerKey(POLICE.id, await exportJWK(privateKey)),
    RdxInvalidData,
    'registering a private JWK',
  );
  say.call(`admin.registerKey('${POLICE.id}', privateJwk)`, 'RdxInvalidData, nothing sent');
  for (const error of leak.errors) say.field(error.path, error.message);
  check(leak.errors[0]?.path === 'jwk', `the refusal names ${JSON.stringify(leak.errors)}`);
  say.ok('refused before any request: a private key never reaches the gateway');

  say.next('The Indonesian ministry subscribes to victim notifications');
  say.say(
    'ID.KEMLU proves who it is with a bearer token its client signs itself, a new one for',
    'each request: a JWT good for one request only (a fresh random jti), valid 2 minutes.',
  );
  const token = decodeJwt(await ministry.signer.bearer(gateway.gatewayId));
  say.call(`ministry.signer.bearer('${gateway.gatewayId}')`, 'one of them, decoded:');
  say.field('iss, aud', `${token.iss}, ${String(token.aud)}`);
  say.field('jti', String(token.jti));
  say.field('lifetime', `${(token.exp ?? 0) - (token.iat ?? 0)} s`);
  check(token.iss === MINISTRY.id && token.aud === gateway.gatewayId, 'the bearer token names another party');
  const subscription = await ministry.subscribe({
    types: [VICTIM_NOTIFICATION],
    purpose: 'consular',
    delivery: { mode: 'pull' },
  });
  say.call(
    "ministry.subscribe({ types, purpose: 'consular', delivery: { mode: 'pull' } })",
    `subscription ${subscription.status}`,
  );
  const listed = await ministry.subscriptions();
  say.call('ministry.subscriptions()', `${listed.length} subscription`);
  check(
    subscription.status === 'active' && listed.some((s) => s.id === subscription.id),
    `the subscription is not listed as active: ${JSON.stringify(listed)}`,
  );
  say.ok(`subscription ${subscription.id}, delivery by pull, for`);
  say.say(`     ${VICTIM_NOTIFICATION}`);

  say.next('The Cambodian police publish a signed notification');
  const data = oneAdultIndonesianVictim();
  say.say(
    "An Indonesian woman was freed in Sihanoukville. KH.CNP's first draft has two mistakes:",
    "the date typed the local way, and the victim's wish about Indonesia being told left out.",
  );
  const invalid = await refused(
    police.publish(VICTIM_NOTIFICATION, withTwoMistakes(data)),
    RdxInvalidData,
    'publishing the faulty draft',
  );
  say.call('police.publish(VICTIM_NOTIFICATION, draft)', 'RdxInvalidData, nothing sent');
  for (const error of invalid.errors) say.field(error.path, error.message);
  const paths = invalid.errors.map((error) => error.path).sort();
  check(
    paths.join() === 'data.identifiedOn,data.persons[0].victimObjectsToNotification',
    `the refusal names ${paths.join(', ')}`,
  );
  say.ok('checked against the schema library by the client itself, before signing or sending');
  say.say(
    'Corrected, the facts go in a CloudEvents envelope (tlp amber, handling H1: not for court',
    "without permission), signed with KH.CNP's private key and posted as a compact JWS.",
    "It names no recipient: the gateway routes it to the victim's home state.",
  );
  const sent = await police.publish(VICTIM_NOTIFICATION, data, {
    subject: data.caseRef,
    tlp: 'amber',
    handling: ['H1'],
  });
  say.call(
    "police.publish(VICTIM_NOTIFICATION, data, { subject, tlp: 'amber', handling: ['H1'] })",
    `${sent.status}, receipt verified`,
  );
  say.field(
    'signed',
    `${sent.jws.length} characters of JWS, key ${short(decodeProtectedHeader(sent.jws).kid)}`,
  );
  say.field('messageId', sent.messageId);
  say.field('receivedAt', sent.answer.receivedAt);
  say.field('recipients', sent.answer.recipients.join(', ') || '(none)');
  check(sent.status === 202, `publishing answered ${sent.status}, not 202`);
  check(
    sent.answer.recipients.length === 1 && sent.answer.recipients[0] === MINISTRY.id,
    `expected the recipients to be [${MINISTRY.id}], got ${JSON.stringify(sent.answer.recipients)}`,
  );
  say.say('Before it returned, publish() checked the receipt the gateway signed:');
  check(
    sent.receipt.digest === jwsDigest(sent.jws) && sent.receipt.messageId === sent.messageId,
    `the receipt ${JSON.stringify(sent.receipt)} is not for the message sent`,
  );
  const receiptKid = decodeProtectedHeader(sent.answer.receipt).kid;
  say.ok(
    `signed by ${sent.receipt.iss} with key ${short(receiptKid)}, one it publishes at /.well-known/jwks.json`,
  );
  say.ok(`its digest is the SHA-256 of exactly the bytes sent: ${sent.receipt.digest.slice(0, 24)}...`);
  say.say('The police keep this receipt: proof of what was handed over, and when.');

  say.next('The ministry pulls its inbox, each item verified on arrival');
  const item = await until(async () => {
    for await (const received of ministry.inbox()) if (received.messageId === sent.messageId) return received;
    return undefined;
  }, 'delivery to the inbox');
  say.call('for await (const item of ministry.inbox())', `item #${item.seq}, verified: ${item.verified}`);
  check(item.verified, `the ministry's client could not verify the message: ${item.failure}`);
  check(item.item.message === sent.jws, 'the inbox does not hold the byte-identical JWS the police signed');
  const origin = decodeProtectedHeader(sent.jws);
  say.say(
    "The ministry does not take the gateway's word. Before yielding the item, its client looked",
    `up the key the JWS names (${short(origin.kid)}) among the keys registered for its source`,
    '(GET /v1/participants/KH.CNP/jwks, cached in ministry.keys) and verified the signature',
    'with it. A key that a message offers itself is never used.',
  );
  check(item.envelope?.source === POLICE.id, `the verified message names ${item.envelope?.source}`);
  say.ok(`signature verified with ${POLICE.id}'s own registered public key (${origin.alg})`);
  const envelope = item.envelope;
  say.say(
    `Sent by ${envelope.source} at ${envelope.time}, tlp ${envelope.tlp}, handling ${envelope.handling}:`,
  );
  for (const [label, value] of summarise(item.data as VictimNotificationData)) say.field(label, value);
  for (const status of ['received', 'accepted'] as const) {
    const answer = (await ministry.ack(sent.messageId, status)) as { status?: unknown };
    say.call(`ministry.ack(messageId, '${status}')`, `recorded as "${String(answer.status)}"`);
    check(answer.status === status, `the ack answer says ${JSON.stringify(answer)}`);
    say.ok(`acknowledgement "${status}" signed by ${MINISTRY.id} and recorded`);
  }

  say.next('The police check what became of their message');
  const delivered = await until(async () => {
    const status = await police.messageStatus(sent.messageId);
    return status.recipients.find((r) => r.participant === MINISTRY.id && r.delivery === 'delivered');
  }, 'the delivered state');
  say.call('police.messageStatus(messageId)', `${MINISTRY.id} ${delivered.delivery}`);
  check(delivered.ack?.status === 'accepted', `unexpected status ${JSON.stringify(delivered)}`);
  say.field(MINISTRY.id, `delivery ${delivered.delivery}, acknowledged "accepted" at ${delivered.ack.at}`);
  say.ok('delivered, and the ministry has accepted the case');

  await showIntegrity({ admin, police, ministry, sent }, say);
}

/** Makes an agency's key pair and client, and has the administrator register it with its public key. */
async function registered(
  agency: AgencyProfile,
  {
    admin,
    gateway,
    schemas,
    say,
  }: { admin: RdxAdminClient; gateway: DemoGateway; schemas: SchemaRegistry; say: Narrator },
): Promise<RdxClient> {
  const signer = await AgencySigner.generate(agency.id, agency.alg);
  say.call(`AgencySigner.generate('${agency.id}', '${agency.alg}')`, `kid ${short(signer.kid)}`);
  const client = await RdxClient.create({
    gateway: gateway.url,
    participant: agency.id,
    signer,
    gatewayId: gateway.gatewayId,
    schemas,
  });
  const participant = await admin.registerParticipant({
    id: agency.id,
    name: agency.name,
    kind: agency.kind,
  });
  say.call(`admin.registerParticipant({ id: '${agency.id}', name, kind })`, participant.status);
  check(participant.status === 'active', `${agency.id} was registered ${participant.status}`);
  const jwk = signer.publicJwk;
  check(privateMembersOf(jwk).length === 0, 'the JWK about to be sent holds a private member');
  const key = await admin.registerKey(agency.id, jwk);
  say.call(`admin.registerKey('${agency.id}', signer.publicJwk)`, `key ${key.status}`);
  say.field('sent', `${Object.keys(jwk).join(', ')}: no private "d"`);
  check(
    key.kid === signer.kid && key.status === 'active',
    `unexpected key answer ${JSON.stringify(key)}; expected kid ${signer.kid}, active`,
  );
  say.ok(`${agency.id} (${agency.kind}), ${agency.alg} key ${short(key.kid)} active`);
  return client;
}
