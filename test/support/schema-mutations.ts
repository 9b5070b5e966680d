import { FORBIDDEN_KEYS, storableText } from '@rdx/schema';
import fc from 'fast-check';

/**
 * Invalid mutations of valid `data`, derived from a type's JSON Schema (as `GET /v1/schemas/{type}`
 * serves it): each one breaks exactly one field and knows the path the gateway must name, in the
 * protocol's form `data.persons[0].nationalities[1]`.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Schema {
  $ref?: string;
  $defs?: Record<string, Schema>;
  type?: string;
  properties?: Record<string, Schema | boolean>;
  required?: string[];
  allOf?: { if?: Schema; then?: Schema }[];
  oneOf?: Schema[];
  items?: Schema;
  enum?: Json[];
  const?: Json;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

type Segment = string | number;

export type MutationKind = 'drop-required' | 'wrong-type' | 'unknown-property' | 'out-of-range' | 'malformed';

export interface Mutation {
  kind: MutationKind;
  /** The path the gateway must name, e.g. `data.persons[0].nationalities[1]`. */
  path: string;
  /** What was done, for the counterexample fast-check prints. */
  description: string;
  apply(data: JsonObject): JsonObject;
}

/** The protocol's path of a field: `.name` for plain names, `["a b"]` for others, `[i]` in arrays. */
export function pathOf(segments: readonly Segment[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    return /^[A-Za-z_$][\w$]*$/.test(segment) ? `${path}.${segment}` : `${path}[${JSON.stringify(segment)}]`;
  }, 'data');
}

interface Site {
  segments: Segment[];
  schema: Schema;
  value: Json;
}

/** Every node of `data` with the (resolved) schema it must match, from the root down. */
function sitesOf(root: Schema, data: Json): Site[] {
  const resolve = (schema: Schema): Schema => {
    if (schema.$ref === undefined) return schema;
    const name = schema.$ref.replace('#/$defs/', '');
    const { $ref: _ref, ...rest } = schema;
    return { ...resolve(root.$defs![name]), ...rest };
  };
  const sites: Site[] = [];
  const visit = (schema: Schema, value: Json, segments: Segment[]) => {
    const resolved = resolve(schema);
    sites.push({ segments, schema: resolved, value });
    if (resolved.properties !== undefined && isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const property = resolved.properties[key];
        if (typeof property === 'object') visit(property, child, [...segments, key]);
      }
    }
    if (resolved.items !== undefined && Array.isArray(value)) {
      value.forEach((item, i) => visit(resolved.items!, item, [...segments, i]));
    }
  };
  visit(root, data, []);
  return sites;
}

const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The required properties of an object, including those an `if`/`then` makes required for this value. */
function requiredOf(schema: Schema, value: JsonObject): string[] {
  const conditional = (schema.allOf ?? []).flatMap(({ if: condition, then }) => {
    const holds = Object.entries(condition?.properties ?? {}).every(([key, rule]) => {
      if (typeof rule !== 'object' || !(key in value)) return false;
      if (rule.const !== undefined) return value[key] === rule.const;
      return rule.enum?.includes(value[key]) ?? true;
    });
    return holds ? (then?.required ?? []) : [];
  });
  return [...new Set([...(schema.required ?? []), ...conditional])];
}

const SAMPLES: Record<string, Json> = {
  string: 'text',
  number: 42.5,
  integer: 42,
  boolean: true,
  null: null,
  array: [],
  object: {},
};

/** The JSON types a schema node admits (a `oneOf` admits any of its branches' types). */
function typesOf(schema: Schema): string[] {
  if (schema.oneOf !== undefined) return [...new Set(schema.oneOf.flatMap(typesOf))];
  if (schema.type === undefined) return schema.enum?.map((v) => (v === null ? 'null' : typeof v)) ?? [];
  return schema.type === 'integer'
    ? ['integer']
    : schema.type === 'number'
      ? ['number', 'integer']
      : [schema.type];
}

