import { Executor, PREPARED } from '../executor';
import { MessageRecord } from '../records';
import { Column, insertRows, insertRowsWhere, writeChunks } from '../sql-builders';
import { Write } from '../writes';

/*
 * Storing accepted messages: the message rows, their recipients' rows and each recipient's entry
 * in the routing queue, by multi-row statements (`MessagesRepository.insertMany` and the writes
 * it is made of).
 */

const MESSAGE_COLUMNS: Column[] = [
  ['id', 'text'],
  ['source', 'text'],
  ['type', 'text'],
  ['kid', 'text'],
  ['tlp', 'text'],
  ['digest', 'text'],
  ['jws', 'text'],
  ['received_at', 'text'],
  ['withheld', 'text'],
  ['receipt', 'text'],
];
/** With the commit span's traceparent, for batches stored while tracing is on (else NULL, unwritten). */
const TRACED_MESSAGE_COLUMNS: Column[] = [...MESSAGE_COLUMNS, ['trace_parent', 'text']];
const RECIPIENT_COLUMNS: Column[] = [
  ['message_id', 'text'],
  ['participant_id', 'text'],
  ['position', 'integer'],
  ['delivery', 'text'],
  ['received_at', 'text'],
];

/** A message's values in the order of `MESSAGE_COLUMNS`. */
const messageRow = (m: MessageRecord): unknown[] => [
  m.id,
  m.source,
  m.type,
  m.kid,
  m.tlp,
  m.digest,
  m.jws,
  m.receivedAt,
  JSON.stringify(m.withheld),
  m.receipt,
];

/** The columns and rows of a batch of messages: the untraced statement, unchanged, when none is traced. */
function messageRows(messages: readonly MessageRecord[]): { columns: Column[]; rows: unknown[][] } {
  if (!messages.some((m) => m.traceParent != null))
    return { columns: MESSAGE_COLUMNS, rows: messages.map(messageRow) };
  return {
    columns: TRACED_MESSAGE_COLUMNS,
    rows: messages.map((m) => [...messageRow(m), m.traceParent ?? null]),
  };
}

/**
 * The name of `insertNewWrite`'s write, whose rows are the ids of the messages it stored:
 * `message_id IN (SELECT id FROM stored)`.
 */
export const STORED = 'stored';

/** The condition that `column` holds the id of a message `insertNewWrite`'s write stored. */
export const amongStored = (column: string): string => `${column} IN (SELECT id FROM ${STORED})`;

/** Each recipient's queue of messages not yet written into its inbox. */
const QUEUE_COLUMNS: Column[] = [
  ['participant_id', 'text'],
  ['received_at', 'text'],
  ['message_id', 'text'],
];

/** `MessagesRepository.insertNew`: the ids stored, those not taken (ON CONFLICT leaves the others out). */
export async function insertNew(ex: Executor, messages: readonly MessageRecord[]): Promise<Set<string>> {
  const stored = new Set<string>();
  for (const chunk of writeChunks(ex, messages, 200)) {
    const { columns, rows: values } = messageRows(chunk);
    const { sql, params } = insertRows(
      ex,
      'messages',
      columns,
      values,
      'ON CONFLICT (id) DO NOTHING RETURNING id',
    );
    const rows = await ex.query<{ id: string }>(sql, params, PREPARED);
    for (const row of rows) stored.add(row.id);
  }
  return stored;
}

/** `MessagesRepository.insertNewWrite`. */
export function insertNewWrite(messages: readonly MessageRecord[], condition: string): Write {
  const { columns, rows } = messageRows(messages);
  return {
    ...insertRowsWhere('messages', columns, rows, condition, 'ON CONFLICT (id) DO NOTHING RETURNING id'),
    prepare: true,
    name: STORED,
  };
}

/** `MessagesRepository.recipientWrites`: each recipient's row, and its entry in its routing queue. */
export function recipientWrites(
  ex: Executor,
  stored: readonly { message: MessageRecord; recipients: readonly string[] }[],
  ofStored = false,
): Write[] {
  const recipients = stored.flatMap(({ message, recipients: ids }) =>
    ids.map((participant, position) => [message.id, participant, position, 'pending', message.receivedAt]),
  );
  const insert = (table: string, columns: readonly Column[], rows: readonly (readonly unknown[])[]) =>
    ofStored
      ? insertRowsWhere(table, columns, rows, amongStored('message_id'))
      : insertRows(ex, table, columns, rows);
  return writeChunks(ex, recipients, 1000).flatMap((chunk) => [
    { ...insert('message_recipients', RECIPIENT_COLUMNS, chunk), prepare: true },
    {
      ...insert(
        'routing_queue',
        QUEUE_COLUMNS,
        chunk.map(([messageId, participant, , , receivedAt]) => [participant, receivedAt, messageId]),
      ),
      prepare: true,
    },
  ]);
}
