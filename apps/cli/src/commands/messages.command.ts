import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AckStatus, DeliveryStatus, Received, Tlp } from '@rdx/client';
import { Command, Option } from 'commander';
import { EXIT, usage } from '../cli-errors';
import { CliContext, listOption, readJsonFile } from '../cli.context';

const codes = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(/[\s,]+/).filter((c) => c !== ''),
];

/** An RFC 3339 time given on the command line, or a usage error naming the option. */
function dateOption(value: string, option: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime()))
    throw usage(`${option} must be an RFC 3339 time, such as 2026-12-04T17:00:00+07:00`);
  return at;
}

/** The cursor `rdx inbox --out DIR` keeps, so the next run goes on where this one ended. */
const CURSOR_FILE = '.cursor';

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.partial`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

const summary = (item: Received) =>
  [
    String(item.seq).padStart(6),
    item.messageId,
    item.source.padEnd(12),
    item.type,
    item.verified ? 'verified' : `NOT VERIFIED: ${item.failure}`,
  ].join('  ');

/** `rdx send`, `rdx inbox`, `rdx ack` and `rdx deliveries`: the agency's messages (participant). */
export function messagesCommands(program: Command): void {
  program
    .command('send')
    .description(
      'check DATA_FILE against the schema of --type, sign it and publish it; print the verified receipt',
    )
    .argument('<data-file>', "a JSON file holding the message's data")
    .requiredOption('--type <type>', 'the message type, e.g. org.asean.rdx.trafficking-incident-alert.v1')
    .option('--to <id...>', 'named recipients (repeatable, or comma-separated)', listOption)
    .addOption(
      new Option('--tlp <level>', 'Traffic Light Protocol')
        .choices(['clear', 'green', 'amber', 'amber+strict', 'red'])
        .default('amber'),
    )
    .option('--handling <codes...>', 'handling codes, e.g. H1 H2', codes)
    .option('--subject <ref>', "the sender's own case reference")
    .option('--in-reply-to <id>', 'the message this one answers (it reaches its sender)')
    .option('--supersedes <id>', 'an earlier message of yours, of the same type, that this one updates')
    .option('--expires <time>', 'RFC 3339: not delivered after this to anyone who has not had it')
    .option('--respond-by <time>', 'RFC 3339, on a request: when each recipient should reply')
    .option('--json', 'the answer and the receipt as JSON')
    .action(
      async (
        file: string,
        options: {
          type: string;
          to?: string[];
          tlp: Tlp;
          handling?: string[];
          subject?: string;
          inReplyTo?: string;
          supersedes?: string;
          expires?: string;
          respondBy?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const context = new CliContext(command);
        const data = readJsonFile(file, 'the data file');
        if (typeof data !== 'object' || data === null || Array.isArray(data)) {
          throw usage(`the data file ${file} must hold a JSON object`);
        }
        const sent = await (
          await context.agency()
        ).publish(options.type, data as Record<string, unknown>, {
          tlp: options.tlp,
          ...(options.to === undefined ? {} : { to: options.to }),
          ...(options.handling === undefined ? {} : { handling: options.handling }),
          ...(options.subject === undefined ? {} : { subject: options.subject }),
          ...(options.inReplyTo === undefined ? {} : { inReplyTo: options.inReplyTo }),
          ...(options.supersedes === undefined ? {} : { supersedes: options.supersedes }),
          ...(options.expires === undefined ? {} : { expires: dateOption(options.expires, '--expires') }),
          ...(options.respondBy === undefined
            ? {}
            : { respondBy: dateOption(options.respondBy, '--respond-by') }),
        });
        if (options.json) {
          return context.io.out(
            JSON.stringify({ messageId: sent.messageId, status: sent.status, receipt: sent.receipt }),
          );
        }
        const { receipt } = sent;
        context.io.out(sent.messageId);
        context.io.err(
          `${sent.status === 202 ? 'accepted' : 'already accepted'} at ${receipt.receivedAt}; receipt verified (signed by ${receipt.iss}, digest ${receipt.digest})`,
        );
        context.io.err(`recipients: ${receipt.recipients.join(' ') || 'none'}`);
        for (const w of receipt.withheld) context.io.err(`withheld from ${w.participant}: ${w.reason}`);
      },
    );

  program
    .command('inbox')
    .description("read this agency's inbox, each item's origin verified (exit 1 if any is not)")
    .option('--after <cursor>', 'start after this cursor (with --out: after the last run)')
    .option('--limit <n>', 'items per page, 1-500', (v) => Number(v), 100)
    .option('--follow', 'keep waiting for new messages (Ctrl-C ends)')
    .option('--json', 'one JSON object per line: messageId, source, type, cursor, verified, data, ...')
    .option('--out <dir>', 'write each item to DIR/<seq>-<messageId>.json and remember the cursor there')
    .action(
      async (
        options: { after?: string; limit: number; follow?: boolean; json?: boolean; out?: string },
        command: Command,
      ) => {
        const context = new CliContext(command);
        if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 500) {
          throw usage('--limit must be a whole number from 1 to 500');
        }
        let after = options.after;
        if (options.out !== undefined) {
          mkdirSync(options.out, { recursive: true, mode: 0o700 });
          if (after === undefined) {
            try {
              after = readFileSync(join(options.out, CURSOR_FILE), 'utf8').trim() || undefined;
            } catch {
              // The first run into this folder: from the start.
            }
          }
        }
        const client = await context.agency();
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort());
        let unverified = 0;
        for await (const item of client.inbox({
          ...(after === undefined ? {} : { after }),
          limit: options.limit,
          follow: options.follow === true,
          signal: stop.signal,
        })) {
          if (!item.verified) unverified++;
          // What the client made of the item, without the objects it keeps for code.
          const { item: wire, envelope: _envelope, ...record } = item;
          if (options.out !== undefined) {
            writeAtomically(
              join(options.out, `${String(item.seq).padStart(10, '0')}-${item.messageId}.json`),
              `${JSON.stringify({ ...record, message: wire.message }, null, 2)}\n`,
            );
            writeAtomically(join(options.out, CURSOR_FILE), `${item.cursor}\n`);
          }
          context.io.out(options.json ? JSON.stringify(record) : summary(item));
        }
        if (unverified > 0) {
          context.io.err(`${unverified} item(s) could not be verified: do not trust them`);
          process.exitCode = EXIT.refused;
        }
      },
    );

  program
    .command('ack')
    .description('acknowledge a message received, signed')
    .argument('<message-id>', 'the message')
    .addOption(
      new Option('--status <status>', 'how far it got')
        .choices(['received', 'accepted', 'rejected', 'actioned'])
        .default('received'),
    )
    .option('--reason <text>', 'why (for rejected, say)')
    .action(async (messageId: string, options: { status: AckStatus; reason?: string }, command: Command) => {
      const context = new CliContext(command);
      await (await context.agency()).ack(messageId, options.status, options.reason);
      context.io.out(`${messageId}: ${options.status}`);
    });

  const deliveries = program.command('deliveries').description("this agency's webhook deliveries");
  deliveries
    .command('list')
    .description('webhook deliveries, newest first')
    .addOption(
      new Option('--status <status>', 'only those in this state').choices(['pending', 'delivered', 'failed']),
    )
    .option('--json', 'one JSON object per line')
    .action(async (options: { status?: DeliveryStatus; json?: boolean }, command: Command) => {
      const context = new CliContext(command);
      const items = await (
        await context.agency()
      ).deliveries(options.status === undefined ? {} : { status: options.status });
      for (const d of items) {
        context.io.out(
          options.json
            ? JSON.stringify(d)
            : [
                d.id,
                d.status.padEnd(9),
                `seq ${d.seq}`,
                d.messageId,
                `${d.attempts} attempt(s)`,
                d.lastError ?? '',
              ]
                .join('  ')
                .trimEnd(),
        );
      }
    });
  deliveries
    .command('replay')
    .description('send a delivery again (also one that was delivered)')
    .argument('<id>', 'the delivery id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = new CliContext(command);
      const { replayed } = await (await context.agency()).replay(id);
      context.io.out(`replayed ${replayed}`);
    });
}
