import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import {
  AckStatus,
  Database,
  DeliveryState,
  MessagesRepository,
  ThreadsRepository,
  Withheld,
} from '@rdx/persistence';

export interface MessageStatus {
  messageId: string;
  type: string;
  receivedAt: string;
  recipients: { participant: string; delivery: DeliveryState; ack?: { status: AckStatus; at: string } }[];
  withheld: Withheld[];
  purgedAt?: string;
  /** What became of it in its case (docs/protocol-notes.md, "Cases"). */
  supersededBy?: string;
  withdrawnBy?: string;
  expires?: string;
  respondBy?: string;
}

/** Where a message stands for its sender (or an administrator): delivery and acks per recipient. */
@Injectable()
export class GetMessageStatus {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(ThreadsRepository) private readonly threads: ThreadsRepository,
  ) {}

  /** `viewer` is the calling participant, or undefined for an administrator. */
  async execute(messageId: string, viewer: string | undefined): Promise<MessageStatus> {
    const message = await this.messages.find(this.db, messageId);
    if (message === undefined || (viewer !== undefined && message.source !== viewer)) {
      throw new RdxError('not-found', `no message ${messageId} sent by you`);
    }
    const recipients = await this.messages.recipients(this.db, messageId);
    const links = await this.threads.links(this.db, messageId);
    return {
      messageId,
      type: message.type,
      receivedAt: message.receivedAt,
      recipients: recipients.map((r) => ({
        participant: r.participantId,
        delivery: r.delivery,
        ...(r.ackStatus === null ? {} : { ack: { status: r.ackStatus, at: r.ackAt! } }),
      })),
      withheld: message.withheld,
      ...(message.purgedAt === null ? {} : { purgedAt: message.purgedAt }),
      ...(links?.supersededBy ? { supersededBy: links.supersededBy } : {}),
      ...(links?.withdrawnBy ? { withdrawnBy: links.withdrawnBy } : {}),
      ...(links?.expiresAt ? { expires: links.expiresAt } : {}),
      ...(links?.respondBy ? { respondBy: links.respondBy } : {}),
    };
  }
}
