import fc from 'fast-check';
import { ApiOperation, JsonSchema } from './api-operations';

/** One generated request: what a hostile or careless client might send to an operation. */
export interface HostileRequest {
  method: string;
  /** Path values by parameter name, and whether each goes on the wire as it is. */
  segments: Record<string, { value: string; raw: boolean }>;
  query: string;
  body: string | Uint8Array | undefined;
  contentType: string | undefined;
  caller: Caller;
  headers: Record<string, string>;
}

export type Caller =
  'none' | 'admin' | 'auditor' | 'participant' | 'participant-wrong-audience' | { authorization: string };

const GARBAGE_AUTHORIZATION = [
  'Bearer',
  'Bearer ',
  'Bearer x.y.z',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJLSC5DTlAifQ.',
  'Basic YWRtaW46YWRtaW4=',
  `Bearer ${'a'.repeat(6000)}`,
  'bearer\tabc',
];

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const nestedObjects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** JSON text that parses but that no route should take, or that strains a parser. */
export const HOSTILE_FRAGMENTS = [
  nested(33),
  nested(3000),
  `{"a":${nested(40)}}`,
  nestedObjects(33),
  nestedObjects(5000),
  `[${nestedObjects(2000)}]`,
  nested(10000),
  '1e400',
  '-1e999',
  '9007199254740993',
  '-0',
  '5e-324',
  '1.7976931348623157e308',
  '"\\u0000"',
  '"\\ud800"',
  '"\\udfff\\ud800"',
  `"${'x'.repeat(9000)}"`,
  `[${'0,'.repeat(1500)}0]`,
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"prototype":1}',
  '"\'; DROP TABLE participants; --"',
  '"<script>alert(1)</script>"',
  '"\\u202e\\u0000\\ufeff"',
  '"KH.CNP\\n"',
  'null',
  'true',
  '[]',
  '{}',
  '""',
];

/** A value shaped by a JSON Schema, from its examples or its types: a body the route might take. */
export function sampleOf(schema: JsonSchema | undefined): unknown {
  if (schema === undefined) return {};
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([k, v]) => [
          k,
          sampleOf(v),
        ]),
      );
    case 'array':
      return [sampleOf(schema.items)];
    case 'string':
      return schema.format === 'date-time' ? new Date(Date.now() + 86400000).toISOString() : 'x';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      return schema.properties !== undefined ? sampleOf({ ...schema, type: 'object' }) : {};
  }
}

const MARK = '\u0001fragment\u0001';
const fragment = fc.constantFrom(...HOSTILE_FRAGMENTS);

/** A schema-shaped body with one member changed into something hostile, as JSON text. */
function mutatedSample(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  const sample = sampleOf(schema);
  const keys = typeof sample === 'object' && sample !== null ? Object.keys(sample) : [];
  const key = fc.oneof(
    fc.constantFrom(...(keys.length > 0 ? keys : ['x'])),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'status', 'role', 'jwk', 'delivery'),
    fc.string({ maxLength: 12 }),
  );
  const value = fc.oneof(
    { arbitrary: fragment.map((f) => ({ raw: f })), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ json: v })), weight: 1 },
  );
  return fc.tuple(key, value, fc.boolean()).map(([k, v, nestIt]) => {
    const body: Record<string, unknown> =
      typeof sample === 'object' && sample !== null && !Array.isArray(sample)
        ? { ...(sample as object) }
        : {};
    const target =
      nestIt && typeof body[keys[0]] === 'object' && body[keys[0]] !== null ? keys[0] : undefined;
    const put = 'raw' in v ? MARK : v.json;
    if (target !== undefined) body[target] = { ...(body[target] as object), [k]: put };
    else Object.defineProperty(body, k, { value: put, enumerable: true, writable: true, configurable: true });
    return JSON.stringify(body).replace(JSON.stringify(MARK), 'raw' in v ? v.raw : 'null');
  });
}

/** Bodies from well-formed to hostile: schema-shaped and mutated, any JSON, raw bytes, none. */
export function bodies(
  operation: ApiOperation,
  bodyLimit: number,
): fc.Arbitrary<string | Uint8Array | undefined> {
  return fc.oneof(
    { arbitrary: mutatedSample(operation.bodySchema), weight: 5 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'), weight: 2 },
    { arbitrary: fragment, weight: 2 },
    { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.constant(`{"x":"${'y'.repeat(bodyLimit)}"}`), weight: 1 },
  );
}

const asciiText = (maxLength: number) =>
  fc.string({ unit: 'binary-ascii', maxLength }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, ''));

