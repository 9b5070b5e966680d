export { FORBIDDEN_KEYS, JSON_LIMITS, parseBoundedJson, storableText } from './bounded-json';
export { ASEAN_COUNTRIES, ISO_COUNTRIES, type AseanCountry } from './countries.constants';
export {
  generateJsonSchema,
  JSON_SCHEMA_DIALECT,
  SchemaDefinitionError,
  type JsonSchema,
} from './json-schema.generator';
export {
  defineMessageType,
  type MessageTypeDefinition,
  type SchemaViolation,
} from './message-type.definition';
export { MESSAGE_TYPES } from './message-types.catalogue';
export { personsOf, type PersonBlock } from './person-block.reader';
export { PersonDto, PersonNameDto, TravelDocumentDto } from './person.dto';
export {
  Describe,
  IsAseanCountry,
  IsAseanSubdivision,
  IsCountryCode,
  IsE164Phone,
  IsIsoDate,
  IsIsoDateTime,
  isIsoDate,
  isIsoDateTime,
  IsLanguageTag,
  IsMessageId,
  IsParticipantId,
  IsScriptCode,
  IsSuppressibleCount,
  isSuppressibleCount,
  LawEnforcementOnly,
  MAX_COUNT,
  Optional,
  RDX_SCHEMA_KEYWORDS,
  RECIPIENTS_KEYWORD,
  RequiredWhen,
  SMALL_CELL_THRESHOLD,
  SPECIFIC_DATA_KEYWORD,
  SpecificData,
  type SiblingValue,
  type SpecificDataCategory,
  type SuppressedCount,
} from './schema.decorators';
export { SchemaRegistry, UnknownMessageTypeError } from './schema.registry';
export { suppressSmallCells, type Suppressible } from './small-cells';
export { AcknowledgementV1 } from './types/acknowledgement.v1';
export { AggregateStatisticsV1 } from './types/aggregate-statistics.v1';
export { CaseStatusUpdateV1 } from './types/case-status-update.v1';
export { DeadlineMissedV1 } from './types/deadline-missed.v1';
export { LocateRequestV1 } from './types/locate-request.v1';
export { NationalityVerificationRequestV1 } from './types/nationality-verification-request.v1';
export { NationalityVerificationResponseV1 } from './types/nationality-verification-response.v1';
export { RepatriationPlanV1 } from './types/repatriation-plan.v1';
export { TraffickingIncidentAlertV1 } from './types/trafficking-incident-alert.v1';
export { VictimIdentificationNotificationV1 } from './types/victim-identification-notification.v1';
export { WithdrawalV1 } from './types/withdrawal.v1';
export { toViolations } from './validation-errors.mapper';
