import {
  buildMessage,
  IsIn,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import {
  ASEAN_COUNTRIES,
  ASEAN_SUBDIVISION_PATTERN,
  E164_PATTERN,
  ISO_COUNTRIES,
  LANGUAGE_TAG_PATTERN,
  MESSAGE_ID_PATTERN,
  PARTICIPANT_ID_PATTERN,
  SCRIPT_PATTERN,
} from './countries.constants';

/** JSON Schema keyword naming the category of specific personal data (Indonesia PDP law 27/2022, art. 4(2)). */
export const SPECIFIC_DATA_KEYWORD = 'x-rdx-specific-data';
/** JSON Schema keyword naming the only recipient kind a field may travel to. */
export const RECIPIENTS_KEYWORD = 'x-rdx-recipients';
/** The annotation keywords RDX adds to JSON Schema; register them with a strict validator such as ajv. */
export const RDX_SCHEMA_KEYWORDS: readonly string[] = [SPECIFIC_DATA_KEYWORD, RECIPIENTS_KEYWORD];

export type SpecificDataCategory = 'children' | 'health' | 'biometric' | 'criminal';

// Names the generator recognises; kept here so decorator and generator cannot disagree on spelling.
export const RDX_CONSTRAINTS = {
  specificData: 'rdxSpecificData',
  lawEnforcementOnly: 'rdxLawEnforcementOnly',
  describe: 'rdxDescribe',
  isoDate: 'rdxIsoDate',
  isoDateTime: 'rdxIsoDateTime',
  requiredWhen: 'rdxRequiredWhen',
  suppressibleCount: 'rdxSuppressibleCount',
} as const;

/** Key in a decorator's `context` asking the generator to publish its keywords once, under `$defs`. */
export const SCHEMA_DEF_CONTEXT = 'rdxSchemaDef';

// Markers are stored as always-passing class-validator constraints so that the generator reads a single
// metadata store, and whitelisting still treats the property as known.
function marker(name: string, constraints: unknown[]): PropertyDecorator {
  return ValidateBy({ name, constraints, validator: { validate: () => true } });
}

/** Marks a field as specific personal data; emits `"x-rdx-specific-data": "<category>"`. */
export function SpecificData(category: SpecificDataCategory): PropertyDecorator {
  return marker(RDX_CONSTRAINTS.specificData, [category]);
}

/** Marks a field that only law-enforcement participants may receive; emits `"x-rdx-recipients"`. */
export function LawEnforcementOnly(): PropertyDecorator {
  return marker(RDX_CONSTRAINTS.lawEnforcementOnly, ['law-enforcement']);
}

/** Documents a field whose meaning a receiving agency could get wrong; emits `description`. */
export function Describe(text: string): PropertyDecorator {
  return marker(RDX_CONSTRAINTS.describe, [text]);
}

/** The condition behind {@link Optional}; the generator recognises it by identity. */
export function isPresent(_object: object, value: unknown): boolean {
  return value !== undefined;
}

/**
 * Lets a property be absent. Unlike `@IsOptional()`, which also waves `null` through, `null` is still
 * validated (and refused), exactly as the generated JSON Schema does.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf(isPresent);
}

/** A sibling value that makes a property of {@link RequiredWhen} required. */
export type SiblingValue = string | number | boolean;

// The conditions RequiredWhen creates; the generator accepts no other @ValidateIf.
const requiredWhenConditions = new WeakSet<object>();

/** True for the condition behind {@link RequiredWhen}, which the generator turns into `if`/`then`. */
export function isRequiredWhenCondition(condition: unknown): boolean {
  return typeof condition === 'function' && requiredWhenConditions.has(condition);
}

/**
 * Lets a property be absent, except when a sibling property holds one of the values; emits an
 * `if`/`then` on the enclosing object. As with {@link Optional}, `null` is validated, and refused.
 * @example `@RequiredWhen('isMinor', [true])` on the minor block of a person
 */
export function RequiredWhen(sibling: string, values: readonly SiblingValue[]): PropertyDecorator {
  const condition = (object: object, value: unknown) =>
    value !== undefined || values.includes((object as Record<string, unknown>)[sibling] as SiblingValue);
  requiredWhenConditions.add(condition);
  const conditional = ValidateIf(condition);
  const present = ValidateBy({
    name: RDX_CONSTRAINTS.requiredWhen,
    constraints: [sibling, [...values]],
    validator: {
      validate: (value) => value !== undefined,
      defaultMessage: () =>
        `$property is required when ${sibling} is ${values.map((v) => JSON.stringify(v)).join(' or ')}`,
    },
  });
  return (target, property) => {
    conditional(target, property);
    present(target, property);
  };
}

/** A count from 1 to this minus one could single a victim out: it is sent as suppressed, never as a number. */
export const SMALL_CELL_THRESHOLD = 11;
/** The largest count a statistics cell may carry. */
export const MAX_COUNT = 10_000_000;

/** What a statistics cell carries instead of a count from 1 to 10. */
export interface SuppressedCount {
  suppressed: true;
}

/** Checks a statistics count: 0, an integer from 11 to {@link MAX_COUNT}, or exactly `{ suppressed: true }`. */
export function isSuppressibleCount(value: unknown): value is number | SuppressedCount {
  if (typeof value === 'number') {
    return Number.isInteger(value) && (value === 0 || (value >= SMALL_CELL_THRESHOLD && value <= MAX_COUNT));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'suppressed' && (value as SuppressedCount).suppressed === true;
}

/**
 * A count in published statistics. Small cells (1 to 10) are refused as numbers and must be sent as
 * `{ "suppressed": true }`; emits a `$ref` to the shared `SuppressibleCount` definition.
 */
export function IsSuppressibleCount(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: RDX_CONSTRAINTS.suppressibleCount,
      constraints: [SMALL_CELL_THRESHOLD, MAX_COUNT],
      validator: {
        validate: (value) => isSuppressibleCount(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be 0, an integer from ${SMALL_CELL_THRESHOLD} to ${MAX_COUNT}, ` +
            `or {"suppressed": true} for a count from 1 to ${SMALL_CELL_THRESHOLD - 1}`,
          options,
        ),
      },
    },
    { ...options, context: { ...options?.context, [SCHEMA_DEF_CONTEXT]: 'SuppressibleCount' } },
  );
}

// Years 1900-2099: wide enough for births and passport expiry, narrow enough to catch a mistyped century.
const DATE = '(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])';
export const ISO_DATE_PATTERN = new RegExp(`^${DATE}$`);
// RFC 3339 with a mandatory offset: a local time without one cannot be compared across six time zones.
export const ISO_DATE_TIME_PATTERN = new RegExp(
  `^${DATE}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$`,
);

// The patterns accept 31 February; the calendar check is the one thing the JSON Schema cannot say.
function isCalendarDay(date: string): boolean {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

/** Checks an ISO 8601 calendar date such as "2026-11-27". */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE_PATTERN.test(value) && isCalendarDay(value);
}

/** Checks an RFC 3339 date-time with offset such as "2026-11-27T09:58:01Z". */
export function isIsoDateTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE_TIME_PATTERN.test(value) && isCalendarDay(value);
}

/** A calendar date, `YYYY-MM-DD`; emits `format: date` with its pattern. */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: RDX_CONSTRAINTS.isoDate,
      validator: {
        validate: (value) => isIsoDate(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a date as YYYY-MM-DD`, options),
      },
    },
    options,
  );
}

