/** Rule 7's scripts, by code point ranges. */
const SCRIPTS: [string, [number, number][]][] = [
  [
    'Latn',
    [
      [0x41, 0x5a],
      [0x61, 0x7a],
      [0xc0, 0xd6],
      [0xd8, 0xf6],
      [0xf8, 0x24f],
      [0x1e00, 0x1eff],
    ],
  ],
  ['Thai', [[0xe00, 0xe7f]]],
  ['Laoo', [[0xe80, 0xeff]]],
  [
    'Khmr',
    [
      [0x1780, 0x17ff],
      [0x19e0, 0x19ff],
    ],
  ],
  [
    'Mymr',
    [
      [0x1000, 0x109f],
      [0xa9e0, 0xa9ff],
      [0xaa60, 0xaa7f],
    ],
  ],
];

/** Each script's letters as one regular expression, and any letter: the engine walks the name, not JavaScript. */
const SCRIPT_PATTERNS = SCRIPTS.map(([script, ranges]) => {
  const set = ranges.map(([from, to]) => `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`).join('');
  return [script, new RegExp(`^(?:[${set}]|[^\\p{L}])*$`, 'u')] as const;
});
const HAS_LETTER = /\p{L}/u;

/**
 * Rule 7: the script of a name when all its letters belong to one of the scripts listed, else
 * undefined (mixed, another script, or no letter at all). Marks and digits do not count. A
 * letter here is what Unicode calls a letter (`\p{L}`); a script's own vowel signs are marks.
 */
export function scriptOf(name: string): string | undefined {
  if (!HAS_LETTER.test(name)) return undefined;
  return SCRIPT_PATTERNS.find(([, pattern]) => pattern.test(name))?.[0];
}

/** A name of a person as the schema has it. */
export interface PersonName {
  value: string;
  script?: string;
  kind?: 'alias';
}

/** A name value with its script worked out, an alias if it comes from an alias field. */
export function personName(value: string, alias = false): PersonName {
  const script = scriptOf(value);
  return { value, ...(script === undefined ? {} : { script }), ...(alias ? { kind: 'alias' as const } : {}) };
}
