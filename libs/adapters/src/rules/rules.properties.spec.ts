import fc from 'fast-check';
import { isoDate, isLeapYear } from './dates';
import { v5 } from 'uuid';
import { messageId, MESSAGE_ID_NAMESPACE, uuidV5 } from './ids';
import { isMinorOn } from './minors';
import { scriptOf } from './names';
import { e164 } from './phones';
import { text } from './text';

const SEED = 20261207;
const options = { seed: SEED, numRuns: 500 };
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A real calendar day, 1900 to 2099, as numbers and as YYYY-MM-DD. */
const aDay = fc
  .record({
    year: fc.integer({ min: 1900, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
  })
  .filter(({ year, month, day }) => new Date(Date.UTC(year, month - 1, day)).getUTCMonth() === month - 1)
  .map((d) => ({ ...d, iso: `${d.year}-${pad(d.month)}-${pad(d.day)}` }));

describe('rule 4, dates', () => {
  it('reads every real day in every pattern, with or without leading zeros, and in the Buddhist era', () => {
    fc.assert(
      fc.property(aDay, fc.boolean(), ({ year, month, day, iso }, zeros) => {
        const dd = zeros ? pad(day) : String(day);
        const mm = zeros ? pad(month) : String(month);
        expect(isoDate(`${dd}/${mm}/${year}`, 'DD/MM/YYYY')).toBe(iso);
        expect(isoDate(`${dd}-${mm}-${year}`, 'DD-MM-YYYY')).toBe(iso);
        expect(isoDate(`${mm}/${dd}/${year}`, 'MM/DD/YYYY')).toBe(iso);
        expect(isoDate(`${year}-${mm}-${dd}`, 'YYYY-MM-DD')).toBe(iso);
        expect(isoDate(`${dd}/${mm}/${year + 543}`, 'DD/MM/YYYY', true)).toBe(iso);
        expect(isoDate(`${dd}/${mm}/${year + 543}`, 'DD/MM/BBBB')).toBe(iso);
      }),
      options,
    );
  });

  it('refuses days that do not exist: past the month’s end, 29 February outside leap years, month 13', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
        expect(isoDate(`${last}/${month}/${year}`, 'DD/MM/YYYY')).toBe(`${year}-${pad(month)}-${pad(last)}`);
        expect(isoDate(`${last + 1}/${month}/${year}`, 'DD/MM/YYYY')).toBeUndefined();
        expect(isoDate(`1/13/${year}`, 'DD/MM/YYYY')).toBeUndefined();
        expect(isoDate(`29/02/${year}`, 'DD/MM/YYYY') !== undefined).toBe(isLeapYear(year));
      }),
      options,
    );
    expect(isoDate('29/02/2567', 'DD/MM/YYYY', true)).toBe('2024-02-29');
    expect(isoDate('29/02/2566', 'DD/MM/YYYY', true)).toBeUndefined();
    expect(isoDate('1/1/26', 'DD/MM/YYYY')).toBeUndefined();
    expect(isoDate('01.01.2026', 'DD/MM/YYYY')).toBeUndefined();
  });
});

describe('rule 9, minors', () => {
  it('is under 18 exactly before the 18th birthday; 29 February turns 18 on 1 March in other years', () => {
    fc.assert(
      fc.property(aDay, fc.integer({ min: -400, max: 400 }), ({ year, month, day, iso }, offset) => {
        const adult = year + 18;
        const birthday =
          month === 2 && day === 29 && !isLeapYear(adult)
            ? `${adult}-03-01`
            : `${adult}-${pad(month)}-${pad(day)}`;
        const reference = new Date(Date.parse(`${birthday}T00:00:00Z`) + offset * 86_400_000)
          .toISOString()
          .slice(0, 10);
        expect(isMinorOn(iso, reference)).toBe(offset < 0);
      }),
      options,
    );
    expect(isMinorOn('2008-02-29', '2026-02-28')).toBe(true);
    expect(isMinorOn('2008-02-29', '2026-03-01')).toBe(false);
    expect(isMinorOn('2008-02-29', '2028-02-29')).toBe(false);
  });
});

