import type { Participant, ParticipantKind } from '@rdx/client';
import { Command, Option } from 'commander';
import { usage } from '../cli-errors';
import { CliContext } from '../cli.context';

const KINDS: ParticipantKind[] = [
  'law-enforcement',
  'foreign-affairs',
  'social-welfare',
  'immigration',
  'labour',
  'coordination',
];

/** `--contact email=desk@example.gov --contact phone=+855...` into an object. */
function contactOption(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw usage(`--contact takes NAME=VALUE, not ${JSON.stringify(value)}`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

const line = (p: Participant) =>
  [
    p.id.padEnd(16),
    p.kind.padEnd(16),
    p.status.padEnd(10),
    `${p.keys.filter((k) => k.status === 'active').length} active key(s)`.padEnd(18),
    p.name,
  ].join(' ');

/** `rdx participants ...`: register, list, suspend and reinstate participants (administrator). */
export function participantsCommand(program: Command): void {
  const participants = program
    .command('participants')
    .description("manage each country's participants (administrator)");

  participants
    .command('add')
    .description('register a participant')
    .argument('<id>', 'CC.AGENCY, e.g. KH.CNP')
    .requiredOption('--name <name>', "the agency's name")
    .addOption(new Option('--kind <kind>', 'what kind of agency').choices(KINDS).makeOptionMandatory())
    .option('--contact <name=value>', 'a contact detail (repeatable)', contactOption)
    .action(
      async (
        id: string,
        options: { name: string; kind: ParticipantKind; contact?: Record<string, string> },
        command: Command,
      ) => {
        const context = new CliContext(command);
        const made = await context.admin().registerParticipant({
          id,
          name: options.name,
          kind: options.kind,
          ...(options.contact === undefined ? {} : { contact: options.contact }),
        });
        context.io.out(`registered ${made.id} (${made.kind}): ${made.status}`);
      },
    );

  participants
    .command('list')
    .description('list the participants (a country administrator sees its own country)')
    .option('--country <cc>', 'only this country')
    .option('--json', 'one JSON object per line')
    .action(async (options: { country?: string; json?: boolean }, command: Command) => {
      const context = new CliContext(command);
      const all = await context.admin().participants();
      const shown =
        options.country === undefined ? all : all.filter((p) => p.country === options.country!.toUpperCase());
      for (const p of shown) context.io.out(options.json ? JSON.stringify(p) : line(p));
    });

  participants
    .command('show')
    .description('a participant and its keys')
    .argument('<id>', 'the participant')
    .option('--json', 'as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const context = new CliContext(command);
      const p = await context.admin().participant(id);
      if (options.json) return context.io.out(JSON.stringify(p));
      context.io.out(line(p));
      for (const k of p.keys) context.io.out(`  ${k.kid}  ${k.alg.padEnd(6)} ${k.status}`);
    });

  for (const [name, status, what] of [
    ['suspend', 'suspended', 'suspend a participant: nothing it signs is accepted'],
    ['activate', 'active', 'reinstate a suspended participant'],
  ] as const) {
    participants
      .command(name)
      .description(what)
      .argument('<id>', 'the participant')
      .action(async (id: string, _options: unknown, command: Command) => {
        const context = new CliContext(command);
        const p = await context.admin().setStatus(id, status);
        context.io.out(`${p.id}: ${p.status}`);
      });
  }
}
