import { ProblemName, RdxError } from '@rdx/errors';

/**
 * What any JSON the gateway reads may hold: a request body, or the payload of a signed message,
 * acknowledgement or bearer token. No body or message type comes near these; they bound the work
 * any input can cause before a validator walks it.
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
 * Parses JSON bytes, refusing (an {@link RdxError}) what is not UTF-8 or not JSON with the
 * problem `malformed`, and what is JSON but outside {@link JSON_LIMITS}, uses a
 * {@link FORBIDDEN_KEYS} key at any depth, holds a number that is not finite or not a safe
 * integer, or a string with NUL or an unpaired surrogate, with `unacceptable-json` naming the
 * place. The nesting is counted on the raw bytes before anything is parsed.
 *
 * @example parseBoundedJson(Buffer.from('{"status":"suspended"}'), 'bad-request', 'the body')
 */
export function parseBoundedJson(bytes: Uint8Array, malformed: ProblemName, what: string): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new RdxError(malformed, `${what} is not valid UTF-8`);
  }
  refuseDeepNesting(bytes, what);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RdxError(malformed, `${what} is not valid JSON: ${(error as Error).message}`);
  }
  checkValue(value, '', what);
  return value;
}

/** Counts the nesting of `[` and `{` outside strings, on the bytes, before any parser recurses. */
function refuseDeepNesting(body: Uint8Array, what: string): void {
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
          `${what} nests objects and arrays deeper than ${JSON_LIMITS.depth} levels`,
        );
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
}

/** Walks a parsed value (its depth already bounded) for forbidden keys and values past the limits. */
function checkValue(value: unknown, path: string, what: string): void {
  if (typeof value === 'string') {
    if (value.length > JSON_LIMITS.stringLength) {
      refuse(path, what, `is a string longer than ${JSON_LIMITS.stringLength} characters`);
    }
    if (!storableText(value)) refuse(path, what, 'holds a NUL character or an unpaired surrogate');
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse(path, what, 'is a number too large to represent');
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      refuse(path, what, 'is an integer beyond ±(2^53 - 1), which JSON parsers cannot all represent exactly');
    }
  } else if (Array.isArray(value)) {
    if (value.length > JSON_LIMITS.arrayItems) {
      refuse(path, what, `is an array of more than ${JSON_LIMITS.arrayItems} items`);
    }
    for (let i = 0; i < value.length; i++) checkValue(value[i], `${path}[${i}]`, what);
  } else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length > JSON_LIMITS.objectKeys) {
      refuse(path, what, `is an object of more than ${JSON_LIMITS.objectKeys} members`);
    }
    for (const key of keys) {
      const at = path === '' ? key : `${path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) refuse(at, what, `is the key "${key}", which is not allowed at any depth`);
      if (key.length > JSON_LIMITS.stringLength) {
        refuse(path, what, `has a key longer than ${JSON_LIMITS.stringLength} characters`);
      }
      if (!storableText(key)) refuse(path, what, 'has a key with a NUL character or an unpaired surrogate');
      checkValue((value as Record<string, unknown>)[key], at, what);
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

function refuse(path: string, what: string, problem: string): never {
  const where = path === '' ? what : `the member ${printable(path)} of ${what}`;
  throw new RdxError('unacceptable-json', `${where} ${problem}`, {
    errors: [{ path: printable(path), message: problem }],
  });
}

/** A path as it may appear in a problem: bounded, and without control characters. */
function printable(path: string): string {
  const clean = path.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
}
