import { Command, CommanderError } from 'commander';
import { adapterCommand } from './commands/adapter.command';
import { auditCommand } from './commands/audit.command';
import { casesCommands } from './commands/cases.command';
import { keysCommand } from './commands/keys.command';
import { messagesCommands } from './commands/messages.command';
import { migrateCommand } from './commands/migrate.command';
import { participantsCommand } from './commands/participants.command';
import { reportCommand } from './commands/report.command';
import { subscriptionsCommand } from './commands/subscriptions.command';
import { tokensCommand } from './commands/tokens.command';
import { verifyCommand } from './commands/verify.command';
import { EXIT, report } from './cli-errors';

/** The `rdx` command line: every command, with `--help` on each. */
export function rdxProgram(): Command {
  const program = new Command('rdx')
    .description('RDX, the Regional Data Exchange, from a shell: keys, participants, messages, inbox, audit')
    .option('--gateway <url>', 'the gateway (else RDX_GATEWAY, else the profile)')
    .option('--admin-token <token>', 'an administrator token (else RDX_ADMIN_TOKEN, else the profile)')
    .option('--as <id>', 'act as this participant (else RDX_PARTICIPANT, else the profile)')
    .option('--key <file>', "the participant's private JWK file (else RDX_KEY_FILE, else the profile)")
    .option('--profile <name>', 'a profile of the config file (RDX_CONFIG, or ~/.config/rdx/config.json)')
    .showHelpAfterError('(rdx --help lists the commands; rdx COMMAND --help explains one)')
    .exitOverride();
  for (const add of [
    keysCommand,
    participantsCommand,
    tokensCommand,
    subscriptionsCommand,
    messagesCommands,
    casesCommands,
    reportCommand,
    verifyCommand,
    auditCommand,
    adapterCommand,
    migrateCommand,
  ]) {
    add(program);
  }
  // Every subcommand reports its usage errors through the same exit code (2).
  const exitOverride = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs the command line on `argv`, and answers the exit code. */
export async function runRdx(argv: readonly string[]): Promise<number> {
  const program = rdxProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end well; anything else commander refuses is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { lines, exitCode } = report(error);
    for (const line of lines) process.stderr.write(`rdx: ${line}\n`);
    return exitCode;
  }
}
