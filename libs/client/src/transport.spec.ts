import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { RdxProblem, RdxUnreachable } from './errors';
import { GatewayTransport, RetryPolicy } from './transport';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A real HTTP server that answers each request with the next scripted handler. */
async function scriptedServer(handlers: Handler[]): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''} ${body}`);
      const handler = handlers[Math.min(seen.length - 1, handlers.length - 1)];
      handler(request, body, response);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const problem =
  (status: number, name: string, headers: Record<string, string> = {}): Handler =>
  (_q, _b, response) => {
    response.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
    response.end(
      JSON.stringify({ type: `urn:rdx:problem:${name}`, title: name, status, detail: `${name}!` }),
    );
  };
const ok: Handler = (_q, body, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ echoed: body }));
};
const hangUp: Handler = (request) => request.socket.destroy();

const policy: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterSeconds: 5,
  timeoutMs: 2000,
};

describe('GatewayTransport', () => {
  let servers: Server[] = [];
  let waits: number[];
  const transport = (url: string) =>
    new GatewayTransport(
      url,
      policy,
      async (ms) => void waits.push(ms),
      () => 1,
    );

  beforeEach(() => (waits = []));
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    servers = [];
  });
  const serve = async (handlers: Handler[]) => {
    const s = await scriptedServer(handlers);
    servers.push(s.server);
    return s;
  };

  it('retries 5xx and 429 with doubling backoff, honouring Retry-After, and sends each try its own headers', async () => {
    const { url, seen } = await serve([
      problem(503, 'unavailable'),
      problem(429, 'rate-limited', { 'retry-after': '3' }),
      problem(500, 'internal'),
      ok,
    ]);
    let token = 0;
    const answer = await transport(url).send<{ echoed: string }>({
      method: 'POST',
      path: '/v1/messages',
      body: 'same-bytes',
      idempotent: true,
      headers: async () => ({ authorization: `Bearer t${++token}` }),
    });
    expect(answer).toEqual({ status: 200, body: { echoed: 'same-bytes' } });
    expect(seen.map((s) => s.split(' ').slice(2).join(' '))).toEqual([
      'Bearer t1 same-bytes',
      'Bearer t2 same-bytes',
      'Bearer t3 same-bytes',
      'Bearer t4 same-bytes',
    ]);
    expect(waits).toEqual([100, 3000, 400]);
  });

  it('gives up after the last try with the problem, typed', async () => {
    const { url } = await serve([problem(503, 'unavailable')]);
    const error = await transport(url)
      .send({ method: 'GET', path: '/x', idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RdxProblem);
    expect(error).toMatchObject({ status: 503, problem: 'unavailable', detail: 'unavailable!' });
    expect(waits).toHaveLength(policy.attempts - 1);
  });

  it('does not retry a refusal, nor a 500 of a request that must not be sent twice', async () => {
    const refusal = await serve([problem(422, 'schema-violation'), ok]);
    await expect(
      transport(refusal.url).send({ method: 'POST', path: '/x', idempotent: true }),
    ).rejects.toMatchObject({
      status: 422,
    });
    expect(refusal.seen).toHaveLength(1);
    const once = await serve([problem(500, 'internal'), ok]);
    await expect(
      transport(once.url).send({ method: 'POST', path: '/x', idempotent: false }),
    ).rejects.toMatchObject({
      status: 500,
    });
    expect(once.seen).toHaveLength(1);
  });

  it('retries a dropped connection only when sending twice does no harm', async () => {
    const dropped = await serve([hangUp, ok]);
    await expect(
      transport(dropped.url).send({ method: 'GET', path: '/x', idempotent: true }),
    ).resolves.toMatchObject({
      status: 200,
    });
    const notTwice = await serve([hangUp, ok]);
    await expect(
      transport(notTwice.url).send({ method: 'POST', path: '/x', idempotent: false }),
    ).rejects.toBeInstanceOf(RdxUnreachable);
    expect(notTwice.seen).toHaveLength(1);
  });

  it('names an unreachable gateway after retrying a refused connection, also for a write', async () => {
    const { url, server } = await serve([ok]);
    await new Promise((r) => server.close(r));
    servers = [];
    const error = await transport(url)
      .send({ method: 'POST', path: '/x', idempotent: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RdxUnreachable);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(waits).toHaveLength(policy.attempts - 1);
  });

  it('keeps what a proxy answered when it is not a problem', async () => {
    const { url } = await serve([
      (_q, _b, response) => {
        response.writeHead(404, { 'content-type': 'text/html' });
        response.end('<h1>no</h1>');
      },
    ]);
    await expect(transport(url).send({ method: 'GET', path: '/x', idempotent: true })).rejects.toMatchObject({
      type: 'about:blank',
      status: 404,
      detail: '<h1>no</h1>',
    });
  });
});
