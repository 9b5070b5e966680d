import type { Purpose, Subscription } from '@rdx/client';
import { Command, Option } from 'commander';
import { CliContext, listOption } from '../cli.context';

const line = (s: Subscription) =>
  [
    s.id,
    s.status.padEnd(8),
    (s.delivery.mode === 'webhook' ? `webhook ${s.delivery.url}` : 'pull').padEnd(10),
    s.types.join(','),
    s.filter.sources === undefined ? '' : `from ${s.filter.sources.join(',')}`,
  ]
    .join('  ')
    .trimEnd();

/** `rdx subscriptions ...`: what the agency receives (participant). */
export function subscriptionsCommand(program: Command): void {
  const subscriptions = program.command('subscriptions').description('what this agency receives, and how');

  subscriptions
    .command('add')
    .description('subscribe to message types, by pull or by webhook')
    .requiredOption('--type <type...>', 'message types (repeatable, or comma-separated)', listOption)
    .option('--webhook <url>', 'deliver to this https URL (default: pull)')
    .option('--source <id-or-country...>', 'only from these participants or countries', listOption)
    .addOption(
      new Option('--purpose <purpose>', 'what the messages are for').choices([
        'consular',
        'protection',
        'repatriation',
        'law-enforcement',
        'statistics',
      ]),
    )
    .option('--json', 'the answer as JSON')
    .action(
      async (
        options: { type: string[]; webhook?: string; source?: string[]; purpose?: Purpose; json?: boolean },
        command: Command,
      ) => {
        const context = new CliContext(command);
        const made = await (
          await context.agency()
        ).subscribe({
          types: options.type,
          ...(options.source === undefined ? {} : { filter: { sources: options.source } }),
          ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
          delivery:
            options.webhook === undefined ? { mode: 'pull' } : { mode: 'webhook', url: options.webhook },
        });
        if (options.json) return context.io.out(JSON.stringify(made));
        context.io.out(line(made));
        if (made.secret !== undefined) {
          context.io.err('the webhook secret, shown only now (verify each delivery with it):');
          context.io.out(made.secret);
        }
      },
    );

  subscriptions
    .command('list')
    .description("this agency's subscriptions")
    .option('--json', 'one JSON object per line')
    .action(async (options: { json?: boolean }, command: Command) => {
      const context = new CliContext(command);
      for (const s of await (await context.agency()).subscriptions()) {
        context.io.out(options.json ? JSON.stringify(s) : line(s));
      }
    });

  subscriptions
    .command('delete')
    .description('end a subscription')
    .argument('<id>', 'the subscription id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = new CliContext(command);
      await (await context.agency()).unsubscribe(id);
      context.io.out(`deleted ${id}`);
    });

  subscriptions
    .command('rotate-secret')
    .description("a webhook subscription's new secret (the old one signs too during the overlap)")
    .argument('<id>', 'the subscription id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = new CliContext(command);
      const rotated = await (await context.agency()).rotateSecret(id);
      context.io.err('the new webhook secret, shown only now:');
      context.io.out(rotated.secret ?? '');
    });
}
