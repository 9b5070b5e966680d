/** The bus event that announces an accepted message to the routing worker. */
export const MESSAGE_ACCEPTED = 'message.accepted';
