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
  IsScriptCode,
  LawEnforcementOnly,
  Optional,
  RDX_SCHEMA_KEYWORDS,
  RECIPIENTS_KEYWORD,
  SPECIFIC_DATA_KEYWORD,
  SpecificData,
  type SpecificDataCategory,
} from './schema.decorators';
export { SchemaRegistry, UnknownMessageTypeError } from './schema.registry';
export { TraffickingIncidentAlertV1 } from './types/trafficking-incident-alert.v1';
export { VictimIdentificationNotificationV1 } from './types/victim-identification-notification.v1';
export { toViolations } from './validation-errors.mapper';
