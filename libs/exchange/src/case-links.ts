import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Executor, MessageLinks, ReferencedMessage, ThreadsRepository } from '@rdx/persistence';
import { isIsoDate } from '@rdx/schema';
import { Envelope } from './envelope';
import { SharingPolicy } from './sharing-policy';

export const WITHDRAWAL_TYPE = 'org.asean.rdx.withdrawal.v1';
export const DEADLINE_MISSED_TYPE = 'org.asean.rdx.deadline-missed.v1';
/** Types that reach only the participants they are addressed to, never subscribers. */
export const ADDRESSED_ONLY = new Set([WITHDRAWAL_TYPE, DEADLINE_MISSED_TYPE]);

/** A message's place in its conversation, decided when it is published. */
export interface CaseLinks {
  links: MessageLinks;
  /** Who it reaches besides its named recipients and subscribers: the sender of what it answers, the recipients of what it updates or withdraws. */
  implied: string[];
  /** When each recipient's reply is due, if it is a request with a deadline. */
  dueAt?: string;
  /** The messages it supersedes or withdraws, with the month each was accepted in: they no longer count. */
  replaces: { id: string; month: string }[];
}

/**
 * The rules of a case's conversation at publishing (docs/protocol-notes.md, "Cases"): a reply
 * (`inreplyto`) answers a message its sender could see; an update (`supersedes`) and a withdrawal
 * concern the sender's own message, still current; `expires` and `respondby` lie ahead, and only a
 * request has a deadline. Undefined for a message that links to nothing and is timed by nothing:
 * it is a conversation of its own, and costs no read.
 */
@Injectable()
export class CaseLinker {
  constructor(
    @Inject(ThreadsRepository) private readonly threads: ThreadsRepository,
    @Inject(SharingPolicy) private readonly policy: SharingPolicy,
  ) {}

  async link(ex: Executor, envelope: Envelope, now: Date): Promise<CaseLinks | undefined> {
    const withdraws = envelope.type === WITHDRAWAL_TYPE ? (envelope.data.messageId as string) : undefined;
    const dueAt = this.deadline(envelope, now);
    if (
      envelope.inreplyto === undefined &&
      envelope.supersedes === undefined &&
      envelope.expires === undefined &&
      withdraws === undefined &&
      dueAt === undefined
    )
      return undefined;
    if (envelope.expires !== undefined && Date.parse(envelope.expires) <= now.getTime())
      throw fieldError('expires', `${envelope.expires} has already passed`);

    const implied = new Set<string>();
    const replaces: { id: string; month: string }[] = [];
    let threadId = envelope.id;
    if (envelope.inreplyto !== undefined) {
      const original = await this.threads.referenced(ex, envelope.inreplyto);
      if (original === undefined || !sawIt(original, envelope.source))
        throw new RdxError(
          'invalid-reference',
          `inreplyto: ${envelope.inreplyto} is not a message you sent or received`,
        );
      threadId = original.threadId;
      implied.add(original.source);
    }
    if (envelope.supersedes !== undefined) {
      const original = await this.own(ex, envelope, envelope.supersedes, 'supersedes');
      if (original.type !== envelope.type)
        throw new RdxError(
          'invalid-reference',
          `supersedes: ${original.id} is a ${original.type}; an update has the type of what it updates`,
        );
      threadId = original.threadId;
      original.recipients.forEach((id) => implied.add(id));
      replaces.push({ id: original.id, month: original.receivedAt.slice(0, 7) });
    }
    if (withdraws !== undefined) {
      const original = await this.own(ex, envelope, withdraws, 'data.messageId');
      if (original.type === WITHDRAWAL_TYPE)
        throw new RdxError('invalid-reference', `data.messageId: ${original.id} is itself a withdrawal`);
      threadId = original.threadId;
      original.recipients.forEach((id) => implied.add(id));
      replaces.push({ id: original.id, month: original.receivedAt.slice(0, 7) });
    }
    implied.delete(envelope.source);
    return {
      links: {
        messageId: envelope.id,
        threadId,
        inReplyTo: envelope.inreplyto ?? null,
        supersedes: envelope.supersedes ?? null,
        withdraws: withdraws ?? null,
        expiresAt: envelope.expires === undefined ? null : new Date(envelope.expires).toISOString(),
        respondBy: dueAt ?? null,
        supersededBy: null,
        withdrawnBy: null,
      },
      implied: [...implied],
      dueAt,
      replaces,
    };
  }

  /** A message of the sender's own, neither withdrawn nor superseded. */
  private async own(ex: Executor, envelope: Envelope, id: string, path: string): Promise<ReferencedMessage> {
    const original = await this.threads.referenced(ex, id);
    if (original === undefined || original.source !== envelope.source)
      throw new RdxError('invalid-reference', `${path}: ${id} is not a message you sent`);
    if (original.withdrawnBy !== null)
      throw new RdxError('invalid-reference', `${path}: ${id} was withdrawn by ${original.withdrawnBy}`);
    if (original.supersededBy !== null)
      throw new RdxError(
        'invalid-reference',
        `${path}: ${id} was superseded by ${original.supersededBy}: refer to the latest version`,
      );
    return original;
  }

  /**
   * When a request's replies are due: its `respondby`, else the end (UTC) of the day its data's
   * `respondBy` date names. Only a request may carry `respondby`; one that lies behind is refused.
   */
  private deadline(envelope: Envelope, now: Date): string | undefined {
    const request = this.policy.isRequest(envelope.type);
    if (envelope.respondby !== undefined) {
      if (!request)
        throw fieldError(
          'respondby',
          `${envelope.type} is not a request: only a request has a reply deadline`,
        );
      if (Date.parse(envelope.respondby) <= now.getTime())
        throw fieldError('respondby', `${envelope.respondby} has already passed`);
      return new Date(envelope.respondby).toISOString();
    }
    const date = envelope.data.respondBy;
    if (!request || !isIsoDate(date)) return undefined;
    return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();
  }
}

const sawIt = (original: ReferencedMessage, participant: string) =>
  original.source === participant || original.recipients.includes(participant);

const fieldError = (path: string, message: string) =>
  new RdxError('invalid-fields', `the envelope breaks 1 rule(s) of the protocol`, {
    errors: [{ path, message }],
  });
