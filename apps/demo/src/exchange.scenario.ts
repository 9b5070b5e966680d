import { createHash, randomUUID } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet } from 'jose';
import { verifyAuditChain } from '@rdx/crypto';
import { check, expectStatus, until } from './demo-checks.assertion';
import { DemoGateway, masked } from './demo-gateway.launcher';
import { Accepted, GatewayHttpClient, InboxItem, MessageStatus, Problem } from './gateway-http.client';
import { Narrator } from './narration.printer';
import { PartnerAgency } from './partner-agency.client';
import { oneAdultIndonesianVictim, summarise, VICTIM_NOTIFICATION } from './victim-notification.example';

export const STEPS = 7;

const decode = (bytes: Uint8Array): Record<string, unknown> =>
  JSON.parse(Buffer.from(bytes).toString('utf8'));

/** The whole exchange, over real HTTP against a gateway running in this process. */
export async function playExchange(gateway: DemoGateway, say: Narrator): Promise<void> {
  const http = new GatewayHttpClient(gateway.url, gateway.gatewayId);
  const admin = <T>(method: string, path: string, body?: unknown) =>
    http.admin<T>(gateway.adminToken, method, path, body);

  say.next('A gateway starts');
  say.say('An RDX gateway now runs inside this process, on the built-in defaults:');
  say.field('listening', gateway.url);
  say.field('database', 'SQLite file in a fresh temporary folder');
  say.field('message bus', 'in-process (no RabbitMQ needed)');
  say.field('admin token', masked(gateway.adminToken));
  const ready = await http.request('GET', '/health/ready');
  say.http('anyone', 'GET', '/health/ready', ready.status);
  expectStatus(ready, 200, 'the readiness check');
  say.ok('the gateway says it is ready');

  say.next('The administrator registers two agencies');
  say.say(
    'Each agency makes its OWN key pair, on its own machine.',
    'It sends only the PUBLIC half. The private key never leaves the agency.',
  );
  const police = await PartnerAgency.create(
    'KH.CNP',
    'Cambodian National Police, Anti-Human Trafficking and Juvenile Protection Department',
    'law-enforcement',
    'ES256',
  );
  const ministry = await PartnerAgency.create(
    'ID.KEMLU',
    'Ministry of Foreign Affairs of Indonesia, Directorate for the Protection of Citizens Abroad',
    'foreign-affairs',
    'EdDSA',
  );
  for (const agency of [police, ministry]) {
    const made = await admin('POST', '/v1/admin/participants', {
      id: agency.id,
      name: agency.name,
      kind: agency.kind,
    });
    say.http('administrator', 'POST', '/v1/admin/participants', made.status);
    expectStatus(made, 201, `registering ${agency.id}`);
    check(!('d' in agency.publicJwk), 'the JWK about to be sent holds a private member');
    const key = await admin<{ kid: string; status: string }>(
      'POST',
      `/v1/admin/participants/${agency.id}/keys`,
      {
        jwk: agency.publicJwk,
      },
    );
    say.http('administrator', 'POST', `/v1/admin/participants/${agency.id}/keys`, key.status);
    expectStatus(key, 201, `registering the key of ${agency.id}`);
    check(
      key.body.kid === agency.kid && key.body.status === 'active',
      `unexpected key answer ${JSON.stringify(key.body)}`,
    );
    say.ok(`${agency.id} (${agency.kind}), ${agency.alg} key ${agency.kid.slice(0, 16)}... active`);
  }

  say.next('The Indonesian ministry subscribes to victim notifications');
  say.say(
    'ID.KEMLU proves who it is with a bearer token it signs itself:',
    'a JWT for one request, valid 2 minutes, with a fresh random id (jti).',
  );
  const subscription = await http.as<{ id: string }>(ministry, 'POST', '/v1/subscriptions', {
    types: [VICTIM_NOTIFICATION],
    purpose: 'consular',
    delivery: { mode: 'pull' },
  });
  say.http('ID.KEMLU', 'POST', '/v1/subscriptions', subscription.status);
  expectStatus(subscription, 201, 'subscribing');
  say.ok(`subscription ${subscription.body.id}, delivery by pull, for`);
  say.say(`     ${VICTIM_NOTIFICATION}`);

  say.next('The Cambodian police publish a signed notification');
  const data = oneAdultIndonesianVictim();
  const envelope = {
    specversion: '1.0',
    id: randomUUID(),
    source: police.id,
    type: VICTIM_NOTIFICATION,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    subject: data.caseRef,
    tlp: 'amber',
    handling: 'H1',
    data,
  };
  const jws = await police.signMessage(envelope);
  say.say(
    'An Indonesian woman was freed in Sihanoukville. KH.CNP wraps the facts in a',
    'CloudEvents envelope (tlp amber, handling H1: not for court without permission)',
    `and signs it with its private key: a compact JWS of ${jws.length} characters.`,
    "It names no recipient: the gateway routes it to the victim's home state.",
  );
  const accepted = await http.postJose<Accepted>('/v1/messages', jws);
  say.http('KH.CNP', 'POST', '/v1/messages', accepted.status);
  expectStatus(accepted, 202, 'publishing');
  say.field('messageId', accepted.body.messageId);
  say.field('receivedAt', accepted.body.receivedAt);
  say.field('recipients', accepted.body.recipients.join(', ') || '(none)');
  check(accepted.body.messageId === envelope.id, 'the messageId is not the envelope id');
  check(
    accepted.body.recipients.length === 1 && accepted.body.recipients[0] === ministry.id,
    `expected the recipients to be [${ministry.id}], got ${JSON.stringify(accepted.body.recipients)}`,
  );
  const gatewayKeys = await http.request<JSONWebKeySet>('GET', '/.well-known/jwks.json');
  say.http('KH.CNP', 'GET', '/.well-known/jwks.json', gatewayKeys.status);
  expectStatus(gatewayKeys, 200, "reading the gateway's keys");
  const receipt = await compactVerify(accepted.body.receipt, createLocalJWKSet(gatewayKeys.body)).catch(
    () => undefined,
  );
  check(receipt !== undefined, "the gateway's receipt does not verify against its published keys");
  check(
    receipt.protectedHeader.typ === 'rdx-receipt+jws',
    `the receipt has typ ${receipt.protectedHeader.typ}`,
  );
  const receiptClaims = decode(receipt.payload);
  say.ok(`the receipt is signed by the gateway (key ${receipt.protectedHeader.kid?.slice(0, 16)}...)`);
  const digest = `sha-256=${createHash('sha256').update(jws, 'utf8').digest('base64url')}`;
  check(receiptClaims.digest === digest, `receipt digest ${String(receiptClaims.digest)} is not ${digest}`);
  check(
    receiptClaims.messageId === envelope.id && receiptClaims.iss === gateway.gatewayId,
    'the receipt is for another message',
  );
  say.ok(`its digest is the SHA-256 of exactly the bytes sent: ${digest.slice(0, 24)}...`);
  say.say('The police keep this receipt: proof of what was handed over, and when.');

  say.next('The ministry pulls its inbox and checks the origin itself');
  const item = await until(async () => {
    const page = await http.as<{ items: InboxItem[] }>(ministry, 'GET', '/v1/inbox');
    expectStatus(page, 200, 'reading the inbox');
    return page.body.items.find((i) => i.messageId === envelope.id);
  }, 'delivery to the inbox');
  say.http('ID.KEMLU', 'GET', '/v1/inbox', 200);
  say.ok(`item #${item.seq} arrived: ${item.type}`);
  check(item.message === jws, 'the inbox does not hold the byte-identical JWS the police signed');
  const header = decodeProtectedHeader(item.message);
  say.say(
    `The ministry does not take the gateway's word: the JWS says key ${String(header.kid).slice(0, 16)}...`,
  );
  const policeKeys = await http.request<JSONWebKeySet>('GET', `/v1/participants/${police.id}/jwks`);
  say.http('ID.KEMLU', 'GET', `/v1/participants/${police.id}/jwks`, policeKeys.status);
  expectStatus(policeKeys, 200, "reading the police's public keys");
  const origin = await compactVerify(item.message, createLocalJWKSet(policeKeys.body)).catch(() => undefined);
  check(origin !== undefined, "the message does not verify against the police's public keys");
  check(origin.protectedHeader.typ === 'rdx+jws', `the message has typ ${origin.protectedHeader.typ}`);
  const received = decode(origin.payload) as typeof envelope;
  check(
    received.source === police.id && received.id === envelope.id,
    'the verified message names another source or id',
  );
  say.ok(`signature verified with ${police.id}'s own public key (${origin.protectedHeader.alg})`);
  say.say(`Sent by ${police.id} at ${received.time}, tlp ${received.tlp}, handling ${received.handling}:`);
  for (const [label, value] of summarise(received.data)) say.field(label, value);
  for (const status of ['received', 'accepted'] as const) {
    const ack = await http.postJose<{ status: string }>(
      `/v1/messages/${envelope.id}/acks`,
      await ministry.signAck(envelope.id, status),
    );
    say.http('ID.KEMLU', 'POST', `/v1/messages/{id}/acks`, ack.status);
    expectStatus(ack, 200, `acknowledging "${status}"`);
    check(ack.body.status === status, `the ack answer says ${JSON.stringify(ack.body)}`);
    say.ok(`signed acknowledgement "${status}" recorded`);
  }

  say.next('The police check what became of their message');
  const status = await until(async () => {
    const reply = await http.as<MessageStatus>(police, 'GET', `/v1/messages/${envelope.id}`);
    expectStatus(reply, 200, 'reading the message status');
    return reply.body.recipients.find((r) => r.participant === ministry.id && r.delivery === 'delivered');
  }, 'the delivered state');
  say.http('KH.CNP', 'GET', `/v1/messages/{id}`, 200);
  check(status.ack?.status === 'accepted', `unexpected status ${JSON.stringify(status)}`);
  say.field(
    ministry.id,
    `delivery ${status.delivery}, acknowledged "${status.ack.status}" at ${status.ack.at}`,
  );
  say.ok('delivered, and the ministry has accepted the case');

  say.next('Tampering is refused, and the record keeps itself honest');
  const auditBefore = await http.auditRecord(gateway.adminToken);
  const [head, payload, signature] = jws.split('.');
  const at = Math.floor(payload.length / 2);
  const flipped = payload[at] === 'A' ? 'B' : 'A';
  const tampered = `${head}.${payload.slice(0, at)}${flipped}${payload.slice(at + 1)}.${signature}`;
  say.say(
    'Someone intercepts the police message and changes ONE character of its content',
    `(character ${at} of the payload segment: "${payload[at]}" -> "${flipped}"), then posts it:`,
  );
  const refused = await http.postJose<Problem>('/v1/messages', tampered);
  say.http('an attacker', 'POST', '/v1/messages', refused.status);
  expectStatus(refused, 401, 'posting the tampered message');
  check(refused.contentType.startsWith('application/problem+json'), `the refusal is ${refused.contentType}`);
  say.field('type', refused.body.type);
  say.field('detail', refused.body.detail);
  check(
    refused.body.type === 'urn:rdx:problem:invalid-signature',
    `unexpected problem type ${refused.body.type}`,
  );
  const audit = await http.auditRecord(gateway.adminToken);
  check(audit.length === auditBefore.length, 'the refused message left a trace in the audit record');
  say.ok("refused with 401: the signature no longer matches KH.CNP's key; nothing was stored");
  say.blank();
  say.say(`The audit record (GET /v1/admin/audit) holds ${audit.length} entries:`);
  const short = (text: string) => (text.length > 24 ? `${text.slice(0, 21)}...` : text);
  const actorWidth = Math.max(...audit.map((entry) => short(entry.actor).length));
  const actionWidth = Math.max(...audit.map((entry) => entry.action.length));
  for (const entry of audit) {
    const seq = String(entry.seq).padStart(String(audit.length).length);
    say.say(
      `  #${seq} ${short(entry.actor).padEnd(actorWidth)}  ${entry.action.padEnd(actionWidth)}  ${short(entry.subject)}`,
    );
  }
  const verdict = verifyAuditChain(audit);
  check(verdict.ok, `the audit chain does not verify: ${verdict.problem}`);
  say.ok('every hash recomputed (SHA-256 of RFC 8785 JSON), every prevHash links up');
  const forged = audit.map((entry) => (entry.seq === 1 ? { ...entry, subject: 'XX.FORGED' } : entry));
  check(!verifyAuditChain(forged).ok, 'an edited audit record still verified');
  say.ok('and the same check catches a record edited after the fact');
}
