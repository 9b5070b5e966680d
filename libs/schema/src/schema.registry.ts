import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { generateJsonSchema, type JsonSchema } from './json-schema.generator';
import type { MessageTypeDefinition, SchemaViolation } from './message-type.definition';
import { MESSAGE_TYPES } from './message-types.catalogue';
import { isIsoDate, isIsoDateTime, RDX_SCHEMA_KEYWORDS } from './schema.decorators';
import { droppedKeyViolations, toViolations } from './validation-errors.mapper';

/** Thrown by {@link SchemaRegistry.validate} for a type the registry does not hold. */
export class UnknownMessageTypeError extends Error {
  readonly code = 'ERR_RDX_UNKNOWN_MESSAGE_TYPE';
  override readonly name = 'UnknownMessageTypeError';
  constructor(readonly type: string) {
    super(`unknown message type ${JSON.stringify(type)}`);
  }
}

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  // The mapper needs the target and value to point at the failing element of an array.
  validationError: { target: true, value: true },
};

interface Entry {
  definition: MessageTypeDefinition;
  schema: JsonSchema;
  /** The published JSON Schema, compiled: the fast answer for data that is valid. */
  conforms: ValidateFunction;
}

/** ajv as an integrator runs it on the published schemas: strict, with RDX's keywords and formats. */
function schemaCompiler(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true });
  for (const keyword of RDX_SCHEMA_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  ajv.addFormat('date', { type: 'string', validate: isIsoDate });
  ajv.addFormat('date-time', { type: 'string', validate: isIsoDateTime });
  return ajv;
}

/** The catalogue of message types: lists them, serves their JSON Schema and validates `data`. */
export class SchemaRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(types: readonly MessageTypeDefinition[] = MESSAGE_TYPES) {
    const ajv = schemaCompiler();
    for (const definition of types) {
      if (this.entries.has(definition.type)) throw new Error(`message type ${definition.type} defined twice`);
      // Generated now, so a DTO the generator cannot express stops the process at boot, not at a request.
      const schema = deepFreeze(generateJsonSchema(definition));
      this.entries.set(definition.type, { definition, schema, conforms: ajv.compile(schema) });
    }
  }

  /** Lists the message types, as `GET /v1/schemas` answers. */
  list(): { type: string; title: string }[] {
    return [...this.entries.values()].map(({ definition: { type, title } }) => ({ type, title }));
  }

  /** Returns the definition of a message type, or undefined when unknown. */
  get(type: string): MessageTypeDefinition | undefined {
    return this.entries.get(type)?.definition;
  }

  /** Returns the JSON Schema (draft 2020-12, frozen) of a type's `data`, or undefined when unknown. */
  jsonSchema(type: string): object | undefined {
    return this.entries.get(type)?.schema;
  }

  /**
   * Validates the plain JSON `data` of a message; returns [] when valid. Throws
   * {@link UnknownMessageTypeError} for an unknown type: check with {@link SchemaRegistry.get} first.
   * @example registry.validate('org.asean.rdx.trafficking-incident-alert.v1', { caseRef: 3 })
   */
  validate(type: string, data: unknown): SchemaViolation[] {
    const entry = this.entries.get(type);
    if (!entry) throw new UnknownMessageTypeError(type);
    if (!isPlainObject(data)) return [{ path: 'data', message: 'data must be a JSON object' }];
    // Most messages are valid: the compiled schema says so in a few microseconds. The DTOs, slower,
    // explain a refusal (the two agree: the schema.registry specs check every example and every
    // mutation against both).
    if (entry.conforms(data)) return [];
    // No implicit conversion: "3" stays a string and fails @IsInt, as it fails the JSON Schema.
    const instance = plainToInstance(entry.definition.dataClass, data, { enableImplicitConversion: false });
    return [...toViolations(validateSync(instance, VALIDATOR_OPTIONS)), ...droppedKeyViolations(data)];
  }
}

// Compares shapes, not identity with Object.prototype, so that an object parsed in another realm (a vm
// context, a worker) still counts as plain.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