/** Candidate malformed strings for a patterned or dated field; those that break its pattern or calendar are used. */
function malformedStrings(schema: Schema, value: string): string[] {
  const byFormat: Record<string, string[]> = {
    date: ['2026-02-30', '2026-13-01', '14/03/1998', '2026-1-5'],
    'date-time': ['2026-12-10 13:15:00', '2026-12-10T25:00:00Z', '2026-02-30T10:00:00Z', '2026-12-10'],
  };
  return [
    ...(byFormat[schema.format ?? ''] ?? []),
    ` ${value}`,
    `${value}\n`,
    value.toLowerCase(),
    `${value.slice(0, 1)} ${value.slice(1)}`,
    `${value}!`,
    value.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))), // fullwidth digits
    '??',
  ];
}

function violates(schema: Schema, value: string): boolean {
  if (schema.format === 'date' || schema.format === 'date-time') {
    const day = value.slice(0, 10);
    const parsed = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) return true;
  }
  return schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value);
}

/** Out-of-range or malformed replacements for the value at a site, by the keywords of its schema. */
function badValues(schema: Schema, value: Json): { kind: MutationKind; value: Json; why: string }[] {
  const out: { kind: MutationKind; value: Json; why: string }[] = [];
  if (schema.oneOf !== undefined && schema.oneOf.some((branch) => branch.const === 0)) {
    // A suppressible count: small cells, negatives, fractions and a suppression that suppresses nothing.
    for (const bad of [1, 7, 10, -11, 12.5, { suppressed: false }] as Json[])
      out.push({ kind: 'out-of-range', value: bad, why: `count ${JSON.stringify(bad)}` });
    return out;
  }
  if (typeof value === 'string') {
    if (schema.enum !== undefined) {
      for (const bad of [`${value}-x`, value.toLowerCase(), ` ${value}`, 'unknown'])
        if (!schema.enum.includes(bad))
          out.push({ kind: 'out-of-range', value: bad, why: `not in the enum: "${bad}"` });
    }
    if (schema.pattern !== undefined || schema.format !== undefined) {
      for (const bad of new Set(malformedStrings(schema, value).filter((c) => violates(schema, c))))
        out.push({ kind: 'malformed', value: bad, why: `malformed: ${JSON.stringify(bad)}` });
    }
    if ((schema.minLength ?? 0) > 0) out.push({ kind: 'out-of-range', value: '', why: 'empty string' });
    if (schema.maxLength !== undefined)
      out.push({
        kind: 'out-of-range',
        value: 'x'.repeat(schema.maxLength + 1),
        why: `longer than ${schema.maxLength}`,
      });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined)
      out.push({ kind: 'out-of-range', value: schema.minimum - 1, why: `below ${schema.minimum}` });
    if (schema.maximum !== undefined)
      out.push({ kind: 'out-of-range', value: schema.maximum + 1, why: `above ${schema.maximum}` });
    if (schema.type === 'integer')
      out.push({ kind: 'wrong-type', value: value + 0.5, why: 'not an integer' });
    // No implicit conversion: a number or a boolean sent as a string is refused.
    out.push({ kind: 'wrong-type', value: String(value), why: `the number as a string "${value}"` });
  }
  if (typeof value === 'boolean')
    out.push({ kind: 'wrong-type', value: String(value), why: `the boolean as a string "${value}"` });
  if (typeof value === 'boolean' && schema.const !== undefined)
    out.push({ kind: 'out-of-range', value: !value, why: `not ${JSON.stringify(schema.const)}` });
  if (Array.isArray(value)) {
    if ((schema.minItems ?? 0) > 0) out.push({ kind: 'out-of-range', value: [], why: 'empty array' });
    if (schema.maxItems !== undefined && value.length > 0)
      out.push({
        kind: 'out-of-range',
        value: Array.from({ length: schema.maxItems + 1 }, () => value[0]),
        why: `more than ${schema.maxItems} items`,
      });
    if (schema.uniqueItems === true && value.length > 0)
      out.push({ kind: 'out-of-range', value: [...value, value[0]], why: 'a repeated item' });
  }
  return out;
}

