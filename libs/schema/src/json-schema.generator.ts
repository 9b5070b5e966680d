import type { MetadataStorage as TypeMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes, type MetadataStorage } from 'class-validator';
import type { MessageTypeDefinition } from './message-type.definition';
import {
  isPresent,
  isRequiredWhenCondition,
  ISO_DATE_PATTERN,
  ISO_DATE_TIME_PATTERN,
  RDX_CONSTRAINTS,
  RECIPIENTS_KEYWORD,
  SCHEMA_DEF_CONTEXT,
  SPECIFIC_DATA_KEYWORD,
  type SiblingValue,
} from './schema.decorators';

// class-transformer keeps @Type metadata in a module its index does not re-export; reading that store keeps
// the schema on the very source plainToInstance nests with.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformerStorage = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TypeMetadataStorage;
};
const typeStorage = transformerStorage.defaultMetadataStorage;

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type Class = abstract new (...args: never[]) => object;

export type JsonSchema = { [keyword: string]: unknown };

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Thrown while generating when a DTO uses a decorator the JSON Schema could not express faithfully. */
export class SchemaDefinitionError extends Error {
  readonly code = 'ERR_RDX_SCHEMA_DEFINITION';
  override readonly name = 'SchemaDefinitionError';
}

type KeywordsOf = (constraints: unknown[], at: string) => JsonSchema;

// Every decorator a DTO may use, by class-validator constraint name. Anything else throws: a decorator the
// schema ignored would make the published schema and the gateway's validation silently disagree.
const KEYWORDS: Record<string, KeywordsOf> = {
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isBoolean: () => ({ type: 'boolean' }),
  isArray: () => ({ type: 'array' }),
  isObject: () => ({ type: 'object' }),
  isIn: ([values]) => enumOf(values as unknown[]),
  isEnum: ([entity]) => enumOf([...new Set(Object.values(entity as object))]),
  matches: ([pattern, modifiers], at) => ({ type: 'string', pattern: patternSource(pattern, modifiers, at) }),
  isLength: ([min, max]) => ({ minLength: min, ...(max === undefined ? {} : { maxLength: max }) }),
  minLength: ([min]) => ({ minLength: min }),
  maxLength: ([max]) => ({ maxLength: max }),
  min: ([min]) => ({ minimum: min }),
  max: ([max]) => ({ maximum: max }),
  arrayMinSize: ([min]) => ({ minItems: min }),
  arrayMaxSize: ([max]) => ({ maxItems: max }),
  arrayUnique: ([selector], at) => {
    if (selector) {
      throw new SchemaDefinitionError(`${at}: @ArrayUnique with a selector has no JSON Schema form`);
    }
    return { uniqueItems: true };
  },
  [RDX_CONSTRAINTS.isoDate]: () => ({ type: 'string', format: 'date', pattern: ISO_DATE_PATTERN.source }),
  [RDX_CONSTRAINTS.isoDateTime]: () => ({
    type: 'string',
    format: 'date-time',
    pattern: ISO_DATE_TIME_PATTERN.source,
  }),
  [RDX_CONSTRAINTS.specificData]: ([category]) => ({ [SPECIFIC_DATA_KEYWORD]: category }),
  [RDX_CONSTRAINTS.lawEnforcementOnly]: ([kind]) => ({ [RECIPIENTS_KEYWORD]: kind }),
  [RDX_CONSTRAINTS.describe]: ([text]) => ({ description: text }),
  // The three forms are disjoint, so oneOf; a number from 1 to 10 matches none of them.
  [RDX_CONSTRAINTS.suppressibleCount]: ([threshold, max]) => ({
    description:
      `A count: 0, or ${String(threshold)} and more; a count from 1 to ${Number(threshold) - 1} is a small ` +
      'cell that could single a victim out, sent as {"suppressed": true} instead',
    oneOf: [
      { type: 'integer', const: 0 },
      { type: 'integer', minimum: threshold, maximum: max },
      {
        type: 'object',
        properties: { suppressed: { type: 'boolean', const: true } },
        required: ['suppressed'],
        additionalProperties: false,
      },
    ],
  }),
};

const KEY_ORDER = [
  'description',
  'type',
  'enum',
  'format',
  'pattern',
  '$ref',
  'minLength',
  'maxLength',
].concat(['minimum', 'maximum', 'minItems', 'maxItems', 'uniqueItems', 'items']);

/** Generates the draft 2020-12 JSON Schema of a message type's `data` from its class-validator metadata. */
export function generateJsonSchema(definition: MessageTypeDefinition): JsonSchema {
  const defs: Defs = new Map();
  const body = objectSchema(definition.dataClass, defs);
  const $defs = Object.fromEntries([...defs].map(([name, { schema }]) => [name, schema]));
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: `urn:rdx:schema:${definition.type}`,
    title: definition.title,
    description: definition.description,
    ...body,
    ...(defs.size > 0 ? { $defs } : {}),
    examples: structuredClone(definition.examples),
  };
}

