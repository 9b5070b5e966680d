import { verifyAuditChain } from '@rdx/crypto';
import { RdxAdminClient, RdxClient, RdxProblem, RdxVerificationFailed, Sent } from '@rdx/client';
import { check, refused } from './demo-checks.assertion';
import { Narrator } from './narration.printer';

/** The parties of the exchange, and the message the police sent. */
export interface AfterTheExchange {
  admin: RdxAdminClient;
  police: RdxClient;
  ministry: RdxClient;
  sent: Sent;
}

const short = (text: string, width = 24) => (text.length > width ? `${text.slice(0, width - 3)}...` : text);
/** A SHA-256 in hex, cut to its first characters. */
const shortHashes = (text: string) => text.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1...');

/** The last step: a changed byte is refused by the recipient and by the gateway, and the audit chain holds. */
export async function showIntegrity({ admin, police, ministry, sent }: AfterTheExchange, say: Narrator) {
  say.next('Tampering is refused, and the record keeps itself honest');
  const [head, payload, signature] = sent.jws.split('.');
  const at = Math.floor(payload.length / 2);
  const flipped = payload[at] === 'A' ? 'B' : 'A';
  const tampered = `${head}.${payload.slice(0, at)}${flipped}${payload.slice(at + 1)}.${signature}`;
  say.say(
    'Someone intercepts the police message and changes ONE character of its content',
    `(character ${at} of the payload segment: "${payload[at]}" -> "${flipped}").`,
    "Handed to the ministry, the copy is checked against KH.CNP's registered keys:",
  );
  const forged = await refused(
    ministry.verify(tampered),
    RdxVerificationFailed,
    'verifying the changed copy',
  );
  say.call('ministry.verify(changedCopy)', 'RdxVerificationFailed');
  say.field('reason', forged.reason);
  check(/does not verify/.test(forged.reason), `refused for another reason: ${forged.reason}`);
  say.ok("the ministry's client refuses it: the signature no longer matches KH.CNP's key");

  say.say(
    'Posted to the gateway as it is (publishSigned sends a JWS already signed; a message needs',
    'no bearer token, its signature is what authenticates it), it is refused there too:',
  );
  const recordBefore = await admin.auditLength();
  const refusal = await refused(police.publishSigned(tampered), RdxProblem, 'posting the changed copy');
  say.call('police.publishSigned(changedCopy)', `RdxProblem, HTTP ${refusal.status}`);
  say.field('type', refusal.type);
  say.field('detail', refusal.detail);
  check(
    refusal.status === 401 && refusal.problem === 'invalid-signature',
    `unexpected refusal ${refusal.status} ${refusal.type}`,
  );
  const recordAfter = await admin.auditLength();
  say.call('admin.auditLength()', `${recordAfter} items, as before`);
  check(recordAfter === recordBefore, 'the refused message left a trace in the audit record');
  say.ok('refused with 401: nothing was stored, not even a line in the audit record');

  say.blank();
  const { items } = await admin.auditPage();
  say.call('admin.auditPage()', `${items.length} items, each hash-chained to the one before:`);
  const actorWidth = Math.max(...items.map((item) => short(item.actor).length));
  const actionWidth = Math.max(...items.map((item) => item.action.length));
  for (const item of items) {
    const seq = String(item.seq).padStart(String(items.length).length);
    say.say(
      `  #${seq} ${short(item.actor).padEnd(actorWidth)}  ${item.action.padEnd(actionWidth)}  ${short(item.subject)}`,
    );
  }
  const verdict = await admin.verifyAudit();
  say.call('admin.verifyAudit()', `ok: ${verdict.ok}, ${verdict.items} items`);
  check(
    verdict.ok && verdict.items === items.length,
    `the audit chain does not verify: ${verdict.problem ?? `${verdict.items} items`}`,
  );
  say.ok('every hash recomputed (SHA-256 of RFC 8785 JSON), every prevHash links up');
  say.say('The same check (verifyAudit runs it on each page), on a copy whose first item was edited:');
  const edited = items.map((item) => (item.seq === 1 ? { ...item, subject: 'XX.FORGED' } : item));
  const caught = verifyAuditChain(edited);
  say.call('verifyAuditChain(editedCopy)', `ok: ${caught.ok}, broken at #${caught.brokenAt}`);
  check(!caught.ok && caught.brokenAt === 1, 'an edited audit record still verified');
  say.field('problem', shortHashes(caught.problem ?? ''));
  say.ok('the edit is caught: the item no longer hashes to the hash that the next one links to');
}
