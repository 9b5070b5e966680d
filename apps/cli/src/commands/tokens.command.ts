import type { AdminRole } from '@rdx/client';
import { Command, Option } from 'commander';
import { CliContext } from '../cli.context';

/** `rdx tokens issue`: administrator tokens, for country administrators and auditors (administrator). */
export function tokensCommand(program: Command): void {
  program
    .command('tokens')
    .description('administrator tokens')
    .command('issue')
    .description('issue a token (shown once, on stdout: keep it safe)')
    .addOption(
      new Option('--role <role>', 'what it may do')
        .choices(['admin', 'country-admin', 'auditor'])
        .makeOptionMandatory(),
    )
    .option('--country <cc>', 'the country of a country-admin, e.g. ID')
    .option('--expires-at <time>', 'RFC 3339 (default: 90 days)')
    .option('--json', 'the whole answer as JSON')
    .action(
      async (
        options: { role: AdminRole; country?: string; expiresAt?: string; json?: boolean },
        command: Command,
      ) => {
        const context = new CliContext(command);
        const issued = await context.admin().issueToken({
          role: options.role,
          ...(options.country === undefined ? {} : { country: options.country.toUpperCase() }),
          ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
        });
        if (options.json) return context.io.out(JSON.stringify(issued));
        context.io.err(
          `issued a ${issued.role} token${issued.country === undefined ? '' : ` for ${issued.country}`}, expiring ${issued.expiresAt}; it is shown only now:`,
        );
        context.io.out(issued.token);
      },
    );
}
