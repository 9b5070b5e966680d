/**
 * The bus event that announces to the routing worker the messages of one publish batch,
 * committed together: payload `{ messageIds: string[] }`, one event for up to
 * `MAX_MESSAGES_PER_ENTRY` messages (one outbox entry).
 */
export const MESSAGES_ACCEPTED = 'messages.accepted';
