import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '@rdx/config';
import { startGateway } from '../../gateway/src/gateway.app';

/** A gateway running in this process on a throw-away directory, and how to reach it. */
export interface DemoGateway {
  url: string;
  gatewayId: string;
  adminToken: string;
  directory: string;
  /** Stops the gateway and deletes its directory (database and key file). */
  close(): Promise<void>;
}

const POLICY = join('config', 'sharing-policy.json');

/**
 * Starts a real gateway on the embedded defaults: a SQLite file and a receipt key file in a
 * fresh temporary directory, the in-process bus, a random port on loopback, and an
 * administrator token made up for this run only.
 */
export async function launchDemoGateway(): Promise<DemoGateway> {
  const directory = await mkdtemp(join(tmpdir(), 'rdx-demo-'));
  const adminToken = `rdx_demo_${randomBytes(32).toString('base64url')}`;
  // Interrupted (Ctrl-C), stop at once and leave no files behind.
  const interrupted = (signal: NodeJS.Signals) => {
    rmSync(directory, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  const forget = () => process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
  try {
    const config = loadConfig({
      RDX_PORT: '0',
      RDX_HOST: '127.0.0.1',
      RDX_LOG_LEVEL: 'warn',
      RDX_DATABASE_URL: `sqlite:${join(directory, 'rdx.sqlite')}`,
      RDX_GATEWAY_KEY_FILE: join(directory, 'gateway-signing-key.json'),
      RDX_ADMIN_TOKEN: adminToken,
      RDX_SHARING_POLICY: sharingPolicyFile(),
    });
    const running = await startGateway(config);
    if (running.url === undefined) throw new Error('the gateway started without its HTTP API');
    return {
      url: running.url,
      gatewayId: config.gatewayId,
      adminToken,
      directory,
      async close() {
        forget();
        try {
          await running.close();
        } finally {
          await rm(directory, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    forget();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** The repository's sharing policy, found from where this file runs (src or dist), not from the cwd. */
function sharingPolicyFile(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, POLICY)) && existsSync(join(dir, 'package.json'))) return join(dir, POLICY);
    if (dirname(dir) === dir) throw new Error(`cannot find ${POLICY} above ${__dirname}`);
  }
}

/** Shows a secret by its first characters and length only. */
export function masked(secret: string): string {
  return `${secret.slice(0, 12)}... (${secret.length} characters, made up for this run, never printed)`;
}
