import {
  KeyDirectory,
  KeySource,
  OriginVerifier,
  StaticKeys,
  GatewayTransport,
  type Jwks,
} from '@rdx/client';
import { Command } from 'commander';
import { decodeProtectedHeader } from 'jose';
import { usage } from '../cli-errors';
import { CliContext, listOption, readJsonFile, readJwsFile } from '../cli.context';

/** `rdx verify FILE`: checks a message's or a receipt's signature, offline with --jwks. */
export function verifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      "check a message's origin or a receipt's signature (exit 0 valid, 1 invalid, with the reason)",
    )
    .argument('<file>', 'a file holding the compact JWS of a message or a receipt')
    .option(
      '--jwks <file...>',
      "check against these JWKS files (the sender's, the gateway's) instead of the gateway's registry",
      listOption,
    )
    .action(async (file: string, options: { jwks?: string[] }, command: Command) => {
      const context = new CliContext(command);
      const jws = readJwsFile(file);
      let typ: unknown;
      try {
        typ = decodeProtectedHeader(jws).typ;
      } catch {
        throw usage(`${file} does not hold a compact JWS with a JSON header`);
      }
      const keys: KeySource =
        options.jwks === undefined
          ? new KeyDirectory(new GatewayTransport(context.settings.gateway()))
          : new StaticKeys(options.jwks.map((path) => readJsonFile(path, 'the JWKS file') as Jwks));
      const verifier = new OriginVerifier(keys, context.settings.gatewayId());
      if (typ === 'rdx+jws') {
        const message = await verifier.message(jws);
        context.io.out(
          `valid: message ${message.envelope.id} (${message.envelope.type}) from ${message.signedBy}, signed with key ${message.kid}`,
        );
      } else if (typ === 'rdx-receipt+jws') {
        const receipt = await verifier.receipt(jws);
        context.io.out(
          `valid: receipt of ${receipt.messageId} from ${receipt.source}, accepted at ${receipt.receivedAt} by ${receipt.iss}`,
        );
      } else {
        throw usage(
          `${file} holds a JWS of typ ${JSON.stringify(typ ?? null)}: rdx verify checks messages (rdx+jws) and receipts (rdx-receipt+jws)`,
        );
      }
    });
}
