import { CodeTable, listOf, RecordCheck } from '../record-check';
import { AREA } from '../rules/ids';
import { text, unique } from '../rules/text';
import type { LoadedCodeTable, Mapping, ValueSpec } from './mapping.model';

/** One value spec applied to one record. */
export interface Evaluated {
  /** The converted value; undefined when missing or refused (a list: `[]` when empty). */
  value: unknown;
  /** Whether the record holds a value for it (rule 3: an object is emitted only then). */
  given: boolean;
  /** Whether a problem was reported on it. */
  failed: boolean;
}

/** A national field of a record: a CSV column as written, or a dotted path into a JSON object. */
export function readField(record: unknown, from: string, format: Mapping['format']): unknown {
  if (format === 'csv') return (record as Readonly<Record<string, string>>)[from];
  let at = record;
  for (const key of from.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key))
      return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** Whether a raw value counts as given: not absent, not blank, not an empty array. */
export function isGiven(raw: unknown): boolean {
  if (Array.isArray(raw)) return raw.some(isGiven);
  return text(raw) !== undefined || typeof raw === 'boolean' || (typeof raw === 'object' && raw !== null);
}

/**
 * Applies a value spec to a record: reads its field, converts it by `map` or `as` under the
 * common rules, and checks it against what the schema takes; every problem goes to `check` on
 * `field` (the list's own field for a list). `required` reports a missing value.
 */
export function evaluate(
  spec: ValueSpec,
  record: unknown,
  field: string,
  check: RecordCheck,
  mapping: Mapping,
  required = !spec.optional,
): Evaluated {
  if (spec.from === undefined) return { value: spec.value, given: false, failed: false };
  const raw = readField(record, spec.from, mapping.format);
  const before = check.problems.length;
  let value: unknown;
  if (spec.list) {
    const items = listOf(raw, spec.split).filter(isGiven);
    if (items.length === 0 && required) check.problem(field, 'missing');
    const values = items.map((item) => convert(spec, item, field, check, mapping, false));
    value = unique(values.filter((v) => v !== undefined));
  } else {
    value = convert(spec, raw, field, check, mapping, required);
  }
  return { value, given: isGiven(raw), failed: check.problems.length > before };
}

const shown = (raw: unknown) =>
  JSON.stringify(typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : (text(raw) ?? String(raw)));

/** The words of FORMATS.md section 1 for a value that `as` (or the schema) refuses. */
function refused(spec: ValueSpec, raw: unknown): string {
  if (spec.map !== undefined) return `unknown code ${shown(raw)}`;
  if (spec.as === 'date' || spec.node.format === 'date' || spec.node.format === 'date-time')
    return `invalid date ${shown(raw)}`;
  if (spec.as === 'phone') return `invalid phone ${shown(raw)}`;
  if (spec.as === 'integer') return `invalid number ${shown(raw)}`;
  if (spec.path[spec.path.length - 1] === 'languages') return `invalid language ${shown(raw)}`;
  return `unknown code ${shown(raw)}`;
}

function convert(
  spec: ValueSpec,
  raw: unknown,
  field: string,
  check: RecordCheck,
  mapping: Mapping,
  required: boolean,
): unknown {
  if (spec.map !== undefined)
    return code(spec.map, typeof raw === 'boolean' ? String(raw) : raw, field, check, required);
  const scalar =
    typeof raw === 'string' || typeof raw === 'number' || (typeof raw === 'boolean' && spec.as === 'boolean');
  if (!scalar && isGiven(raw)) return check.problem(field, refused(spec, raw));
  let value: unknown;
  switch (spec.as) {
    case 'text':
      value = check.text(field, raw, required);
      break;
    case 'date':
      value = check.date(field, raw, mapping.date!, required);
      break;
    case 'boolean':
      return check.boolean(field, raw, mapping.booleans!, required);
    case 'integer':
      return integer(spec, raw, field, check, required);
    case 'phone':
      if (text(raw) === undefined) return required ? check.problem(field, 'missing') : undefined;
      value = check.phone(field, raw, mapping.callingCode!, mapping.country === 'ID');
      break;
    case 'country':
      value = check.country(field, raw, { required });
      break;
    case 'area': {
      const area = check.text(field, raw, required)?.toUpperCase();
      value = area === undefined || AREA.test(area) ? area : check.problem(field, refused(spec, raw));
      break;
    }
  }
  return typeof value === 'string' ? conform(spec, value, raw, field, check) : value;
}

/**
 * A converted text against the schema: one of its values (compared without case, rule 5), its
 * pattern, its length (rule 13).
 */
function conform(
  spec: ValueSpec,
  value: string,
  raw: unknown,
  field: string,
  check: RecordCheck,
): string | undefined {
  const { node } = spec;
  if (node.enum !== undefined) {
    const found = node.enum.find((v) => typeof v === 'string' && v.toLowerCase() === value.toLowerCase());
    return found === undefined ? check.problem(field, refused(spec, raw)) : (found as string);
  }
  if (node.maxLength !== undefined && [...value].length > node.maxLength)
    return check.problem(field, 'too long');
  if (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(value))
    return check.problem(field, refused(spec, raw));
  return value;
}

const indexes = new WeakMap<LoadedCodeTable, { codes: CodeTable; values: unknown[] }>();

/** Rule 5 through RecordCheck: the table's codes point at the index of their value. */
function code(
  table: LoadedCodeTable,
  raw: unknown,
  field: string,
  check: RecordCheck,
  required: boolean,
): unknown {
  let indexed = indexes.get(table);
  if (indexed === undefined) {
    const values = [...table.values()];
    indexed = { codes: Object.fromEntries([...table.keys()].map((k, i) => [k, String(i)])), values };
    indexes.set(table, indexed);
  }
  const index = check.code(field, raw, indexed.codes, required);
  return index === undefined ? undefined : indexed.values[Number(index)];
}

/** A whole number, from a JSON number or from text of digits, within the schema's bounds. */
function integer(
  spec: ValueSpec,
  raw: unknown,
  field: string,
  check: RecordCheck,
  required: boolean,
): unknown {
  let number = raw;
  if (typeof raw === 'string') {
    const value = check.text(field, raw, required);
    if (value === undefined) return undefined;
    number = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  }
  const min = spec.node.minimum ?? Number.MIN_SAFE_INTEGER;
  const max = spec.node.maximum ?? Number.MAX_SAFE_INTEGER;
  if (Number.isNaN(number)) return check.problem(field, refused(spec, raw));
  return check.integer(field, number, min, max, required);
}
