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
