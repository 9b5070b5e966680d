import { AckStatus, MessageRecord, RecipientRecord } from '../records';

/** A row of `messages`, as SELECT * reads it. */
export type MessageRow = {
  id: string;
  source: string;
  type: string;
  kid: string;
  tlp: string;
  digest: string;
  jws: string;
  received_at: string;
  withheld: string;
  receipt: string;
  purged_at: string | null;
};

/** A row of `message_recipients`: the columns a RecipientRecord holds. */
export type RecipientRow = {
  message_id: string;
  participant_id: string;
  delivery: RecipientRecord['delivery'];
  delivered_at: string | null;
  ack_status: AckStatus | null;
  ack_at: string | null;
};

export const toMessage = (row: MessageRow): MessageRecord => ({
  id: row.id,
  source: row.source,
  type: row.type,
  kid: row.kid,
  tlp: row.tlp,
  digest: row.digest,
  jws: row.jws,
  receivedAt: row.received_at,
  withheld: JSON.parse(row.withheld) as MessageRecord['withheld'],
  receipt: row.receipt,
  purgedAt: row.purged_at,
});

export const toRecipient = (row: RecipientRow): RecipientRecord => ({
  messageId: row.message_id,
  participantId: row.participant_id,
  delivery: row.delivery,
  deliveredAt: row.delivered_at,
  ackStatus: row.ack_status,
  ackAt: row.ack_at,
});