/** Path values: the known identifiers of the world under test, and hostile ones. */
function segment(known: string[]): fc.Arbitrary<{ value: string; raw: boolean }> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...known).map((value) => ({ value, raw: false })), weight: 4 },
    {
      arbitrary: fc
        .oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 120 }))
        .filter((s) => s.length > 0 && s.isWellFormed())
        .map((value) => ({ value, raw: false })),
      weight: 3,
    },
    {
      arbitrary: fc
        .constantFrom('%00', '%E0%A4%A', '%zz', '..', '%2e%2e', 'KH.CNP%00', '%C0%AF', 'a'.repeat(150))
        .map((value) => ({ value, raw: true })),
      weight: 2,
    },
  );
}

/** A query string over the operation's parameters and others, with hostile names and values. */
function queries(operation: ApiOperation): fc.Arbitrary<string> {
  const name = fc.oneof(
    fc.constantFrom(...(operation.queryParams.length > 0 ? operation.queryParams : ['limit'])),
    fc.constantFrom('__proto__', 'constructor', 'prototype', '__proto__[x]', 'a[b]', 'after.x'),
    fc.string({ maxLength: 10 }).filter((s) => s.isWellFormed()),
  );
  const value = fc.oneof(
    fc.constantFrom(
      '1e400',
      '99999999999999999999',
      '-1',
      '0',
      '1',
      '500',
      '501',
      'NaN',
      'Infinity',
      '0x10',
      '1.5',
    ),
    fc.constantFrom(
      '',
      'null',
      '[]',
      '{}',
      'pending',
      'failed',
      '2026-01-01T00:00:00Z',
      'KH.CNP',
      '9'.repeat(3000),
    ),
    fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => s.isWellFormed()),
  );
  return fc
    .array(fc.tuple(name, value, fc.boolean()), { maxLength: 5 })
    .map((pairs) =>
      pairs.length === 0
        ? ''
        : '?' +
          pairs
            .map(
              ([k, v, raw]) =>
                `${encodeURIComponent(k)}=${raw ? v.replace(/[^\x21-\x7e]/g, '') : encodeURIComponent(v)}`,
            )
            .join('&'),
    );
}

/**
 * Every kind of request a hostile client could send to `operation`. Most requests are well formed
 * but for one part (the body, the query, a path segment, the media type, the credentials, the
 * headers or the method), so that each part's refusal is reached behind the others; some are
 * hostile throughout.
 */
export function hostileRequests(
  operation: ApiOperation,
  known: (param: string) => string[],
  bodyLimit: number,
): fc.Arbitrary<HostileRequest> {
  const parts = {
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
    segments: fc.record(Object.fromEntries(operation.pathParams.map((p) => [p, segment(known(p))]))),
    query: queries(operation),
    body: bodies(operation, bodyLimit),
    contentType: fc.oneof(
      fc.constantFrom(
        undefined,
        'application/json',
        'application/jose',
        'text/plain',
        'application/json; charset=utf-16',
        'application/problem+json',
        'multipart/form-data; boundary=zz',
        'application/x-www-form-urlencoded',
        '',
        ';;;',
      ),
      asciiText(60),
    ),
    caller: fc.oneof(
      fc.constantFrom<Caller>('none', 'admin', 'auditor', 'participant', 'participant-wrong-audience'),
      fc.constantFrom(...GARBAGE_AUTHORIZATION).map((authorization): Caller => ({ authorization })),
    ),
    headers: fc.dictionary(
      fc.constantFrom(
        'accept',
        'accept-encoding',
        'x-forwarded-for',
        'x-request-id',
        'content-encoding',
        'if-none-match',
      ),
      asciiText(200),
      { minKeys: 1, maxKeys: 3 },
    ),
  };
  const wellFormed = fc.record({
    method: fc.constant(operation.method),
    segments: fc.record(
      Object.fromEntries(
        operation.pathParams.map((p) => [
          p,
          fc.constantFrom(...known(p)).map((value) => ({ value, raw: false })),
        ]),
      ),
    ),
    query: fc.constant(''),
    body: fc.constant(
      operation.bodyTypes.includes('application/json')
        ? JSON.stringify(sampleOf(operation.bodySchema))
        : undefined,
    ),
    contentType: fc.constant(operation.bodyTypes[0]),
    caller: fc.constant<Caller>(
      operation.caller === 'admin' ? 'admin' : operation.caller === 'participant' ? 'participant' : 'none',
    ),
    headers: fc.constant({}),
  });
  const oneHostilePart = (Object.keys(parts) as (keyof typeof parts)[]).map((part) => ({
    arbitrary: fc
      .tuple(wellFormed, parts[part] as fc.Arbitrary<unknown>)
      .map(([request, value]) => ({ ...request, [part]: value }) as HostileRequest),
    weight: part === 'body' ? 6 : part === 'query' || part === 'segments' ? 2 : 1,
  }));
  return fc.oneof(...oneHostilePart, { arbitrary: fc.record(parts), weight: 2 });
}
