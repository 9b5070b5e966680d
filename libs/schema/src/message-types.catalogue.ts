import type { MessageTypeDefinition } from './message-type.definition';
import { acknowledgementV1 } from './types/acknowledgement.v1';
import { aggregateStatisticsV1 } from './types/aggregate-statistics.v1';
import { caseStatusUpdateV1 } from './types/case-status-update.v1';
import { deadlineMissedV1 } from './types/deadline-missed.v1';
import { locateRequestV1 } from './types/locate-request.v1';
import { nationalityVerificationRequestV1 } from './types/nationality-verification-request.v1';
import { nationalityVerificationResponseV1 } from './types/nationality-verification-response.v1';
import { repatriationPlanV1 } from './types/repatriation-plan.v1';
import { traffickingIncidentAlertV1 } from './types/trafficking-incident-alert.v1';
import { victimIdentificationNotificationV1 } from './types/victim-identification-notification.v1';
import { withdrawalV1 } from './types/withdrawal.v1';

/** Every message type the exchange accepts; a new type is one file in types/ and one line here. */
export const MESSAGE_TYPES: readonly MessageTypeDefinition[] = Object.freeze([
  traffickingIncidentAlertV1,
  victimIdentificationNotificationV1,
  nationalityVerificationRequestV1,
  nationalityVerificationResponseV1,
  repatriationPlanV1,
  caseStatusUpdateV1,
  locateRequestV1,
  acknowledgementV1,
  aggregateStatisticsV1,
  withdrawalV1,
  deadlineMissedV1,
]);