function replaced(
  data: JsonObject,
  segments: readonly Segment[],
  change: (parent: any, key: Segment) => void,
) {
  const copy = structuredClone(data);
  let parent: any = copy;
  for (const segment of segments.slice(0, -1)) parent = parent[segment];
  change(parent, segments[segments.length - 1]);
  return copy;
}

/** Names every object inherits (valueOf, toString, ...): class-transformer once let them through unseen. */
const PROTOTYPE_MEMBER_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

/**
 * A property name no schema defines: plain or odd, including those JSON.parse and class-transformer
 * treat specially. `__proto__`, `constructor` and `prototype` are left out: no JSON the gateway
 * reads may hold them, nor NUL or an unpaired surrogate (400 unacceptable-json, tested in
 * hostile-input.e2e-spec.ts), so they never reach the schema.
 */
const unknownPropertyName = (known: readonly string[]) =>
  fc
    .oneof(
      fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,15}$/),
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.constantFrom('photo', 'Nationalities', 'is_minor', 'persons ', '0', ...PROTOTYPE_MEMBER_NAMES),
    )
    .filter((name) => !known.includes(name) && !FORBIDDEN_KEYS.has(name) && storableText(name));

/**
 * Invalid mutations of `data` that its type's JSON Schema implies, each kind as likely as the others
 * (wrong types alone outnumber the rest many times over), and every site of a kind alike, whatever its depth.
 */
export function mutationOf(schema: object, data: Record<string, unknown>): fc.Arbitrary<Mutation> {
  const byKind = new Map<MutationKind, fc.Arbitrary<Mutation>[]>();
  const add = (kind: MutationKind, arbitrary: fc.Arbitrary<Mutation>) =>
    byKind.set(kind, [...(byKind.get(kind) ?? []), arbitrary]);

  for (const { segments, schema: node, value } of sitesOf(schema as Schema, data as Json)) {
    const path = pathOf(segments);
    const at = (kind: MutationKind, description: string, newValue: Json) =>
      add(
        kind,
        fc.constant(
          mutation(kind, path, `${path}: ${description}`, (d) =>
            replaced(d, segments, (parent, key) => (parent[key] = newValue)),
          ),
        ),
      );

    if (segments.length > 0) {
      const admitted = typesOf(node);
      for (const [type, sample] of Object.entries(SAMPLES)) {
        if (admitted.includes(type) || (type === 'integer' && admitted.includes('number'))) continue;
        if (type === 'number' && admitted.includes('integer')) continue; // 42.5 is tried as "not an integer"
        at('wrong-type', `${type} instead of ${admitted.join(' or ')}`, sample);
      }
      for (const bad of badValues(node, value)) at(bad.kind, bad.why, bad.value);
    }

    if (node.properties !== undefined && isObject(value)) {
      for (const key of requiredOf(node, value).filter((k) => k in value)) {
        const field = [...segments, key];
        add(
          'drop-required',
          fc.constant(
            mutation('drop-required', pathOf(field), `${pathOf(field)}: dropped`, (d) =>
              replaced(d, field, (parent, k) => delete parent[k]),
            ),
          ),
        );
      }
      const known = Object.keys(node.properties);
      add(
        'unknown-property',
        unknownPropertyName(known).map((name) =>
          mutation(
            'unknown-property',
            pathOf([...segments, name]),
            `${pathOf([...segments, name])}: added`,
            (d) =>
              segments.length === 0
                ? { ...structuredClone(d), [name]: 'unexpected' }
                : replaced(d, segments, (parent, k) => (parent[k] = { ...parent[k], [name]: 'unexpected' })),
          ),
        ),
      );
    }
  }
  return fc.oneof(...[...byKind.values()].map((arbitraries) => fc.oneof(...arbitraries)));
}

/** A mutation that fast-check prints by its description in a counterexample. */
function mutation(kind: MutationKind, path: string, description: string, apply: Mutation['apply']): Mutation {
  return { kind, path, description, apply, [fc.toStringMethod]: () => description } as Mutation;
}
