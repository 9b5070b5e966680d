import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, GatewayProcess } from '../support/gateway-process';

describe('starting the gateway with a mistyped setting', () => {
  let dir: string;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdx-startup-'));
    gateway = new GatewayProcess({
      RDX_PORT: String(await freePort()),
      RDX_HOST: '127.0.0.1',
      RDX_DATABASE_URL: `sqlite:${join(dir, 'rdx.sqlite')}`,
      RDX_GATEWAY_KEY_FILE: join(dir, 'gateway-key.json'),
      RDX_SHARING_POLICY: resolve(__dirname, '../../config/sharing-policy.json'),
      RDX_RATE_LIMIT_BURST: 'value-never-logged',
      RDX_PARTICIPANT: 'KH.CNP',
    });
    await gateway.start();
  });

  afterAll(async () => {
    await gateway.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('warns, naming the variable and the setting it most likely meant, and starts', () => {
    expect(gateway.logs).toContain(
      'RDX_RATE_LIMIT_BURST is not a setting of RDX and is ignored (did you mean RDX_RATE_BURST?)',
    );
    expect(gateway.logs).not.toContain('value-never-logged');
    // The client's own variables are known, not typos.
    expect(gateway.logs).not.toContain('RDX_PARTICIPANT');
  });
});
