import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { RdxVerificationFailed } from './errors';
import { KeyDirectory, StaticKeys } from './key-directory';
import { GatewayTransport } from './transport';

describe('KeyDirectory', () => {
  let server: Server;
  let served: string[];
  let requests: string[];
  let now: number;
  let directory: KeyDirectory;

  beforeEach(async () => {
    served = ['k1'];
    requests = [];
    now = 0;
    server = createServer((request, response) => {
      requests.push(request.url!);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ keys: served.map((kid) => ({ kty: 'OKP', crv: 'Ed25519', x: 'AA', kid })) }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    directory = new KeyDirectory(new GatewayTransport(url), { minRefreshMs: 1000, now: () => now });
  });
  afterEach(() => new Promise((r) => server.close(r)));

  it('fetches a participant’s keys once, and again for a kid not yet seen, at most once a second', async () => {
    await expect(directory.participantKey('KH.CNP', 'k1')).resolves.toMatchObject({ kid: 'k1' });
    await directory.participantKey('KH.CNP', 'k1');
    expect(requests).toEqual(['/v1/participants/KH.CNP/jwks']);
    served = ['k1', 'k2'];
    // Within the second since the last fetch: not fetched again, however many unknown kids come.
    await expect(directory.participantKey('KH.CNP', 'k2')).rejects.toBeInstanceOf(RdxVerificationFailed);
    await expect(directory.participantKey('KH.CNP', 'made-up')).rejects.toThrow("is not among KH.CNP's keys");
    expect(requests).toHaveLength(1);
    now = 1000;
    await expect(directory.participantKey('KH.CNP', 'k2')).resolves.toMatchObject({ kid: 'k2' });
    expect(requests).toHaveLength(2);
  });

  it('shares one fetch among verifications waiting for it, and refuses what is not a participant id', async () => {
    await Promise.all([1, 2, 3].map(() => directory.gatewayKey('k1')));
    expect(requests).toEqual(['/.well-known/jwks.json']);
    await expect(directory.participantKey('../admin', 'k1')).rejects.toBeInstanceOf(RdxVerificationFailed);
    expect(requests).toHaveLength(1);
  });
});

describe('StaticKeys', () => {
  it('finds keys by kid in the sets given, and nothing else', async () => {
    const keys = new StaticKeys([{ keys: [{ kty: 'EC', kid: 'a' }] }, { keys: [{ kty: 'OKP', kid: 'b' }] }]);
    await expect(keys.participantKey('KH.CNP', 'b')).resolves.toMatchObject({ kty: 'OKP' });
    await expect(keys.gatewayKey('c')).rejects.toBeInstanceOf(RdxVerificationFailed);
  });
});
