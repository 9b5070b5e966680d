import type { Provenance } from './message-builder';
import { Booleans, CodeTable, listOf, RecordCheck } from './record-check';
import { isMinorOn } from './rules/minors';
import { personName, PersonName } from './rules/names';
import { text } from './rules/text';
import { caseReference } from './victim-notification';

type JsonObject = Readonly<Record<string, unknown>>;

/** What a value is read as, and so the reason when it has the wrong JSON type. */
type Kind = 'text' | 'code' | 'date' | 'phone' | 'reference' | 'language' | 'boolean';
const WRONG_TYPE: Record<Kind, string> = {
  text: 'invalid value',
  code: 'unknown code',
  date: 'invalid date',
  phone: 'invalid phone',
  reference: 'invalid reference',
  language: 'invalid language',
  boolean: 'unknown code',
};
/** A value of the wrong JSON type, already reported. */
const WRONG = Symbol('wrong JSON type');

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a JSON value holds something: not absent, `null`, blank text, `[]` or `{}`. */
export function present(raw: unknown): boolean {
  if (raw === undefined || raw === null) return false;
  if (typeof raw === 'string') return text(raw) !== undefined;
  if (Array.isArray(raw)) return raw.length > 0;
  if (isObject(raw)) return Object.keys(raw).length > 0;
  return true;
}

/** `a.b`, `a[0]`: a path below another, either of them possibly empty. */
function join(base: string, sub: string): string {
  if (base === '') return sub;
  if (sub === '') return base;
  return sub.startsWith('[') ? `${base}${sub}` : `${base}.${sub}`;
}

/**
 * One JSON object of a record, read key by key under the common rules. Each problem names the
 * key by its JSON path in the record (`mangsa[1].jantina`, FORMATS.md section 1); each value read
 * into the message's `data` at `target` (relative to this object's own place in `data`) is
 * recorded in the {@link Provenance}, so that the schema's limits are reported on the key too.
 * A value of the wrong JSON type (an object where text is expected, a boolean where a date is) is
 * a problem, never silently dropped; a JSON number where text is expected is its decimal text.
 */
export class JsonFields {
  private constructor(
    readonly check: RecordCheck,
    private readonly provenance: Provenance,
    private readonly object: JsonObject | undefined,
    /** This object's JSON path in the record; '' for the record itself. */
    readonly path: string,
    /** This object's path in the message's `data`. */
    private readonly target: string,
  ) {}

  /** The record itself: one element of the top-level array (anything but an object holds no key). */
  static record(check: RecordCheck, provenance: Provenance, value: unknown): JsonFields {
    return new JsonFields(check, provenance, isObject(value) ? value : undefined, '', '');
  }

  /** The same object, its values going to `target` below this one's place in `data`. */
  into(target: string): JsonFields {
    return new JsonFields(this.check, this.provenance, this.object, this.path, join(this.target, target));
  }

  /** The JSON path of a key of this object. */
  field(key: string): string {
    return join(this.path, key);
  }

  /** Whether any of these keys holds something. */
  given(...keys: string[]): boolean {
    return keys.some((key) => present(this.object?.[key]));
  }

  /** Records that `target` of `data` comes from `key`. */
  from(key: string, target: string): void {
    this.provenance.set(join(this.target, target), this.check.record, this.field(key));
  }

