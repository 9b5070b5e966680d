import { writeFileSync } from 'node:fs';
import { PRIVATE_JWK_MEMBERS } from '@rdx/client';
import { Command, Option } from 'commander';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, JWK } from 'jose';
import { refused, usage } from '../cli-errors';
import { CliContext, readJsonFile } from '../cli.context';

/** `rdx keys ...`: make key pairs, and register, retire and revoke public keys. */
export function keysCommand(program: Command): void {
  const keys = program.command('keys').description('make key pairs; register, retire and revoke public keys');

  keys
    .command('generate')
    .description('make a key pair: the private JWK into FILE (mode 0600), the public JWK on stdout')
    .requiredOption('--out <file>', 'where to write the private JWK (never overwritten)')
    .addOption(
      new Option('--alg <alg>', 'the signing algorithm').choices(['ES256', 'EdDSA']).default('ES256'),
    )
    .option('--kid <kid>', 'the key id (default: the RFC 7638 thumbprint)')
    .action(async (options: { out: string; alg: 'ES256' | 'EdDSA'; kid?: string }, command: Command) => {
      const { publicKey, privateKey } = await generateKeyPair(options.alg, {
        extractable: true,
        ...(options.alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
      });
      const publicJwk = await exportJWK(publicKey);
      const kid = options.kid ?? (await calculateJwkThumbprint(publicJwk));
      const stamp = { kid, alg: options.alg, use: 'sig' };
      try {
        writeFileSync(
          options.out,
          `${JSON.stringify({ ...(await exportJWK(privateKey)), ...stamp }, null, 2)}\n`,
          {
            mode: 0o600,
            flag: 'wx',
          },
        );
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw refused(`${options.out} exists: a private key is never overwritten`);
        throw usage(`cannot write ${options.out}: ${code ?? (error as Error).message}`);
      }
      new CliContext(command).io.out(JSON.stringify({ ...publicJwk, ...stamp }, null, 2));
    });

  keys
    .command('public')
    .description('print the public half of a private JWK file')
    .argument('<file>', 'a private JWK')
    .action((file: string, _options: unknown, command: Command) => {
      const jwk = readJsonFile(file, 'the key file') as Record<string, unknown>;
      const publicJwk = Object.fromEntries(
        Object.entries(jwk).filter(
          ([member]) => !(PRIVATE_JWK_MEMBERS as readonly string[]).includes(member),
        ),
      );
      new CliContext(command).io.out(JSON.stringify(publicJwk, null, 2));
    });

  keys
    .command('register')
    .description("register one of a participant's public keys (administrator)")
    .argument('<id>', 'the participant, e.g. KH.CNP')
    .requiredOption('--jwk <file>', 'a file holding the PUBLIC JWK (a private one is refused before sending)')
    .option('--not-before <time>', 'RFC 3339 time from which the key signs')
    .option('--not-after <time>', 'RFC 3339 time after which it signs nothing')
    .action(
      async (
        id: string,
        options: { jwk: string; notBefore?: string; notAfter?: string },
        command: Command,
      ) => {
        const context = new CliContext(command);
        const jwk = readJsonFile(options.jwk, 'the JWK file');
        if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
          throw usage(`${options.jwk} holds no JWK object`);
        const key = await context.admin().registerKey(id, jwk as JWK as Record<string, unknown>, {
          ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
          ...(options.notAfter === undefined ? {} : { notAfter: options.notAfter }),
        });
        context.io.out(`registered key ${key.kid} of ${id}: ${key.status}`);
      },
    );

  keys
    .command('retire')
    .description('retire a key (rotation): it signs nothing new, and still verifies what it signed')
    .argument('<id>', 'the participant')
    .argument('<kid>', 'the key id')
    .action(async (id: string, kid: string, _options: unknown, command: Command) => {
      const context = new CliContext(command);
      const key = await context.admin().retireKey(id, kid);
      context.io.out(`key ${key.kid} of ${id}: ${key.status}`);
    });

  keys
    .command('revoke')
    .description('revoke a key (compromise): from now on nothing signed with it is accepted')
    .argument('<id>', 'the participant')
    .argument('<kid>', 'the key id')
    .requiredOption('--reason <text>', 'why, for the audit record')
    .action(async (id: string, kid: string, options: { reason: string }, command: Command) => {
      const context = new CliContext(command);
      const key = await context.admin().revokeKey(id, kid, options.reason);
      context.io.out(`key ${key.kid} of ${id}: ${key.status}`);
    });
}
