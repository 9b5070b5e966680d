import { exampleData, INCIDENT_ALERT, signWithNodeCrypto, TestAgency } from '@rdx/testing';
import { ApiOperation, apiOperations, pathOf } from '../support/api-operations';
import { GatewayClient, Reply } from '../support/gateway-client';
import { expectProblem } from '../support/problems';
import { storedState } from '../support/stored-state';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

const BODY_LIMIT = 65536;
const nested = (levels: number, inner = '1') => '['.repeat(levels) + inner + ']'.repeat(levels);

describe.each(BACKENDS)('hostile input: a 4xx problem on every route, nothing stored (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let police: TestAgency;
  let operations: ApiOperation[];
  let jsonRoutes: ApiOperation[];
  let queryRoutes: ApiOperation[];

  beforeAll(async () => {
    gateway = await startTestGateway(backend, { RDX_BODY_LIMIT: String(BODY_LIMIT) });
    client = new GatewayClient(gateway);
    police = await TestAgency.create('KH.CNP', 'law-enforcement');
    await client.register(police);
    operations = await apiOperations(gateway.url);
    jsonRoutes = operations.filter((o) => o.bodyTypes.includes('application/json'));
    queryRoutes = operations.filter((o) => o.queryParams.length > 0);
  });

  afterAll(() => gateway.close());

  /** The credentials an operation takes, fresh for each request. */
  async function credentials(operation: ApiOperation): Promise<Record<string, string>> {
    if (operation.caller === 'admin') return { authorization: `Bearer ${gateway.adminToken}` };
    if (operation.caller === 'participant') {
      return { authorization: `Bearer ${await police.bearer(gateway.gatewayId)}` };
    }
    return {};
  }

  /** Sends one request to `operation` and expects the problem, with nothing stored or recorded. */
  async function refused(
    operation: ApiOperation,
    request: { body?: string | Uint8Array; contentType?: string; query?: string; path?: string },
    status: number,
    name: string,
  ): Promise<Reply> {
    const before = await storedState(gateway);
    const auditBefore = await client.auditLength();
    const path = request.path ?? pathOf(operation, (param) => (param === 'id' ? police.id : 'x'));
    const reply = await client.request(operation.method, `${path}${request.query ?? ''}`, {
      body: request.body,
      headers: {
        ...(await credentials(operation)),
        ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
      },
    });
    expectProblem(reply, status, name);
    expect(await storedState(gateway)).toEqual(before);
    expect(await client.auditLength()).toBe(auditBefore);
    return reply;
  }

  const json = (body: string | Uint8Array) => ({ body, contentType: 'application/json' });

  it('finds the routes to try in the OpenAPI document', () => {
    expect(jsonRoutes.length).toBeGreaterThanOrEqual(8);
    expect(queryRoutes.length).toBeGreaterThanOrEqual(4);
  });

  it('400 unacceptable-json: nesting deeper than 32 levels, alone or inside a field', async () => {
    for (const route of jsonRoutes) {
      await refused(route, json(nested(5000)), 400, 'unacceptable-json');
      await refused(route, json(`{"name": ${nested(32)}}`), 400, 'unacceptable-json');
      // 32 levels in all is still JSON the gateway reads: the validator answers instead.
      const reply = await client.request(
        route.method,
        pathOf(route, () => 'x'),
        {
          ...{ body: `{"name": ${nested(31)}}` },
          headers: { ...(await credentials(route)), 'content-type': 'application/json' },
        },
      );
      expect(reply.body.type).not.toBe('urn:rdx:problem:unacceptable-json');
      expect(reply.status).toBeLessThan(500);
    }
  });

  it('400 unacceptable-json: the keys __proto__, constructor and prototype at any depth', async () => {
    for (const route of jsonRoutes) {
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const top = await refused(route, json(`{"${key}": {"admin": true}}`), 400, 'unacceptable-json');
        expect(top.body.errors).toEqual([{ path: key, message: expect.stringContaining(key) }]);
        const deep = await refused(route, json(`{"a": [{"b": {"${key}": 1}}]}`), 400, 'unacceptable-json');
        expect(deep.body.errors[0].path).toBe(`a[0].b.${key}`);
      }
    }
  });

  it('400 unacceptable-json: strings and arrays past the shared limits; 422 past a field limit', async () => {
    for (const route of jsonRoutes) {
      await refused(route, json(JSON.stringify({ reason: 'x'.repeat(8193) })), 400, 'unacceptable-json');
      await refused(
        route,
        json(JSON.stringify({ types: new Array(1001).fill('t') })),
        400,
        'unacceptable-json',
      );
      await refused(route, json(JSON.stringify({ ['k'.repeat(8193)]: 1 })), 400, 'unacceptable-json');
    }
    const register = jsonRoutes.find((o) => o.method === 'POST' && o.path === '/v1/admin/participants')!;
    const long = await refused(
      register,
      json(JSON.stringify({ id: 'KH.LONG', name: 'n'.repeat(201), kind: 'labour' })),
      422,
      'invalid-fields',
    );
    expect(long.body.errors).toEqual([{ path: 'name', message: expect.any(String) }]);
    const subscribe = jsonRoutes.find((o) => o.method === 'POST' && o.path === '/v1/subscriptions')!;
    const many = await refused(
      subscribe,
      json(JSON.stringify({ types: new Array(51).fill('t'), delivery: { mode: 'pull' } })),
      422,
      'invalid-fields',
    );
    expect(many.body.errors.map((e: { path: string }) => e.path)).toContain('types');
  });

  it('400 unacceptable-json: numbers that are not finite or not safe integers, NUL and lone surrogates', async () => {
    for (const route of jsonRoutes) {
      for (const value of ['1e400', '-1e400', '9007199254740992', '-12345678901234567890']) {
        const reply = await refused(route, json(`{"contact": {"n": ${value}}}`), 400, 'unacceptable-json');
        expect(reply.body.errors[0].path).toBe('contact.n');
      }
      await refused(route, json('{"name": "a\\u0000b"}'), 400, 'unacceptable-json');
      await refused(route, json('{"name": "\\ud800"}'), 400, 'unacceptable-json');
      await refused(route, json('{"a\\u0000": 1}'), 400, 'unacceptable-json');
    }
  });

  it('415 unsupported-media-type: a body of any other type, or none declared', async () => {
    for (const route of operations.filter((o) => o.bodyTypes.length > 0)) {
      const other = route.bodyTypes.includes('application/json') ? 'application/jose' : 'application/json';
      for (const contentType of [other, 'text/plain', 'application/x-www-form-urlencoded', undefined]) {
        // fetch labels a string body text/plain; bytes go without a Content-Type.
        const body = contentType === undefined ? Buffer.from('{}') : '{}';
        await refused(route, { body, contentType }, 415, 'unsupported-media-type');
      }
    }
  });

  it('400 bad-request: a body that is not UTF-8, or not JSON', async () => {
    for (const route of jsonRoutes) {
      await refused(route, json(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, 'bad-request');
      await refused(route, json(Buffer.from('{"name": "\xc3\x28"}', 'latin1')), 400, 'bad-request');
      await refused(route, json('{"name": '), 400, 'bad-request');
    }
  });

  it('413 payload-too-large: a body past RDX_BODY_LIMIT, on every route that takes one', async () => {
    for (const route of operations.filter((o) => o.bodyTypes.length > 0)) {
      const body = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT) });
      await refused(route, { body, contentType: route.bodyTypes[0] }, 413, 'payload-too-large');
    }
  });

  it('400 bad-request: query parameters repeated, forbidden, too long, not text or unsafe numbers', async () => {
    for (const route of queryRoutes) {
      const name = route.queryParams[0];
      for (const query of [
        `?${name}=1&${name}=2`,
        '?__proto__=1',
        '?constructor=1',
        `?${name}=${'9'.repeat(2049)}`,
        `?${name}=%00`,
      ]) {
        await refused(route, { query }, 400, 'bad-request');
      }
      for (const numeric of route.queryParams.filter((p) => ['after', 'limit'].includes(p))) {
        if (route.path === '/v1/inbox' && numeric === 'after') continue; // an opaque cursor
        for (const value of ['1e400', '99999999999999999999', 'NaN']) {
          await refused(route, { query: `?${numeric}=${value}` }, 400, 'bad-request');
        }
      }
    }
  });

  it('400 bad-request: path segments with NUL, broken percent-encoding, or past any identifier', async () => {
    for (const route of operations.filter((o) => o.pathParams.length > 0)) {
      for (const segment of ['%00', '%E0%A4%A', 'x'.repeat(101)]) {
        const path = pathOf(route, () => segment, true);
        const body = route.bodyTypes.length > 0 ? { body: '{}', contentType: route.bodyTypes[0] } : {};
        await refused(route, { path, ...body }, 400, 'bad-request');
      }
    }
  });

  it('431 headers-too-large: headers past what Node reads, answered as a problem', async () => {
    const reply = await client.request('GET', '/v1/schemas', { headers: { 'x-padding': 'a'.repeat(20000) } });
    expectProblem(reply, 431, 'headers-too-large');
  });

  it('400 unacceptable-json: signed messages, acknowledgements and bearer tokens hold no hostile JSON', async () => {
    const messages = operations.find((o) => o.method === 'POST' && o.path === '/v1/messages')!;
    const acks = operations.find((o) => o.method === 'POST' && o.path === '/v1/messages/{id}/acks')!;
    /** A signed payload: a real envelope with one raw fragment spliced into its `data`. */
    const signed = (raw: string, typ = 'rdx+jws') => {
      const envelope = JSON.stringify(police.envelope({ data: exampleData(INCIDENT_ALERT) }));
      const text = envelope.replace('"data":{', `"data":{"extra":${raw},`);
      return signWithNodeCrypto(
        police.privateJwk,
        { alg: police.alg, kid: police.kid, typ },
        Buffer.from(text),
      );
    };
    const jose = (body: string) => ({ body, contentType: 'application/jose' });
    for (const raw of [nested(5000), '{"__proto__":{"x":1}}', '1e400', '9007199254740993', '"\\u0000"']) {
      const reply = await refused(messages, jose(signed(raw)), 400, 'unacceptable-json');
      expect(reply.body.errors[0].path).toMatch(/^data\.extra/);
      await refused(acks, jose(signed(raw, 'rdx-ack+jws')), 400, 'unacceptable-json');
    }
    const subject = signWithNodeCrypto(
      police.privateJwk,
      { alg: police.alg, kid: police.kid, typ: 'rdx+jws' },
      Buffer.from(
        JSON.stringify(police.envelope({ data: exampleData(INCIDENT_ALERT) })).replace(
          '{',
          '{"subject":"a\\u0000b",',
        ),
      ),
    );
    await refused(messages, jose(subject), 400, 'unacceptable-json');
    // A bearer token's claims: refused as a token, whatever is wrong in them.
    const token = signWithNodeCrypto(
      police.privateJwk,
      { alg: police.alg, kid: police.kid, typ: 'JWT' },
      Buffer.from(`{"iss":"KH.CNP","sub":"KH.CNP","aud":"rdx-gateway","deep":${nested(5000)}}`),
    );
    const inbox = await client.request('GET', '/v1/inbox', { headers: { authorization: `Bearer ${token}` } });
    expectProblem(inbox, 401, 'invalid-token');
  });
});
