import type { ThreadEntry, ThreadView } from '@rdx/client';
import { Command } from 'commander';
import { usage } from '../cli-errors';
import { CliContext } from '../cli.context';

/** The last part of a catalogue type: `org.asean.rdx.withdrawal.v1` reads `withdrawal.v1`. */
const shortType = (type: string) => type.replace(/^org\.asean\.rdx\./, '');

/** `2026-12-01T08:00:00.000Z` reads `2026-12-01 08:00:00Z`. */
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** What links a message to the one before it, in words. */
function link(entry: ThreadEntry): string | undefined {
  if (entry.withdraws !== undefined) return `withdraws ${entry.withdraws}`;
  if (entry.supersedes !== undefined) return `updates ${entry.supersedes}`;
  if (entry.inReplyTo !== undefined) return `answers ${entry.inReplyTo}`;
  return undefined;
}

/** A thread as a timeline: one block per message, oldest first. */
export function timeline(view: ThreadView): string[] {
  const lines = [`thread ${view.threadId}: ${view.messages.length} message(s)`];
  for (const m of view.messages) {
    lines.push('');
    lines.push(`${when(m.receivedAt)}  ${m.source}  ${shortType(m.type)}  [${m.status}]`);
    lines.push(`  ${m.messageId}${link(m) === undefined ? '' : `  ${link(m)}`}`);
    if (m.supersededBy !== undefined) lines.push(`  superseded by ${m.supersededBy}`);
    if (m.withdrawnBy !== undefined) lines.push(`  withdrawn by ${m.withdrawnBy}`);
    if (m.expires !== undefined) lines.push(`  expires ${when(m.expires)}`);
    if (m.respondBy !== undefined) lines.push(`  replies due ${when(m.respondBy)}`);
    for (const r of m.recipients) {
      const state = [
        r.delivery,
        ...(r.ack === undefined ? [] : [`ack ${r.ack.status} ${when(r.ack.at)}`]),
        ...(r.repliedAt === undefined ? [] : [`replied ${when(r.repliedAt)}`]),
        ...(r.overdue ? ['OVERDUE'] : []),
      ];
      lines.push(`  -> ${r.participant.padEnd(12)} ${state.join(', ')}`);
    }
  }
  return lines;
}

/** `rdx thread` and `rdx withdraw`: a case's conversation (participant). */
export function casesCommands(program: Command): void {
  program
    .command('thread')
    .description(
      "print a case's conversation as a timeline: the messages linked to ID that you sent or received",
    )
    .argument('<message-id>', 'any message of the conversation')
    .option('--json', 'the thread as the gateway answers it')
    .action(async (messageId: string, options: { json?: boolean }, command: Command) => {
      const context = new CliContext(command);
      const view = await (await context.agency()).thread(messageId);
      if (options.json) return context.io.out(JSON.stringify(view));
      for (const line of timeline(view)) context.io.out(line);
    });

  program
    .command('withdraw')
    .description(
      'withdraw a message you sent: its recipients receive the withdrawal, undelivered copies are cancelled',
    )
    .argument('<message-id>', 'the message to withdraw')
    .requiredOption('--reason <text>', 'why, for the recipients who acted on it')
    .option('--to <id...>', 'also name these participants')
    .action(async (messageId: string, options: { reason: string; to?: string[] }, command: Command) => {
      const context = new CliContext(command);
      if (options.reason.trim() === '') throw usage('--reason must say why');
      const sent = await (
        await context.agency()
      ).withdraw(messageId, options.reason, options.to === undefined ? {} : { to: options.to });
      context.io.out(sent.messageId);
      context.io.err(`withdrawal accepted; recipients: ${sent.receipt.recipients.join(' ') || 'none'}`);
    });
}
