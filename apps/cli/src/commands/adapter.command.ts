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

  adapter
    .command('run')
    .description(
      "one agency's adapter: publish the national files dropped into --in, write what it receives into --out",
    )
    .requiredOption('--country <cc>', "the agency's country, whose formats the adapter speaks")
    .option(
      '--in <dir>',
      'the drop folder: each file is converted, published, and moved to done/ or rejected/',
    )
    .option('--out <dir>', 'where each message received is written as a national record, then acknowledged')
    .option('--poll-ms <ms>', 'how often to look for new files and messages', (v) => Number(v), 2000)
    .option(
      '--settle-ms <ms>',
      'how long a dropped file must be unchanged before it is taken',
      (v) => Number(v),
      2000,
    )
    .option('--once', 'take what is there, read the inbox to its end, and stop')
    .option('--tlp <level>', 'the TLP of what is published: clear, green or amber', 'amber')
    .option('--handling <codes>', 'handling codes for what is published, e.g. H1', '')
    .option(
      '--to-for <cc=ids>',
      "the agencies named for a nationality, e.g. ID=ID.KEMLU,ID.POLRI (repeatable): a minor's notification goes only to them",
      (value: string, previous: Record<string, string[]> = {}) => {
        const at = value.indexOf('=');
        if (at !== 2) throw new Error(`--to-for takes CC=ID[,ID...], not ${JSON.stringify(value)}`);
        return {
          ...previous,
          [value.slice(0, 2).toUpperCase()]: value
            .slice(3)
            .split(',')
            .filter((v) => v !== ''),
        };
      },
    )
    .action(
      async (
        options: {
          country: string;
          in?: string;
          out?: string;
          pollMs: number;
          settleMs: number;
          once?: boolean;
          tlp: string;
          handling: string;
          toFor?: Record<string, string[]>;
        },
        command: Command,
      ) => {
        const { runAdapter } = await import('@rdx/adapters');
        const { CliContext } = await import('../cli.context');
        const { usage } = await import('../cli-errors');
        if (options.in === undefined && options.out === undefined)
          throw usage('give --in DIR, --out DIR or both');
        if (!['clear', 'green', 'amber'].includes(options.tlp)) throw usage('--tlp is clear, green or amber');
        const policy = {
          tlp: options.tlp as 'clear' | 'green' | 'amber',
          handling: options.handling.split(/[\s,]+/).filter((c) => c !== ''),
          recipientsFor: options.toFor ?? {},
        };
        for (const [name, value] of [
          ['--poll-ms', options.pollMs],
          ['--settle-ms', options.settleMs],
        ] as const) {
          if (!Number.isInteger(value) || value < 0)
            throw usage(`${name} must be a whole number of milliseconds`);
        }
        const registry = await adapterRegistry();
        const inbound = options.in === undefined ? undefined : registry.inbound(options.country);
        const outbound = options.out === undefined ? undefined : registry.outbound(options.country);
        if (options.in !== undefined && inbound === undefined)
          throw usage(`no inbound adapter for ${options.country}`);
        if (options.out !== undefined && outbound === undefined)
          throw usage(`no outbound adapter for ${options.country}`);
        const client = await new CliContext(command).agency();
        const pino = (await import('pino')).default;
        const log = pino(
          { base: { participant: client.participant, country: options.country.toUpperCase() } },
          pino.destination(2),
        );
        const stop = new AbortController();
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
        await runAdapter({
          client,
          log,
          ...(inbound === undefined ? {} : { inbound: { adapter: inbound, dir: options.in!, policy } }),
          ...(outbound === undefined ? {} : { outbound: { adapter: outbound, dir: options.out! } }),
          once: options.once === true,
          pollMs: options.pollMs,
          settleMs: options.settleMs,
          signal: stop.signal,
        });
      },
    );
}