// A $defs entry remembers what produced it (a class, or the keywords of a shared value) to catch clashes.
type Defs = Map<string, { source: unknown; schema: JsonSchema }>;

function objectSchema(cls: Class, defs: Defs): JsonSchema {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  if (metadatas.length === 0) throw new SchemaDefinitionError(`${cls.name} has no validation decorators`);
  const properties: JsonSchema = {};
  const required: string[] = [];
  const conditions = new Map<string, RequiredWhen & { properties: string[] }>();
  for (const [property, list] of byPropertyBaseFirst(metadatas)) {
    const { schema, optional, requiredWhen } = propertySchema(cls, property, list, defs);
    properties[property] = schema;
    if (!optional) required.push(property);
    if (requiredWhen) {
      const key = JSON.stringify(requiredWhen);
      const condition = conditions.get(key) ?? { ...requiredWhen, properties: [] };
      condition.properties.push(property);
      conditions.set(key, condition);
    }
  }
  const allOf = [...conditions.values()].map((condition) => {
    if (!Object.hasOwn(properties, condition.sibling)) {
      throw new SchemaDefinitionError(
        `${cls.name}: @RequiredWhen names ${condition.sibling}, no such property`,
      );
    }
    return requiredWhenSchema(condition);
  });
  return {
    type: 'object',
    properties,
    required,
    ...(allOf.length > 0 ? { allOf } : {}),
    additionalProperties: false,
  };
}

interface RequiredWhen {
  sibling: string;
  values: SiblingValue[];
}

function requiredWhenSchema({
  sibling,
  values,
  properties,
}: RequiredWhen & { properties: string[] }): JsonSchema {
  return {
    if: {
      properties: { [sibling]: values.length === 1 ? { const: values[0] } : { enum: values } },
      required: [sibling],
    },
    // `true` constrains nothing; it declares the names, which strict validators (ajv's strictRequired)
    // want beside a `required`.
    then: { properties: Object.fromEntries(properties.map((name) => [name, true])), required: properties },
  };
}

function refTo(cls: Class, defs: Defs, at: string): JsonSchema {
  const name = cls.name.replace(/Dto$/, '');
  const known = defs.get(name);
  if (known && known.source !== cls) {
    throw new SchemaDefinitionError(`${at}: two definitions are named ${name}`);
  }
  if (!known) {
    const entry = { source: cls, schema: {} };
    defs.set(name, entry); // before recursing, so that a class nesting itself ends in a $ref
    entry.schema = objectSchema(cls, defs);
  }
  return { $ref: `#/$defs/${name}` };
}

// A value set used in many places (249 country codes) is published once and referenced.
function sharedRef(name: string, keywords: JsonSchema, defs: Defs, at: string): JsonSchema {
  const source = JSON.stringify(keywords);
  const known = defs.get(name);
  if (known && known.source !== source) {
    throw new SchemaDefinitionError(`${at}: two definitions are named ${name}`);
  }
  if (!known) defs.set(name, { source, schema: ordered(keywords) });
  return { $ref: `#/$defs/${name}` };
}

function sharedName(context: unknown): string | undefined {
  const name: unknown = (context as Record<string, unknown> | undefined)?.[SCHEMA_DEF_CONTEXT];
  return typeof name === 'string' ? name : undefined;
}

function propertySchema(
  cls: Class,
  property: string,
  list: ValidationMetadata[],
  defs: Defs,
): { schema: JsonSchema; optional: boolean; requiredWhen?: RequiredWhen } {
  const at = `${cls.name}.${property}`;
  const value: JsonSchema = {};
  const items: JsonSchema = {};
  let optional = false;
  let nested = false;
  let requiredWhen: RequiredWhen | undefined;
  let plainOptional = false;
  for (const metadata of list) {
    if (metadata.groups?.length || metadata.always !== undefined || metadata.validateIf) {
      throw new SchemaDefinitionError(`${at}: validation groups and conditions have no JSON Schema form`);
    }
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      const condition: unknown = metadata.constraints?.[0];
      if (condition !== isPresent && !isRequiredWhenCondition(condition)) {
        throw new SchemaDefinitionError(
          `${at}: use @Optional() or @RequiredWhen() (@IsOptional and @ValidateIf also let null or other values through)`,
        );
      }
      optional = true;
      plainOptional ||= condition === isPresent;
    } else if (metadata.type === ValidationTypes.NESTED_VALIDATION) {
      nested = true;
    } else if (metadata.name === RDX_CONSTRAINTS.requiredWhen) {
      const [sibling, values] = metadata.constraints as [string, SiblingValue[]];
      requiredWhen = { sibling, values };
    } else if (
      metadata.type === ValidationTypes.CUSTOM_VALIDATION &&
      metadata.name &&
      Object.hasOwn(KEYWORDS, metadata.name)
    ) {
      const keywords = KEYWORDS[metadata.name](metadata.constraints ?? [], at);
      const shared = sharedName(metadata.context);
      merge(metadata.each ? items : value, shared ? sharedRef(shared, keywords, defs, at) : keywords, at);
    } else {
      throw new SchemaDefinitionError(
        `${at}: @${metadata.name ?? metadata.type} has no JSON Schema mapping; add one in json-schema.generator.ts`,
      );
    }
  }
  const isArray = value.type === 'array';
  nest(cls, property, nested, isArray ? items : value, defs, at);
  if (isArray) {
    checkTyped(items, `${at}[]`);
    value.items = ordered(items);
  } else if (Object.keys(items).length > 0) {
    throw new SchemaDefinitionError(`${at}: { each: true } needs @IsArray(), or a single value passes too`);
  }
  checkTyped(value, at);
  if (requiredWhen && plainOptional) {
    throw new SchemaDefinitionError(`${at}: @Optional and @RequiredWhen together make it always optional`);
  }
  return { schema: ordered(value), optional, ...(requiredWhen ? { requiredWhen } : {}) };
}

