import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { GatewayClient, Reply } from '../support/gateway-client';
import { InboxLedger } from '../support/inbox-ledger';
import {
  ALL_TYPES,
  STANDALONE_TYPES,
  Cast,
  CAST,
  CAST_IDS,
  CastId,
  example,
  Kind,
  mayPublish,
  registerCast,
  setParticipantStatus,
  TYPES,
} from '../support/policy-cast';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';
import { PERSONS_RULES } from './policy/persons.rules';
import { REGISTRY_RULES } from './policy/registry.rules';
import { refused, Row, Rule, SIHANOUKVILLE, SUBSCRIBERS } from './policy/rows';
import { TLP_RULES } from './policy/tlp.rules';

/**
 * The sharing policy, rule by rule, as a table: each row publishes one message through HTTP and states
 * what the sender is told (status, recipients, withheld and why) and who finds it in their inbox.
 * The rules and their rows are in ./policy, by what decides them.
 */

const RULES: Rule[] = [...TLP_RULES, ...PERSONS_RULES, ...REGISTRY_RULES];

const problemType = (name: string) => `urn:rdx:problem:${name}`;
const pathsOf = (reply: Reply) =>
  ((reply.body?.errors ?? []) as { path: string }[]).map((e) => e.path).sort();

describe.each(BACKENDS)('the sharing policy, through HTTP (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let cast: Cast;
  let ledger: InboxLedger;
  let gatewayKeys: JSONWebKeySet;
  /** Every accepted message and the recipients its receipt named: nothing else may reach an inbox. */
  const routed = new Map<string, string[]>();

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    client = new GatewayClient(gateway);
    cast = await registerCast(client);
    for (const id of SUBSCRIBERS) {
      const made = await client.subscribe(cast[id], ALL_TYPES);
      if (made.status !== 201)
        throw new Error(`subscribe ${id}: ${made.status} ${JSON.stringify(made.body)}`);
    }
    ledger = new InboxLedger(client, Object.values(cast));
    gatewayKeys = (await client.request('GET', '/.well-known/jwks.json')).body as JSONWebKeySet;
  });

  afterAll(() => gateway.close());

  /** Publishes while the row's participants are suspended, and reinstates them whatever happens. */
  async function publishWhileSuspended(ids: CastId[], jws: string): Promise<Reply> {
    for (const id of ids) await setParticipantStatus(client, id, 'suspended');
    try {
      return await client.publish(jws);
    } finally {
      for (const id of ids) await setParticipantStatus(client, id, 'active');
    }
  }

  async function play(row: Row): Promise<void> {
    const sender = cast[row.from];
    const { jws, envelope } = await sender.signMessage({
      type: row.type,
      data: row.data(),
      tlp: row.tlp,
      ...(row.handling === undefined ? {} : { handling: row.handling }),
      ...(row.recipients === undefined ? {} : { recipients: row.recipients }),
    });
    const messageId = envelope.id as string;
    const reply = await publishWhileSuspended(row.whileSuspended ?? [], jws);

    if (row.expect.status !== 202) {
      expect({ status: reply.status, type: reply.body?.type }).toEqual({
        status: row.expect.status,
        type: problemType(row.expect.problem),
      });
      if (row.expect.paths !== undefined) expect(pathsOf(reply)).toEqual([...row.expect.paths].sort());
      expect((await client.admin('GET', `/v1/messages/${messageId}`)).status).toBe(404);
      return;
    }

    const expected = { recipients: row.expect.recipients, withheld: row.expect.withheld ?? [] };
    expect({
      status: reply.status,
      recipients: reply.body.recipients,
      withheld: reply.body.withheld,
    }).toEqual({
      status: 202,
      ...expected,
    });
    routed.set(messageId, reply.body.recipients as string[]);

    // The signed receipt says the same as the body.
    const receipt = await compactVerify(reply.body.receipt as string, createLocalJWKSet(gatewayKeys));
    expect(JSON.parse(Buffer.from(receipt.payload).toString())).toMatchObject(expected);

    // Each recipient pulls it exactly once; no one else has it.
    const holders = await ledger.awaitDelivery(messageId, expected.recipients);
    expect(holders.sort()).toEqual([...expected.recipients].sort());

    // The sender sees the same recipients, each delivered, and the same withheld.
    const status = await client.as(sender, 'GET', `/v1/messages/${messageId}`);
    expect(status.body).toMatchObject({
      recipients: expected.recipients.map((participant) => ({ participant, delivery: 'delivered' })),
      withheld: expected.withheld,
    });
  }

  describe.each(RULES)('$rule', ({ rows }) => {
    it.each(rows)('$name', (row) => play(row));
  });

  describe('the publishing matrix of config/sharing-policy.json, for every type and every kind', () => {
    const senderOfKind = (kind: Kind): CastId => CAST_IDS.find((id) => CAST[id] === kind)!;
    const kinds = [...new Set(Object.values(CAST))];

    it.each(STANDALONE_TYPES)('%s: 202 for the kinds listed, 403 for the others', async (type) => {
      const outcomes: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const kind of kinds) {
        const sender = senderOfKind(kind);
        const { jws, envelope } = await cast[sender].signMessage({
          type,
          data: example(type),
          tlp: 'red',
          handling: 'H2',
          recipients: sender === 'PH.IACAT' ? 'MY.MAPO' : 'PH.IACAT',
        });
        const reply = await client.publish(jws);
        outcomes[kind] = reply.status;
        expected[kind] = mayPublish(kind, type) ? 202 : 403;
        if (reply.status === 202) routed.set(envelope.id as string, reply.body.recipients as string[]);
        else expect(reply.body.type).toBe(problemType('publish-not-allowed'));
      }
      expect(outcomes).toEqual(expected);
    });
  });

  describe('found by these tests, and fixed', () => {
    it('an unknown recipient after a duplicated one is named by its position in the list as sent', () =>
      play({
        name: 'recipients "ID.KEMLU ID.KEMLU VN.MPS": VN.MPS is the third entry',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber',
        recipients: 'ID.KEMLU ID.KEMLU VN.MPS',
        expect: refused(422, 'unknown-recipient', ['recipients[2]']),
      }));
  });

  describe('after every row', () => {
    it('delivered nothing to anyone that a receipt did not name, and everything to everyone it named', async () => {
      await ledger.awaitAll(routed);
      // A stray delivery, routed late, would have had time to land by now.
      await new Promise((r) => setTimeout(r, 300));
      await ledger.refreshAll();
      for (const id of CAST_IDS) {
        const items = ledger.itemsOf(id);
        expect(items.map((item) => item.seq)).toEqual(items.map((_item, i) => i + 1));
        const strays = items.filter((item) => !(routed.get(item.messageId) ?? []).includes(id));
        expect({ id, strays: strays.map((s) => `${s.type} ${s.messageId}`) }).toEqual({ id, strays: [] });
      }
      for (const [messageId, recipients] of routed) {
        expect({ messageId, holders: ledger.holders(messageId).sort() }).toEqual({
          messageId,
          holders: [...recipients].sort(),
        });
      }
    });
  });
});
