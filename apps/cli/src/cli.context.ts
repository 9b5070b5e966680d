import { readFileSync } from 'node:fs';
import { AgencySigner, RdxAdminClient, RdxClient } from '@rdx/client';
import type { Command } from 'commander';
import type { JWK } from 'jose';
import { refused, usage } from './cli-errors';
import { ConnectionFlags, Settings } from './settings';

/** Reads and parses a JSON file the user named; unreadable or unparsable input is a usage error (2). */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usage(
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw usage(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}

/** Reads a compact JWS from a file (one line, surrounding whitespace ignored). */
export function readJwsFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw usage(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(text)) {
    throw usage(`${path} does not hold a compact JWS (three base64url parts joined by dots)`);
  }
  return text;
}

/** Where a command writes: results on stdout, everything else on stderr. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** What an action needs: its settings, the clients they make, and where to write. */
export class CliContext {
  readonly settings: Settings;

  constructor(
    command: Command,
    readonly io: Output = processOutput,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.settings = new Settings(command.optsWithGlobals<ConnectionFlags>(), env);
  }

  /** The agency's client: `--as` and the private key of `--key`. */
  async agency(): Promise<RdxClient> {
    const participant = this.settings.participant();
    const jwk = readJsonFile(this.settings.keyFile(), 'the key file') as JWK;
    if (typeof jwk !== 'object' || jwk === null || typeof jwk.d !== 'string') {
      throw usage(
        `the key file ${this.settings.keyFile()} holds no private JWK (make one with: rdx keys generate)`,
      );
    }
    if (typeof jwk.kid !== 'string') throw usage(`the private JWK in ${this.settings.keyFile()} has no kid`);
    let signer: AgencySigner;
    try {
      signer = await AgencySigner.fromPrivateJwk(participant, jwk as JWK & { kid: string });
    } catch (error) {
      throw usage(
        `the key file ${this.settings.keyFile()} holds no usable ES256 or EdDSA key: ${(error as Error).message}`,
      );
    }
    return RdxClient.create({
      gateway: this.settings.gateway(),
      participant,
      signer,
      gatewayId: this.settings.gatewayId(),
    });
  }

  admin(): RdxAdminClient {
    return new RdxAdminClient({ gateway: this.settings.gateway(), token: this.settings.adminToken() });
  }
}

/** Parses a list option given as repeated flags or comma-separated, e.g. `--to ID.KEMLU,ID.POLRI`. */
export function listOption(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  ];
}

/** Fails with exit code 1 (a check failed) unless `condition`. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw refused(message);
}
