import type { RecordProblem } from './contract';
import { alpha2, isAsean } from './rules/countries';
import { isoDate } from './rules/dates';
import { LANGUAGE_TAG } from './rules/ids';
import { e164 } from './rules/phones';
import { text, unique } from './rules/text';

/** A code table (rule 5): national codes, compared without case, to the schema's values. */
export type CodeTable<V extends string = string> = Readonly<Record<string, V>>;

/** A format's true and false values (rule 11). */
export interface Booleans {
  true: readonly (string | boolean)[];
  false: readonly (string | boolean)[];
}

const show = (value: unknown) => JSON.stringify(typeof value === 'string' ? value : String(value));

/**
 * The checks of one record under the common rules (FORMATS.md section 2). Each reads a raw value
 * and answers the converted one, or undefined; every problem is kept, with the record's number
 * and the national field, so that all of a record's problems are reported, not only the first.
 */
export class RecordCheck {
  readonly problems: RecordProblem[] = [];

  constructor(readonly record: number) {}

  get ok(): boolean {
    return this.problems.length === 0;
  }

  problem(field: string, reason: string): undefined {
    this.problems.push({ record: this.record, field, reason });
    return undefined;
  }

  /** Rule 2 and 3: text, or `missing` when required. */
  text(field: string, raw: unknown, required = false): string | undefined {
    const value = text(raw);
    if (value === undefined && required) return this.problem(field, 'missing');
    return value;
  }

  /** Rule 4. */
  date(field: string, raw: unknown, pattern: string, required = false, buddhist = false): string | undefined {
    const value = this.text(field, raw, required);
    if (value === undefined) return undefined;
    return isoDate(value, pattern, buddhist) ?? this.problem(field, `invalid date ${show(value)}`);
  }

  /** Rule 5: one code of a table. */
  code<V extends string>(field: string, raw: unknown, table: CodeTable<V>, required = false): V | undefined {
    const value = this.text(field, raw, required);
    if (value === undefined) return undefined;
    return lookup(table, value) ?? this.problem(field, `unknown code ${show(value)}`);
  }

  /** Rule 5: a list of codes, each once, problems on the list's field. */
  codes<V extends string>(field: string, raws: readonly unknown[], table: CodeTable<V>): V[] {
    const values: V[] = [];
    for (const raw of raws) {
      const value = text(raw);
      if (value === undefined) continue;
      const code = lookup(table, value);
      if (code === undefined) this.problem(field, `unknown code ${show(value)}`);
      else values.push(code);
    }
    return unique(values);
  }

  /** Rule 11. */
  boolean(field: string, raw: unknown, booleans: Booleans, required = false): boolean | undefined {
    if (typeof raw === 'boolean') {
      if (booleans.true.includes(raw)) return true;
      if (booleans.false.includes(raw)) return false;
      return this.problem(field, `unknown code ${show(raw)}`);
    }
    const value = this.text(field, raw, required);
    if (value === undefined) return undefined;
    const matches = (list: readonly (string | boolean)[]) =>
      list.some((v) => typeof v === 'string' && v.toLowerCase() === value.toLowerCase());
    if (matches(booleans.true)) return true;
    if (matches(booleans.false)) return false;
    return this.problem(field, `unknown code ${show(value)}`);
  }

  /** Rule 8. */
  phone(field: string, raw: unknown, callingCode: string, indonesian = false): string | undefined {
    const value = this.text(field, raw);
    if (value === undefined) return undefined;
    return e164(value, callingCode, { indonesian }) ?? this.problem(field, `invalid phone ${show(value)}`);
  }

  /** Rule 6: a country code, alpha-2 or alpha-3 as the format says, and an ASEAN member if asked. */
  country(
    field: string,
    raw: unknown,
    options: { required?: boolean; accept?: 'alpha-2' | 'alpha-3' | 'either'; asean?: boolean } = {},
  ): string | undefined {
    const value = this.text(field, raw, options.required);
    if (value === undefined) return undefined;
    const code = alpha2(value, options.accept);
    if (code === undefined || (options.asean && !isAsean(code)))
      return this.problem(field, `unknown code ${show(value)}`);
    return code;
  }

  /** Rule 5 and 6: a list of countries, each once. */
  countries(
    field: string,
    raws: readonly unknown[],
    accept: 'alpha-2' | 'alpha-3' | 'either' = 'either',
  ): string[] {
    const codes: string[] = [];
    for (const raw of raws) {
      const code = this.country(field, raw, { accept });
      if (code !== undefined) codes.push(code);
    }
    return unique(codes);
  }

  /** Rule 12: language tags, kept as written, each once. */
  languages(field: string, raws: readonly unknown[]): string[] {
    const tags: string[] = [];
    for (const raw of raws) {
      const tag = text(raw);
      if (tag === undefined) continue;
      if (LANGUAGE_TAG.test(tag)) tags.push(tag);
      else this.problem(field, `invalid language ${show(tag)}`);
    }
    return unique(tags);
  }

  /** A JSON integer within bounds (`invalid number`). */
  integer(field: string, raw: unknown, min: number, max: number, required = false): number | undefined {
    if (raw === undefined || raw === null) return required ? this.problem(field, 'missing') : undefined;
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
      return this.problem(field, `invalid number ${show(raw)}`);
    }
    return raw;
  }

  /** Rule 13: `too long` past the schema's limit. */
  length(field: string, value: string | undefined, max: number): string | undefined {
    if (value !== undefined && value.length > max) return this.problem(field, 'too long');
    return value;
  }
}

/** Each code table with its codes in lower case, made once per table. */
const lowered = new WeakMap<CodeTable, Map<string, string>>();

function lookup<V extends string>(table: CodeTable<V>, value: string): V | undefined {
  let codes = lowered.get(table);
  if (codes === undefined) {
    codes = new Map(Object.entries(table).map(([code, mapped]) => [code.toLowerCase(), mapped]));
    lowered.set(table, codes);
  }
  return codes.get(value.toLowerCase()) as V | undefined;
}

/** A list the input gives as an array, a value split on a separator, or one value. */
export function listOf(raw: unknown, separator?: string | RegExp): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'string' && separator !== undefined) return raw.split(separator);
  return [raw];
}
