import type { MessageTypeDefinition } from './message-type.definition';
import { traffickingIncidentAlertV1 } from './types/trafficking-incident-alert.v1';
import { victimIdentificationNotificationV1 } from './types/victim-identification-notification.v1';

/** Every message type the exchange accepts; a new type is one file in types/ and one line here. */
export const MESSAGE_TYPES: readonly MessageTypeDefinition[] = Object.freeze([
  traffickingIncidentAlertV1,
  victimIdentificationNotificationV1,
]);