// Replaces `type: object` by a $ref to the @Type class; IsObject is demanded because class-validator's
// ValidateNested alone also accepts an array of such objects where one object is expected.
function nest(
  cls: Class,
  property: string,
  nested: boolean,
  target: JsonSchema,
  defs: Defs,
  at: string,
): void {
  const typeMetadata = typeStorage.findTypeMetadata(cls, property);
  if (!nested) {
    if (typeMetadata) {
      throw new SchemaDefinitionError(`${at}: @Type without @ValidateNested is never validated`);
    }
    return;
  }
  if (!typeMetadata) throw new SchemaDefinitionError(`${at}: @ValidateNested needs @Type(() => Class)`);
  if (typeMetadata.options?.discriminator) {
    throw new SchemaDefinitionError(`${at}: discriminators are unsupported`);
  }
  if (target.type !== 'object') {
    throw new SchemaDefinitionError(
      `${at}: @ValidateNested needs @IsObject() on the value or { each: true } items`,
    );
  }
  const nestedClass = typeMetadata.typeFunction() as Class;
  if ([String, Number, Boolean, Object, Array, Date].includes(nestedClass as never)) {
    throw new SchemaDefinitionError(`${at}: @Type must name a DTO class`);
  }
  delete target.type;
  Object.assign(target, refTo(nestedClass, defs, at));
}

function checkTyped(schema: JsonSchema, at: string): void {
  if (schema.type === undefined && schema.enum === undefined && schema.$ref === undefined) {
    throw new SchemaDefinitionError(
      `${at}: no type decorator (IsString, IsInt, IsBoolean, IsIn, IsArray...)`,
    );
  }
  // Input is untrusted: every string and array gets a ceiling.
  if (schema.type === 'string' && schema.maxLength === undefined && !schema.enum && !schema.format) {
    throw new SchemaDefinitionError(`${at}: a string needs @MaxLength or @Length`);
  }
  if (schema.type === 'array' && schema.maxItems === undefined) {
    throw new SchemaDefinitionError(`${at}: an array needs @ArrayMaxSize`);
  }
}

function merge(target: JsonSchema, keywords: JsonSchema, at: string): void {
  for (const [keyword, value] of Object.entries(keywords)) {
    if (keyword in target && JSON.stringify(target[keyword]) !== JSON.stringify(value)) {
      throw new SchemaDefinitionError(`${at}: decorators disagree on ${keyword}`);
    }
    target[keyword] = value;
  }
}

function enumOf(values: unknown[]): JsonSchema {
  const allStrings = values.every((value) => typeof value === 'string');
  return allStrings ? { type: 'string', enum: [...values] } : { enum: [...values] };
}

function patternSource(pattern: unknown, modifiers: unknown, at: string): string {
  // JSON Schema patterns carry no flags, so a flagged RegExp would match differently once published.
  if (pattern instanceof RegExp && pattern.flags === '' && !modifiers) return pattern.source;
  if (typeof pattern === 'string' && !modifiers) return pattern;
  throw new SchemaDefinitionError(`${at}: @Matches with flags has no JSON Schema form`);
}

function ordered(schema: JsonSchema): JsonSchema {
  const rank = (key: string) => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);
  return Object.fromEntries(Object.entries(schema).sort(([a], [b]) => rank(a) - rank(b)));
}

// A subclass (the victim's person block) lists its parent's fields first, as a reader expects.
function byPropertyBaseFirst(metadatas: ValidationMetadata[]): [string, ValidationMetadata[]][] {
  const groups = new Map<string, ValidationMetadata[]>();
  for (const metadata of metadatas) {
    groups.set(metadata.propertyName, [...(groups.get(metadata.propertyName) ?? []), metadata]);
  }
  const depth = (list: ValidationMetadata[]) =>
    Math.min(...list.map((metadata) => ancestry(metadata.target)));
  return [...groups].sort(([, a], [, b]) => depth(a) - depth(b));
}

function ancestry(target: unknown): number {
  let depth = 0;
  for (
    let cls = target;
    typeof cls === 'function' && cls !== Function.prototype;
    cls = Object.getPrototypeOf(cls)
  ) {
    depth += 1;
  }
  return depth;
}
