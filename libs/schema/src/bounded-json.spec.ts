import { RdxError } from '@rdx/errors';
import { JSON_LIMITS, parseBoundedJson } from './bounded-json';

const parse = (text: string | Buffer) =>
  parseBoundedJson(Buffer.isBuffer(text) ? text : Buffer.from(text), 'bad-request', 'the body');
const refusal = (text: string | Buffer) => {
  try {
    parse(text);
  } catch (error) {
    return { problem: (error as RdxError).problem, detail: (error as RdxError).detail };
  }
  throw new Error('accepted');
};

describe('parseBoundedJson', () => {
  it('parses JSON within the limits', () => {
    expect(parse('{"status":"suspended","n":[1,2.5,-3],"ok":true}')).toEqual({
      status: 'suspended',
      n: [1, 2.5, -3],
      ok: true,
    });
    expect(refusal('').problem).toBe('bad-request');
    expect(parse('['.repeat(JSON_LIMITS.depth) + ']'.repeat(JSON_LIMITS.depth))).toBeDefined();
  });

  it('refuses nesting past the limit wherever it is, naming where, and brackets in strings are text', () => {
    expect(refusal('['.repeat(100000) + ']'.repeat(100000))).toMatchObject({
      problem: 'unacceptable-json',
      detail: expect.stringContaining(`deeper than ${JSON_LIMITS.depth} levels`),
    });
    const deep = refusal(`{"a":[${'{"b":'.repeat(40)}1${'}'.repeat(40)}]}`);
    expect(deep.detail).toContain('the member a[0].b.b');
    const quoted = `{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`;
    expect(parse(quoted)).toEqual({ a: `${'['.repeat(100)}"${'{'.repeat(100)}` });
  });

  it('refuses forbidden keys at any depth, naming where', () => {
    expect(refusal('{"a":[{"__proto__":1}]}').detail).toContain('a[0].__proto__');
    expect(refusal('{"constructor":{}}').problem).toBe('unacceptable-json');
    expect(refusal('[[{"prototype":null}]]').detail).toContain('[0][0].prototype');
  });

  it('refuses numbers that are not finite or not safe integers, and keeps fractions', () => {
    expect(refusal('[1e309]').detail).toContain('[0]');
    expect(refusal('{"n":9007199254740992}').problem).toBe('unacceptable-json');
    expect(parse('{"n":9007199254740991,"f":0.1,"e":1e-300}')).toEqual({
      n: 9007199254740991,
      f: 0.1,
      e: 1e-300,
    });
  });

  it('refuses strings, keys, arrays and objects past their limits', () => {
    const n = JSON_LIMITS.stringLength;
    expect(parse(JSON.stringify({ s: 'x'.repeat(n) }))).toBeDefined();
    expect(refusal(JSON.stringify({ s: 'x'.repeat(n + 1) })).detail).toContain('the member s of the body');
    expect(refusal(JSON.stringify({ ['k'.repeat(n + 1)]: 1 })).problem).toBe('unacceptable-json');
    expect(refusal(JSON.stringify(new Array(JSON_LIMITS.arrayItems + 1).fill(0))).detail).toContain(
      'the body is an array',
    );
    const wide = Object.fromEntries(
      Array.from({ length: JSON_LIMITS.objectKeys + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(refusal(JSON.stringify(wide)).problem).toBe('unacceptable-json');
  });

  it('refuses NUL and unpaired surrogates, in values and keys', () => {
    expect(refusal('{"a":"x\\u0000"}').problem).toBe('unacceptable-json');
    expect(refusal('{"a":"\\udc00"}').problem).toBe('unacceptable-json');
    expect(refusal('{"\\ud800":1}').problem).toBe('unacceptable-json');
    expect(parse('{"a":"\\ud83d\\ude00 Phnom Penh"}')).toEqual({ a: '😀 Phnom Penh' });
  });

  it('refuses what is not UTF-8 or not JSON as bad-request', () => {
    expect(refusal(Buffer.from([0x22, 0xc3, 0x28, 0x22]))).toEqual({
      problem: 'bad-request',
      detail: 'the body is not valid UTF-8',
    });
    expect(() => parseBoundedJson(Buffer.from('[1,'), 'malformed-message', 'the JWS payload')).toThrow(
      expect.objectContaining({
        problem: 'malformed-message',
        detail: expect.stringMatching(/^the JWS payload /),
      }),
    );
    expect(refusal('{"a":').problem).toBe('bad-request');
    expect(refusal('{"a":1}garbage').problem).toBe('bad-request');
  });

  it('keeps control characters out of the paths it reports', () => {
    const error = refusal('{"a\\n\\u001b[31m":{"__proto__":1}}');
    expect(error.detail).not.toMatch(/[\n\u001b]/);
  });
});
