import { createHash, randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AuditChainItem, verifyAuditChain } from '@rdx/crypto';
import { adultVictimData, TestAgency, VICTIM_NOTIFICATION } from '@rdx/testing';
import fc from 'fast-check';
import { ApiOperation, apiOperations, pathOf } from '../support/api-operations';
import { GatewayClient, Reply } from '../support/gateway-client';
import { Caller, hostileRequests, HostileRequest } from '../support/hostile.arbitraries';
import { storedState } from '../support/stored-state';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

// `npm run fuzz -- --runs N --seed S` sets these; the default run is short and always the same.
const RUNS = Number(process.env.RDX_FUZZ_RUNS ?? 320);
const SEED = Number(process.env.RDX_FUZZ_SEED ?? 20261207);
const BACKEND_FILTER = process.env.RDX_FUZZ_BACKEND;
const BODY_LIMIT = 32768;
/** What the gateway's heap may keep after the first quarter of the run; a leak per request passes it. */
const HEAP_GROWTH_LIMIT = 48 * 1024 * 1024;
/** The digest of a table without rows. */
const EMPTY = createHash('sha256').update('').digest('hex');

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

describe.each(BACKENDS.filter((b) => BACKEND_FILTER === undefined || b === BACKEND_FILTER))(
  'the whole API under generated hostile requests (%s)',
  (backend) => {
    let gateway: TestGateway;
    let client: GatewayClient;
    let police: TestAgency;
    let fuzzer: TestAgency;
    let auditorToken: string;
    let known: Record<string, string[]>;

    beforeAll(async () => {
      gateway = await startTestGateway(backend, { RDX_BODY_LIMIT: String(BODY_LIMIT) });
      client = new GatewayClient(gateway);
      police = await TestAgency.create('KH.CNP', 'law-enforcement');
      const ministry = await TestAgency.create('ID.KEMLU', 'foreign-affairs');
      fuzzer = await TestAgency.create('TH.FUZZ', 'coordination');
      for (const agency of [police, ministry, fuzzer]) await client.register(agency);
      const subscription = await client.subscribe(ministry, [VICTIM_NOTIFICATION]);
      const { jws } = await police.signMessage({ type: VICTIM_NOTIFICATION, data: adultVictimData() });
      const published = await client.publish(jws);
      expect(published.status).toBe(202);
      await client.awaitInbox(ministry, 1);
      auditorToken = (await client.admin('POST', '/v1/admin/tokens', { role: 'auditor' })).body.token;
      known = {
        id: [police.id, ministry.id, fuzzer.id, published.body.messageId, subscription.body.id, randomUUID()],
        kid: [police.kid, fuzzer.kid, 'no-such-kid'],
        type: [VICTIM_NOTIFICATION, 'org.asean.rdx.no-such-type.v1'],
      };
    });

    afterAll(() => gateway.close());

    async function authorization(caller: Caller): Promise<Record<string, string>> {
      if (typeof caller === 'object') return caller;
      switch (caller) {
        case 'none':
          return {};
        case 'admin':
          return { authorization: `Bearer ${gateway.adminToken}` };
        case 'auditor':
          return { authorization: `Bearer ${auditorToken}` };
        case 'participant':
          return { authorization: `Bearer ${await fuzzer.bearer(gateway.gatewayId)}` };
        case 'participant-wrong-audience':
          return { authorization: `Bearer ${await fuzzer.bearer('another-gateway')}` };
      }
    }

    async function send(operation: ApiOperation, request: HostileRequest): Promise<Reply> {
      const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const { value, raw } = request.segments[name];
        return raw ? value : encodeURIComponent(value);
      });
      return client.request(request.method, `${path}${request.query}`, {
        body: ['GET', 'HEAD'].includes(request.method) ? undefined : request.body,
        headers: {
          ...request.headers,
          ...(await authorization(request.caller)),
          ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
        },
      });
    }

    /** What the gateway holds: every table's rows, and the audit record's length. */
    const snapshot = async () => ({ rows: await storedState(gateway), audit: await client.auditLength() });

    /** After an accepted request, what the gateway holds once its queues have drained. */
    async function settled() {
      const drained = (rows: Record<string, string>) =>
        [rows.outbox, rows.routing_queue].every((digest) => digest === EMPTY);
      let previous = await snapshot();
      for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 100));
        const next = await snapshot();
        if (drained(next.rows) && JSON.stringify(next) === JSON.stringify(previous)) return next;
        previous = next;
      }
      throw new Error('the outbox and routing queue did not drain within 20 s');
    }

    it(
      'answers every request below 500, refuses with problem JSON, stores nothing refused, keeps the chain and its memory',
      async () => {
        const operations = await apiOperations(gateway.url);
        expect(operations.length).toBeGreaterThanOrEqual(30);
        const perOperation = Math.max(1, Math.ceil(RUNS / operations.length));
        const problems = new Map<string, number>();
        let state = await settled();
        let heapAfterWarmUp = 0;

        for (const [index, operation] of operations.entries()) {
          if (index === Math.floor(operations.length / 4)) heapAfterWarmUp = heapAfterGc();
          const requests = hostileRequests(operation, (param) => known[param] ?? ['x'], BODY_LIMIT);
          await fc.assert(
            fc.asyncProperty(requests, async (request) => {
              const reply = await send(operation, request);
              const where = `${request.method} ${pathOf(operation, (p) => request.segments[p]?.value ?? '')}`;
              expect({ where, status: reply.status }).toEqual({ where, status: expect.any(Number) });
              expect(reply.status).toBeLessThan(500);
              if (reply.status < 400) {
                state = await settled();
                return;
              }
              expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
              expect(reply.body).toMatchObject({
                type: expect.stringMatching(/^urn:rdx:problem:[a-z-]+$/),
                title: expect.any(String),
                status: reply.status,
                detail: expect.any(String),
              });
              problems.set(reply.body.type, (problems.get(reply.body.type) ?? 0) + 1);
              expect(await snapshot()).toEqual(state);
            }),
            { seed: SEED + index, numRuns: perOperation, endOnFailure: true },
          );
        }

        // The generators reach the shared limits, the validators, authentication and the routes.
        for (const name of ['unacceptable-json', 'bad-request', 'unsupported-media-type', 'invalid-token']) {
          expect(problems.get(`urn:rdx:problem:${name}`) ?? 0).toBeGreaterThan(0);
        }
        expect(heapAfterGc() - heapAfterWarmUp).toBeLessThan(HEAP_GROWTH_LIMIT);

        const items: AuditChainItem[] = [];
        for (let after = 0; ;) {
          const page = await client.admin('GET', `/v1/admin/audit?after=${after}&limit=500`);
          if (page.body.items.length === 0) break;
          items.push(...page.body.items);
          after = page.body.next;
        }
        expect(verifyAuditChain(items)).toEqual({ ok: true });
      },
      120_000 + RUNS * 500,
    );
  },
);
