import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { refused } from '../cli-errors';
import { CliContext } from '../cli.context';

/** `rdx audit verify`: reads the whole audit record and checks its hash chain. */
export function auditCommand(program: Command): void {
  program
    .command('audit')
    .description('the hash-chained audit record (administrator or auditor)')
    .command('verify')
    .description('read the whole audit record page by page and check its hash chain (exit 1 where it breaks)')
    .action(async (_options: unknown, command: Command) => {
      const context = new CliContext(command);
      const admin = context.admin();
      // A bar only for a person watching: scripts and logs get the verdict alone.
      const bar = process.stderr.isTTY
        ? new SingleBar({
            format: 'checking the audit record [{bar}] {value}/{total} items',
            stream: process.stderr,
          })
        : undefined;
      bar?.start(await admin.auditLength(), 0);
      const verdict = await admin.verifyAudit((checked) => bar?.update(checked)).finally(() => bar?.stop());
      if (!verdict.ok) {
        throw refused(`the audit chain breaks at seq ${verdict.brokenAt}: ${verdict.problem}`);
      }
      context.io.out(`the audit chain holds: ${verdict.items} items, every hash recomputed and linked`);
    });
}