  /** The raw value of a key: text, a number, a boolean if asked, else undefined or reported. */
  private scalar(key: string, kind: Kind, target: string | undefined): unknown {
    if (target !== undefined) this.from(key, target);
    const raw = this.object?.[key];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === 'string' || typeof raw === 'number') return raw;
    if (typeof raw === 'boolean' && kind === 'boolean') return raw;
    this.check.problem(this.field(key), `${WRONG_TYPE[kind]} ${JSON.stringify(raw)}`);
    return WRONG;
  }

  /** Rule 10: the national reference (`caseRef` is `CC-` and it). */
  reference(key: string, country: string): string | undefined {
    const raw = this.scalar(key, 'reference', 'caseRef');
    return raw === WRONG ? undefined : caseReference(this.check, this.field(key), raw, country);
  }

  /** Rules 2 and 3: text, `missing` when required and absent. */
  text(key: string, target: string | undefined, required = false): string | undefined {
    const raw = this.scalar(key, 'text', target);
    return raw === WRONG ? undefined : this.check.text(this.field(key), raw, required);
  }

  /** Rule 4: a date in the format's pattern, as `YYYY-MM-DD`. */
  date(key: string, target: string | undefined, pattern: string, required = false): string | undefined {
    const raw = this.scalar(key, 'date', target);
    return raw === WRONG ? undefined : this.check.date(this.field(key), raw, pattern, required);
  }

  /** Rule 5: one code of a table. */
  code<V extends string>(key: string, target: string | undefined, table: CodeTable<V>, required = false) {
    const raw = this.scalar(key, 'code', target);
    return raw === WRONG ? undefined : this.check.code(this.field(key), raw, table, required);
  }

  /** Rule 11: one of the format's true or false values. */
  boolean(key: string, target: string | undefined, booleans: Booleans, required = false) {
    const raw = this.scalar(key, 'boolean', target);
    return raw === WRONG ? undefined : this.check.boolean(this.field(key), raw, booleans, required);
  }

  /** Rule 8: a phone number in E.164 (`indonesian`: a number that begins with 62 only gets the `+`). */
  phone(key: string, target: string, callingCode: string, indonesian = false): string | undefined {
    const raw = this.scalar(key, 'phone', target);
    return raw === WRONG ? undefined : this.check.phone(this.field(key), raw, callingCode, indonesian);
  }

  /** Rule 6: one country code, alpha-2 or alpha-3 as the format says, an ASEAN member if asked. */
  country(key: string, target: string, options: Parameters<RecordCheck['country']>[2]) {
    const raw = this.scalar(key, 'code', target);
    return raw === WRONG ? undefined : this.check.country(this.field(key), raw, options);
  }

  /**
   * A list of plain values: an array (a single value is a list of one), its blank items dropped;
   * a problem with one item is reported on the list's key. `missing` when required and empty.
   */
  private values(key: string, kind: Kind, target: string, required: boolean): unknown[] {
    this.from(key, target);
    const raw = this.object?.[key];
    if (isObject(raw)) {
      this.check.problem(this.field(key), `${WRONG_TYPE[kind]} ${JSON.stringify(raw)}`);
      return [];
    }
    const items = listOf(raw).filter((item) => item !== null && (typeof item !== 'string' || present(item)));
    if (items.length === 0 && required) this.check.problem(this.field(key), 'missing');
    return items.filter((item) => {
      if (typeof item === 'string' || typeof item === 'number') return true;
      this.check.problem(this.field(key), `${WRONG_TYPE[kind]} ${JSON.stringify(item)}`);
      return false;
    });
  }

  /** Rule 5: a list of codes, each once. */
  codes<V extends string>(key: string, target: string, table: CodeTable<V>): V[] {
    return this.check.codes(this.field(key), this.values(key, 'code', target, false), table);
  }

  /** Rules 5 and 6: a list of countries, each once. */
  countries(key: string, target: string, accept: 'alpha-2' | 'alpha-3' | 'either', required = false) {
    return this.check.countries(this.field(key), this.values(key, 'code', target, required), accept);
  }

  /** Rule 12: a list of language tags, each once. */
  languages(key: string, target: string): string[] {
    return this.check.languages(this.field(key), this.values(key, 'language', target, false));
  }

  /** A list of free texts, kept as they come (names). */
  texts(key: string, target: string): string[] {
    return this.values(key, 'text', target, false).flatMap((item) => text(item) ?? []);
  }

  /** A nested object; absent, it reads as one without keys; of another JSON type, it is reported. */
  nested(key: string): JsonFields {
    const raw = this.object?.[key];
    const wrong = raw !== undefined && raw !== null && !isObject(raw);
    if (wrong) this.check.problem(this.field(key), `invalid value ${JSON.stringify(raw)}`);
    const object = isObject(raw) ? raw : undefined;
    return new JsonFields(this.check, this.provenance, object, this.field(key), this.target);
  }

  /**
   * The elements of an array of objects, each at `key[i]` (`null` reads as an object without
   * keys); an element of another JSON type is reported on `key[i]` and skipped. `missing` when
   * required and the array is absent or empty.
   */
  objects(key: string, target: string, required = false): JsonFields[] {
    this.from(key, target);
    const raw = this.object?.[key];
    if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
      if (required) this.check.problem(this.field(key), 'missing');
      return [];
    }
    if (!Array.isArray(raw)) {
      this.check.problem(this.field(key), `invalid value ${JSON.stringify(raw)}`);
      return [];
    }
    return raw.flatMap((element: unknown, i) => {
      const path = `${this.field(key)}[${i}]`;
      if (element !== null && !isObject(element)) {
        this.check.problem(path, `invalid value ${JSON.stringify(element)}`);
        return [];
      }
      return [new JsonFields(this.check, this.provenance, element ?? undefined, path, this.target)];
    });
  }
}

/** A person's names, in the order of the format's fields, each recorded with the key it came from. */
export class NameList {
  readonly names: PersonName[] = [];

  /**
   * Adds a name read from `key` of `source`: the person's object, or one below it that is placed
   * at the person in `data` (as {@link JsonFields.objects} and {@link JsonFields.nested} place them).
   */
  add(source: JsonFields, key: string, value: string | undefined, alias = false): void {
    if (value === undefined) return;
    source.from(key, `names[${this.names.length}]`);
    this.names.push(personName(value, alias));
  }
}

/** Rule 9: under 18 on the reference date when the date of birth is known, else the format's flag. */
export function isMinor(
  dateOfBirth: string | undefined,
  referenceDate: string | undefined,
  flag?: boolean,
): boolean {
  if (dateOfBirth !== undefined && referenceDate !== undefined) return isMinorOn(dateOfBirth, referenceDate);
  return flag ?? false;
}

/**
 * Rule 3 for a passport: a `travelDocument` when any of its keys holds something (a constant
 * issuer does not count); then its number, holder and issuer are required, each reported
 * `missing` on its own key.
 */
export function passport(
  fields: JsonFields,
  keys: { number: string; heldBy: string; issuer?: string },
  held: CodeTable,
  issuer?: string,
): Record<string, unknown> | undefined {
  const given = fields.given(keys.number, keys.heldBy, ...(keys.issuer === undefined ? [] : [keys.issuer]));
  const document = {
    type: 'passport',
    number: fields.text(keys.number, 'travelDocument.number', given),
    issuer:
      keys.issuer === undefined
        ? issuer
        : fields.country(keys.issuer, 'travelDocument.issuer', { accept: 'alpha-2', required: given }),
    heldBy: fields.code(keys.heldBy, 'travelDocument.heldBy', held, given),
  };
  return given ? document : undefined;
}

/** An object without its undefined values (rule 3: a missing optional value is omitted). */
export function defined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** A list, or undefined when empty (an optional list is omitted, not `[]`). */
export function nonEmpty<T>(list: readonly T[]): readonly T[] | undefined {
  return list.length === 0 ? undefined : list;
}
