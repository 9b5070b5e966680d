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

/**
 * Parses JSON bytes, refusing (an {@link RdxError}) what is not UTF-8 or not JSON with the
 * problem `malformed`, and what is JSON but outside {@link JSON_LIMITS}, uses a
 * {@link FORBIDDEN_KEYS} key at any depth, holds a number that is not finite or not a safe
 * integer, or a string with NUL or an unpaired surrogate, with `unacceptable-json` naming the
 * place. V8's `JSON.parse` does not recurse, so any nesting parses; the check that follows stops
 * at the first level past the limit, before any validator walks the value.
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RdxError(malformed, `${what} is not valid JSON: ${(error as Error).message}`);
  }
  new BoundsCheck(what).check(value, 0);
  return value;
}

/** One walk over a parsed value; the path of the member it is at is kept as segments, joined only to refuse. */
class BoundsCheck {
  private readonly path: (string | number)[] = [];

  constructor(private readonly what: string) {}

  check(value: unknown, depth: number): void {
    if (typeof value === 'string') {
      if (value.length > JSON_LIMITS.stringLength) {
        this.refuse(`is a string longer than ${JSON_LIMITS.stringLength} characters`);
      }
      if (!storableText(value)) this.refuse('holds a NUL character or an unpaired surrogate');
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) this.refuse('is a number too large to represent');
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        this.refuse('is an integer beyond ±(2^53 - 1), which JSON parsers cannot all represent exactly');
      }
    } else if (typeof value === 'object' && value !== null) {
      if (depth === JSON_LIMITS.depth) {
        this.refuse(`nests objects and arrays deeper than ${JSON_LIMITS.depth} levels`);
      }
      if (Array.isArray(value)) this.checkArray(value, depth + 1);
      else this.checkObject(value as Record<string, unknown>, depth + 1);
    }
  }

  private checkArray(array: unknown[], depth: number): void {
    if (array.length > JSON_LIMITS.arrayItems) {
      this.refuse(`is an array of more than ${JSON_LIMITS.arrayItems} items`);
    }
    for (let i = 0; i < array.length; i++) {
      this.path.push(i);
      this.check(array[i], depth);
      this.path.pop();
    }
  }

  private checkObject(object: Record<string, unknown>, depth: number): void {
    const keys = Object.keys(object);
    if (keys.length > JSON_LIMITS.objectKeys) {
      this.refuse(`is an object of more than ${JSON_LIMITS.objectKeys} members`);
    }
    for (const key of keys) {
      if (key.length > JSON_LIMITS.stringLength) {
        this.refuse(`has a key longer than ${JSON_LIMITS.stringLength} characters`);
      }
      if (!storableText(key)) this.refuse('has a key with a NUL character or an unpaired surrogate');
      this.path.push(key);
      if (FORBIDDEN_KEYS.has(key)) this.refuse(`is the key "${key}", which is not allowed at any depth`);
      this.check(object[key], depth);
      this.path.pop();
    }
  }

  private refuse(problem: string): never {
    const path = printable(
      this.path
        .map((segment, i) =>
          typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`,
        )
        .join(''),
    );
    const where = path === '' ? this.what : `the member ${path} of ${this.what}`;
    throw new RdxError('unacceptable-json', `${where} ${problem}`, { errors: [{ path, message: problem }] });
  }
}

/**
 * Whether a string can be stored and passed on as UTF-8 text: PostgreSQL refuses NUL in text and
 * jsonb, and an unpaired surrogate has no UTF-8 form at all.
 */
export function storableText(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed();
}

/** A path as it may appear in a problem: bounded, and without control characters. */
function printable(path: string): string {
  const clean = path.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
}
