import { Command } from 'commander';
import type { AdapterRegistry } from '@rdx/adapters';

/**
 * The adapters' registry, in a Nest application context of its own: loaded only by the adapter
 * commands, and silent (stdout carries their output alone).
 */
async function adapterRegistry(): Promise<AdapterRegistry> {
  const { NestFactory } = await import('@nestjs/core');
  const { AdaptersModule, AdapterRegistry } = await import('@rdx/adapters');
  const context = await NestFactory.createApplicationContext(AdaptersModule, { logger: false });
  return context.get(AdapterRegistry);
}

/** `rdx adapter ...`: national formats to messages and back (FORMATS.md; exit 0, 1 or 2 as it says). */
export function adapterCommand(program: Command): void {
  const adapter = program
    .command('adapter')
    .description("convert between a country's national formats and RDX messages");

  adapter
    .command('convert')
    .description(
      'a national file to messages: NDJSON of {type, id, data} on stdout, one line per problem on stderr',
    )
    .requiredOption('--country <cc>', 'the country whose format the file is in, e.g. KH')
    .option(
      '--mapping <file>',
      'a mapping file to use instead of config/adapters/<cc>.yaml (its country must be CC)',
    )
    .argument('<file>', 'the national file (CSV, JSON or XML)')
    .action(async (file: string, options: { country: string; mapping?: string }) => {
      const { runConvert, MappingError } = await import('@rdx/adapters');
      const registry = await adapterRegistry();
      let inbound;
      try {
        inbound =
          options.mapping === undefined
            ? registry.inbound(options.country)
            : registry.fromMapping(options.mapping, options.country);
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      if (inbound === undefined) {
        process.stderr.write(
          `no inbound adapter for ${JSON.stringify(options.country)}: ${registry.countries().join(' ')}\n`,
        );
        process.exitCode = 2;
        return;
      }
      process.exitCode = await runConvert(inbound, file, process.stdout, process.stderr);
    });

  adapter
    .command('render')
    .description(
      "one received message (as convert or `rdx inbox --json` prints it) to the country's national record",
    )
    .requiredOption('--country <cc>', 'the country whose record to write, e.g. ID')
    .argument('<message-file>', 'a JSON file holding one message')
    .action(async (file: string, options: { country: string }) => {
      const { runRender } = await import('@rdx/adapters');
      const registry = await adapterRegistry();
      process.exitCode = await runRender(
        registry.outbound(options.country),
        options.country.toUpperCase(),
        file,
        process.stdout,
        process.stderr,
      );
    });
}