describe('rule 8, phones', () => {
  const separators = fc.constantFrom(' ', '-', '.', '(', ')', '');
  /** A subscriber number of 8 to 10 digits, not starting with 0, with separators sprinkled in. */
  const subscriber = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 10 })
    .filter((d) => d[0] !== 0)
    .chain((digits) =>
      fc.array(separators, { minLength: digits.length, maxLength: digits.length }).map((seps) => ({
        digits: digits.join(''),
        written: digits.map((d, i) => `${d}${seps[i]}`).join(''),
      })),
    );

  it('writes every way of dialling the same number as one E.164 number', () => {
    fc.assert(
      fc.property(
        subscriber,
        fc.constantFrom('+855', '+66', '+60', '+63', '+62'),
        ({ digits, written }, code) => {
          const expected = `${code}${digits}`;
          expect(e164(`0${written}`, code)).toBe(expected);
          expect(e164(`00${code.slice(1)} ${written}`, code)).toBe(expected);
          expect(e164(`${code} ${written}`, code)).toBe(expected);
          if (!digits.startsWith('62')) expect(e164(written, code)).toBe(expected);
        },
      ),
      options,
    );
    expect(e164('0812-3456-7890', '+62', { indonesian: true })).toBe('+6281234567890');
    expect(e164('62812 3456 7890', '+62', { indonesian: true })).toBe('+6281234567890');
    expect(e164('8123 4567', '+65')).toBe('+6581234567');
    expect(e164('12', '+855')).toBeUndefined();
    expect(e164('+0123456789', '+855')).toBeUndefined();
  });
});

describe('rule 2, text', () => {
  it('trims, makes runs of white space one space and normalises to NFC', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        (words) => {
          const clean = words.map((w) => w.replace(/\s/gu, '')).filter((w) => w !== '');
          fc.pre(clean.length > 0);
          const spaced = `  ${clean.map((w) => w.normalize('NFD')).join(' \t\n ')}  `;
          expect(text(spaced)).toBe(clean.join(' ').normalize('NFC'));
        },
      ),
      options,
    );
    expect(text('   ')).toBeUndefined();
    expect(text(42)).toBe('42');
  });
});

describe('rule 7, scripts', () => {
  const letters: Record<string, string[]> = {
    Latn: ['A', 'z', 'é', 'Ş', 'ạ', 'ǅ'],
    Thai: ['ก', 'ข', 'ส', 'ห'],
    Laoo: ['ກ', 'ຂ', 'ສ'],
    Khmr: ['ក', 'ស', 'ហ'],
    Mymr: ['က', 'မ', 'အ'],
  };
  const marksAndDigits = ['1', '9', '\u0301', '\u17B6', '\u0E31', ' ', '-', '.'];

  it('names a name’s script when all its letters are of one, whatever the marks and digits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(letters)),
        fc.array(fc.oneof(fc.constant('L'), fc.constantFrom(...marksAndDigits)), {
          minLength: 1,
          maxLength: 12,
        }),
        (script, shape) => {
          fc.pre(shape.includes('L'));
          const name = shape
            .map((c, i) => (c === 'L' ? letters[script][i % letters[script].length] : c))
            .join('');
          expect(scriptOf(name)).toBe(script);
        },
      ),
      options,
    );
  });

  it('names none for mixed scripts, other scripts, or no letter', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(letters)),
        fc.constantFrom(...Object.keys(letters)),
        (a, b) => {
          fc.pre(a !== b);
          expect(scriptOf(`${letters[a][0]} ${letters[b][0]}`)).toBeUndefined();
        },
      ),
      options,
    );
    expect(scriptOf('Ивана')).toBeUndefined();
    expect(scriptOf('12-34')).toBeUndefined();
    expect(scriptOf('A×B')).toBe('Latn');
  });
});

describe('rule 10, ids', () => {
  it('computes RFC 9562 UUID v5 as the uuid library does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.uuid(), (name, namespace) => {
        expect(uuidV5(name, namespace)).toBe(v5(name, namespace));
      }),
      options,
    );
    expect(uuidV5('KH/x/Y', MESSAGE_ID_NAMESPACE)).toBe(v5('KH/x/Y', MESSAGE_ID_NAMESPACE));
  });

  it('gives the same record the same UUID v5 on every run, and others another', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z0-9][A-Z0-9./-]{0,20}$/),
        fc.stringMatching(/^[A-Z0-9][A-Z0-9./-]{0,20}$/),
        (a, b) => {
          const id = messageId('KH', 'org.asean.rdx.victim-identification-notification.v1', a);
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          expect(messageId('KH', 'org.asean.rdx.victim-identification-notification.v1', a)).toBe(id);
          expect(messageId('KH', 'org.asean.rdx.victim-identification-notification.v1', b) === id).toBe(
            a === b,
          );
        },
      ),
      options,
    );
  });
});