/** A date-time with offset; emits `format: date-time` with its pattern. */
export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: RDX_CONSTRAINTS.isoDateTime,
      validator: {
        validate: (value) => isIsoDateTime(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a date-time as YYYY-MM-DDThh:mm:ssZ or with an offset`,
          options,
        ),
      },
    },
    options,
  );
}

// The shortcuts below only add a readable message (a list of 249 codes is no message) and a length bound to
// standard decorators, so the generator still sees plain IsIn, Matches and MaxLength.

/** Any officially assigned ISO 3166-1 alpha-2 country code. */
export function IsCountryCode(options?: ValidationOptions): PropertyDecorator {
  return IsIn([...ISO_COUNTRIES], withMessage(options, 'an ISO 3166-1 alpha-2 country code', 'CountryCode'));
}

/** An ASEAN member's ISO 3166-1 alpha-2 code. */
export function IsAseanCountry(options?: ValidationOptions): PropertyDecorator {
  return IsIn(
    [...ASEAN_COUNTRIES],
    withMessage(options, `one of ${ASEAN_COUNTRIES.join(', ')}`, 'AseanCountry'),
  );
}

/** An ISO 3166-2 subdivision of an ASEAN member, such as "KH-18". */
export function IsAseanSubdivision(options?: ValidationOptions): PropertyDecorator {
  return boundedMatch(ASEAN_SUBDIVISION_PATTERN, 6, options, 'an ISO 3166-2 code of an ASEAN member');
}

/** A phone number in E.164 form. */
export function IsE164Phone(options?: ValidationOptions): PropertyDecorator {
  return boundedMatch(E164_PATTERN, 16, options, 'an E.164 phone number such as +6281234567890');
}

/** A BCP 47 language tag such as "km" or "zh-Hant". */
export function IsLanguageTag(options?: ValidationOptions): PropertyDecorator {
  return boundedMatch(LANGUAGE_TAG_PATTERN, 35, options, 'a BCP 47 language tag such as "km"');
}

/** A participant id, `CC.AGENCY`, such as "ID.P2MI". */
export function IsParticipantId(options?: ValidationOptions): PropertyDecorator {
  return boundedMatch(PARTICIPANT_ID_PATTERN, 35, options, 'a participant id (CC.AGENCY) such as "ID.P2MI"');
}

/** The id of an RDX message (its CloudEvents `id`), a UUID. */
export function IsMessageId(options?: ValidationOptions): PropertyDecorator {
  return boundedMatch(MESSAGE_ID_PATTERN, 36, options, 'a message id (UUID)');
}

/** An ISO 15924 script code such as "Khmr". */
export function IsScriptCode(options?: ValidationOptions): PropertyDecorator {
  return boundedMatch(SCRIPT_PATTERN, 4, options, 'an ISO 15924 script code such as "Khmr"');
}

function boundedMatch(
  pattern: RegExp,
  maxLength: number,
  options: ValidationOptions | undefined,
  expected: string,
): PropertyDecorator {
  const matches = Matches(pattern, withMessage(options, expected));
  const bounded = MaxLength(maxLength, options);
  return (target, property) => {
    matches(target, property);
    bounded(target, property);
  };
}

function withMessage(
  options: ValidationOptions | undefined,
  expected: string,
  schemaDef?: string,
): ValidationOptions {
  const each = options?.each ? 'each value in ' : '';
  const context: unknown = schemaDef
    ? { ...options?.context, [SCHEMA_DEF_CONTEXT]: schemaDef }
    : options?.context;
  return { ...options, message: `${each}$property must be ${expected}`, ...(context ? { context } : {}) };
}
