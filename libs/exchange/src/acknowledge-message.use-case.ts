import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { FieldError, RdxError } from '@rdx/errors';
import { AckStatus, AuditRepository, Database, MessagesRepository } from '@rdx/persistence';
import { Clock } from './clock';
import { parseJsonObject } from './envelope';
import { RateLimiter } from './rate-limiter';
import { Signers } from './signers';

const STATUSES: readonly AckStatus[] = ['received', 'accepted', 'rejected', 'actioned'];
const RANK: Record<AckStatus, number> = { received: 1, accepted: 2, actioned: 3, rejected: 4 };

export interface AckResult {
  messageId: string;
  participant: string;
  status: AckStatus;
  at: string;
}

/** Whether an acknowledgement may move from `from` to `to`: forward only, `rejected` final. */
export function ackMayMove(from: AckStatus | null, to: AckStatus): boolean {
  if (from === null || from === to) return true;
  if (from === 'rejected') return false;
  if (to === 'rejected') return from !== 'actioned';
  return RANK[to] > RANK[from];
}

/** A recipient's signed acknowledgement (PROTOCOL.md section 5). */
@Injectable()
export class AcknowledgeMessage {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Signers) private readonly signers: Signers,
    @Inject(RateLimiter) private readonly rateLimiter: RateLimiter,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(messageId: string, jws: string): Promise<AckResult> {
    const now = this.clock.now();
    const signed = await this.signers.verify(jws, 'rdx-ack+jws');
    this.signers.requireActive(signed, now);
    this.rateLimiter.take(signed.participant.id);
    const ack = parseJsonObject(signed.payload, 'acknowledgement');
    const errors: FieldError[] = [];
    if (ack.messageId !== messageId)
      errors.push({ path: 'messageId', message: `must be ${messageId}, the message in the URL` });
    if (!STATUSES.includes(ack.status as AckStatus))
      errors.push({ path: 'status', message: `must be one of ${STATUSES.join(', ')}` });
    if (ack.reason !== undefined && (typeof ack.reason !== 'string' || ack.reason.length > 1000)) {
      errors.push({ path: 'reason', message: 'must be a string of at most 1000 characters' });
    }
    if (typeof ack.time !== 'string' || Number.isNaN(Date.parse(ack.time))) {
      errors.push({ path: 'time', message: 'must be an RFC 3339 date-time' });
    }
    if (errors.length > 0)
      throw new RdxError('invalid-fields', 'the acknowledgement is not valid', { errors });
    const skew = Math.abs(Date.parse(ack.time as string) - now.getTime()) / 1000;
    if (skew > this.config.messageTimeWindowSeconds) {
      throw new RdxError(
        'time-out-of-window',
        `time ${String(ack.time)} is ${Math.round(skew)} s from the gateway clock`,
      );
    }

    const participant = signed.participant.id;
    const status = ack.status as AckStatus;
    const at = now.toISOString();
    return this.db.transaction(async (tx) => {
      const recipient = await this.messages.recipient(tx, messageId, participant);
      if (recipient === undefined)
        throw new RdxError('not-found', `no message ${messageId} addressed to ${participant}`);
      if (!ackMayMove(recipient.ackStatus, status)) {
        throw new RdxError(
          'ack-conflict',
          `the acknowledgement is ${recipient.ackStatus}; it cannot move to ${status}`,
        );
      }
      if (recipient.ackStatus === status) {
        return { messageId, participant, status, at: recipient.ackAt! };
      }
      const reason = typeof ack.reason === 'string' ? ack.reason : null;
      if (
        !(await this.messages.setAck(
          tx,
          { messageId, participantId: participant, status, at, reason, jws },
          recipient.ackStatus,
        ))
      ) {
        throw new RdxError(
          'ack-conflict',
          'the acknowledgement changed meanwhile; read the status and try again',
        );
      }
      await this.audit.append(tx, [
        { at, actor: participant, action: 'message.acknowledged', subject: messageId, details: { status } },
      ]);
      return { messageId, participant, status, at };
    });
  }
}
