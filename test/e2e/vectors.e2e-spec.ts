import { jwsVectors, vectorPublicKeys } from '@rdx/testing';
import { GatewayClient } from '../support/gateway-client';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

const EXPECTED: Record<string, { status: number; type: string }> = {
  // A valid signature passes the signature layer; the vectors' test type is not in the catalogue.
  valid: { status: 422, type: 'urn:rdx:problem:unknown-type' },
  'valid-ignore-jku': { status: 422, type: 'urn:rdx:problem:unknown-type' },
  malformed: { status: 400, type: 'urn:rdx:problem:malformed-message' },
};

describe.each(BACKENDS)('the independent JWS vectors through HTTP (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  const fetched: string[] = [];
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    client = new GatewayClient(gateway);
    const [es256, eddsa] = vectorPublicKeys();
    for (const [id, kind, jwk] of [
      ['KH.TEST', 'law-enforcement', es256],
      ['ID.TEST', 'law-enforcement', eddsa],
    ] as const) {
      expect((await client.admin('POST', '/v1/admin/participants', { id, name: id, kind })).status).toBe(201);
      expect((await client.admin('POST', `/v1/admin/participants/${id}/keys`, { jwk })).body).toEqual({
        kid: jwk.kid,
        status: 'active',
      });
    }
    // Record every outgoing request of this process: the gateway must never follow jku.
    globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    }) as typeof fetch;
  });

  afterAll(async () => {
    globalThis.fetch = realFetch;
    await gateway.close();
  });

  it.each(jwsVectors().map((v) => [v.name, v] as const))('%s', async (_name, vector) => {
    const auditBefore = await client.auditLength();
    const reply = await client.publish(vector.jws);
    const expected = EXPECTED[vector.expect] ?? {
      status: 401,
      type: expect.stringMatching(/^urn:rdx:problem:/),
    };
    expect({ status: reply.status, type: reply.body.type }).toEqual(expected);
    expect(await client.auditLength()).toBe(auditBefore);
    expect(fetched.filter((url) => !url.startsWith(gateway.url))).toEqual([]);
  });
});
