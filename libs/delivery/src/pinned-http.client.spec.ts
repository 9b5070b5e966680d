import { createServer, Server } from 'node:http';
import { PinnedHttpClient } from './pinned-http.client';

describe('PinnedHttpClient', () => {
  let server: Server;
  let port: number;
  const seen: { host?: string; body: string }[] = [];
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ host: request.headers.host, body });
        if (request.url === '/redirect')
          response.writeHead(302, { location: 'http://169.254.169.254/' }).end();
        else if (request.url === '/slow') timers.push(setTimeout(() => response.writeHead(200).end(), 2000));
        else response.writeHead(204, { 'retry-after': '7' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    timers.forEach(clearTimeout);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = new PinnedHttpClient();
  const loopback = { address: '127.0.0.1', family: 4 as const };

  it('connects to the address that was checked, whatever the name would resolve to now', async () => {
    // `.invalid` never resolves: only the pinned address can have been used.
    const outcome = await client.post(
      new URL(`http://ministry.invalid:${port}/hook`),
      loopback,
      {},
      '{"seq":1}',
      2000,
    );
    expect(outcome).toMatchObject({ status: 204, retryAfter: '7' });
    expect(seen.at(-1)).toEqual({ host: `ministry.invalid:${port}`, body: '{"seq":1}' });
  });

  it('does not follow redirects', async () => {
    const outcome = await client.post(
      new URL(`http://ministry.invalid:${port}/redirect`),
      loopback,
      {},
      '{}',
      2000,
    );
    expect(outcome.status).toBe(302);
    expect(seen.filter((s) => s.body === '{}')).toHaveLength(1);
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    await expect(
      client.post(new URL(`http://ministry.invalid:${port}/slow`), loopback, {}, '{}', 300),
    ).rejects.toThrow('no answer within 300 ms');
  });
});
