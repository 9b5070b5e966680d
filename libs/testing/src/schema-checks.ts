import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { isIsoDate, isIsoDateTime, RDX_SCHEMA_KEYWORDS, SchemaRegistry } from '@rdx/schema';

/** A message's `data`, to change at will. */
export type Data = Record<string, unknown>;

/** The value `variant` takes to mean: remove the field. */
export const REMOVE = Symbol('remove');

/** A copy of the `index`th example of a type the registry holds. */
export function exampleAt(registry: SchemaRegistry, type: string, index = 0): Data {
  return JSON.parse(JSON.stringify(registry.get(type)!.examples[index])) as Data;
}

/** `data` with the field at `path` (keys and array indexes, joined by dots) set to `value`, or removed. */
export function variant(data: Data, path: string, value: unknown): Data {
  const keys = path.split('.');
  let node = data;
  for (const key of keys.slice(0, -1)) node = node[key] as Data;
  if (value === REMOVE) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
  return data;
}

/**
 * Validates against the registry's published JSON Schemas with strict ajv, as an integrator
 * would run them: only our annotation keywords and the two formats are added. Returns the
 * validator that ran, its `errors` set.
 */
export function ajvValidation(registry: SchemaRegistry): (type: string, data: unknown) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const keyword of RDX_SCHEMA_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  ajv.addFormat('date', { type: 'string', validate: isIsoDate });
  ajv.addFormat('date-time', { type: 'string', validate: isIsoDateTime });
  const validators = new Map(
    registry.list().map(({ type }) => [type, ajv.compile(registry.jsonSchema(type) as object)] as const),
  );
  return (type, data) => {
    const validate = validators.get(type)!;
    validate(data);
    return validate;
  };
}

/**
 * The paths of ajv's errors, written as the registry writes them: ajv reports JSON pointers, and
 * a missing or extra property on its parent.
 */
export function ajvPaths(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((error) => {
    const segments = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const named: unknown = error.params.missingProperty ?? error.params.additionalProperty;
    if (typeof named === 'string') segments.push(named);
    return segments.reduce((path, segment) => {
      if (/^[0-9]+$/.test(segment)) return `${path}[${segment}]`;
      return /^[A-Za-z_$][\w$]*$/.test(segment)
        ? `${path}.${segment}`
        : `${path}[${JSON.stringify(segment)}]`;
    }, 'data');
  });
}
