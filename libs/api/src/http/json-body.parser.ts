import { RdxError } from '@rdx/errors';

/**
 * What a JSON body may hold, whatever the route. No body the API takes comes near these; they
 * bound the work any request can cause before a validator sees it.
 */
export const JSON_LIMITS = {
  /** Levels of objects and arrays, the body itself being the first. */
  depth: 32,
  /** Characters in any string, keys included. */
  stringLength: 8192,
  /** Items in any array. */
  arrayItems: 1000,
  /** Members of any object. */
  objectKeys: 200,
} as const;

/** Keys that reach an object's prototype when code copies or merges plain objects. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Parses a JSON request body, refusing (400) what is not UTF-8 or not JSON (`bad-request`) and
 * what is JSON but outside {@link JSON_LIMITS}, uses a {@link FORBIDDEN_KEYS} key at any depth, or
 * holds a number that is not a safe integer or finite (`unacceptable-json`). The nesting is
 * counted on the raw text before anything is parsed.
 *
 * @example parseJsonBody(Buffer.from('{"status":"suspended"}')) // { status: 'suspended' }
 */
export function parseJsonBody(body: Buffer): unknown {
  // No body at all: a route that needs one says so when it validates.
  if (body.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new RdxError('bad-request', 'the body is not valid UTF-8');
  }
  refuseDeepNesting(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RdxError('bad-request', `the body is not valid JSON: ${(error as Error).message}`);
  }
  checkValue(value, '');
  return value;
}

/** Counts the nesting of `[` and `{` outside strings, on the bytes, before any parser recurses. */
function refuseDeepNesting(body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > JSON_LIMITS.depth) {
        throw new RdxError(
          'unacceptable-json',
          `the body nests objects and arrays deeper than ${JSON_LIMITS.depth} levels`,
        );
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
}

/** Walks a parsed value (its depth already bounded) for forbidden keys and values past the limits. */
function checkValue(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.length > JSON_LIMITS.stringLength) {
      refuse(path, `is a string longer than ${JSON_LIMITS.stringLength} characters`);
    }
    if (!storableText(value)) refuse(path, 'holds a NUL character or an unpaired surrogate');
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse(path, 'is a number too large to represent');
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      refuse(path, 'is an integer beyond ±(2^53 - 1), which JSON parsers cannot all represent exactly');
    }
  } else if (Array.isArray(value)) {
    if (value.length > JSON_LIMITS.arrayItems) {
      refuse(path, `is an array of more than ${JSON_LIMITS.arrayItems} items`);
    }
    for (let i = 0; i < value.length; i++) checkValue(value[i], `${path}[${i}]`);
  } else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length > JSON_LIMITS.objectKeys) {
      refuse(path, `is an object of more than ${JSON_LIMITS.objectKeys} members`);
    }
    for (const key of keys) {
      const at = path === '' ? key : `${path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) refuse(at, `is the key "${key}", which is not allowed at any depth`);
      if (key.length > JSON_LIMITS.stringLength) {
        refuse(path, `has a key longer than ${JSON_LIMITS.stringLength} characters`);
      }
      if (!storableText(key)) refuse(path, 'has a key with a NUL character or an unpaired surrogate');
      checkValue((value as Record<string, unknown>)[key], at);
    }
  }
}

/**
 * Whether a string can be stored and passed on as UTF-8 text: PostgreSQL refuses NUL in text and
 * jsonb, and an unpaired surrogate has no UTF-8 form at all.
 */
export function storableText(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed();
}

function refuse(path: string, what: string): never {
  const where = path === '' ? 'the body' : `the member ${printable(path)}`;
  throw new RdxError('unacceptable-json', `${where} ${what}`, {
    errors: [{ path: printable(path), message: what }],
  });
}

/** A path as it may appear in a problem: bounded, and without control characters. */
function printable(path: string): string {
  const clean = path.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
}
