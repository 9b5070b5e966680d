import { canonicalize } from './jcs';

describe('canonicalize (RFC 8785)', () => {
  it('sorts members by UTF-16 code units and drops no characters', () => {
    expect(canonicalize({ b: [1, 'x'], a: { d: null, c: true }, '€': 'ក', '\u0080': 0 })).toBe(
      '{"a":{"c":true,"d":null},"b":[1,"x"],"\u0080":0,"€":"ក"}',
    );
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalize({ n: Number.NaN })).toThrow(TypeError);
  });
});
