import { SchemaRegistry } from '@rdx/schema';
import type { Outcome, RecordProblem } from './contract';
import { messageId } from './rules/ids';

let registry: SchemaRegistry | undefined;

/** The schema library, made once per process (compiling it takes a moment). */
export function schemas(): SchemaRegistry {
  registry ??= new SchemaRegistry();
  return registry;
}

/** A JSON Schema node, as far as the limits walk reads one. */
interface Schema {
  $ref?: string;
  $defs?: Record<string, Schema>;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
}

/** Where in the national record a value of `data` came from: its record and field. */
export class Provenance {
  /** Kept as a list and indexed only when asked: most records are never asked about. */
  private readonly entries: [path: string, record: number, field: string][] = [];
  private index: Map<string, { record: number; field: string }> | undefined;

  /** Records that `path` of `data` (`persons[0].phone`) came from `field` of `record`. */
  set(path: string, record: number, field: string): void {
    this.entries.push([path, record, field]);
    this.index = undefined;
  }

  /**
   * The place of `path`, or of the nearest of its ancestors that has one; for a path none
   * explains, the reference's (else any): a refusal is never lost for want of a field to name.
   */
  locate(path: string): { record: number; field: string } | undefined {
    const index = (this.index ??= new Map(this.entries.map(([p, record, field]) => [p, { record, field }])));
    for (let at = path; at !== ''; at = parent(at)) {
      const place = index.get(at);
      if (place !== undefined) return place;
    }
    return index.get('caseRef') ?? index.values().next().value;
  }
}

function parent(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

/** Why a value past a schema keyword is refused, in the words of FORMATS.md section 1. */
function reasonFor(path: string, keyword: 'maxLength' | 'maxItems' | 'pattern', value: unknown): string {
  if (keyword === 'maxItems') return path === 'persons' ? 'too many persons' : 'too long';
  if (keyword === 'maxLength') return 'too long';
  const shown = JSON.stringify(value);
  if (path === 'caseRef') return `invalid reference ${shown}`;
  if (/languages\[\d+\]$/.test(path)) return `invalid language ${shown}`;
  if (/phone$/.test(path)) return `invalid phone ${shown}`;
  if (/(On|dateOfBirth|expiresOn)$/.test(path)) return `invalid date ${shown}`;
  return `unknown code ${shown}`;
}

/**
 * Rules 13 and 14: walks `data` beside its JSON Schema for values past `maxLength`, `maxItems`
 * or a `pattern`, and reports each on the national field it came from.
 */
function limits(
  data: unknown,
  schema: Schema,
  root: Schema,
  path: string,
  found: (path: string, reason: string) => void,
): void {
  const node = resolve(schema, root);
  if (typeof data === 'string') {
    if (typeof node.maxLength === 'number' && [...data].length > node.maxLength)
      found(path, reasonFor(path, 'maxLength', data));
    else if (typeof node.pattern === 'string' && !compiled(node.pattern).test(data)) {
      found(path, reasonFor(path, 'pattern', data));
    }
  } else if (Array.isArray(data)) {
    if (typeof node.maxItems === 'number' && data.length > node.maxItems)
      found(path, reasonFor(path, 'maxItems', data));
    const items = node.items;
    if (items !== undefined) data.forEach((item, i) => limits(item, items, root, `${path}[${i}]`, found));
  } else if (typeof data === 'object' && data !== null) {
    for (const [key, value] of Object.entries(data)) {
      const property = node.properties?.[key];
      if (property !== undefined) limits(value, property, root, path === '' ? key : `${path}.${key}`, found);
    }
  }
}

const patterns = new Map<string, RegExp>();
/** A schema's pattern, compiled once. */
const compiled = (pattern: string) => {
  let regex = patterns.get(pattern);
  if (regex === undefined) patterns.set(pattern, (regex = new RegExp(pattern, 'u')));
  return regex;
};

function resolve(schema: Schema, root: Schema): Schema {
  if (typeof schema.$ref === 'string') return resolve(root.$defs![schema.$ref.replace('#/$defs/', '')], root);
  return schema;
}

/**
 * Ends one message's conversion: the problems found so far, then those of the schema's limits
 * and of the schema itself (rule 14: a record whose data would not validate is never emitted);
 * the message when there are none.
 */
export function finishMessage(
  input: {
    country: string;
    type: string;
    /** The national reference, as in `caseRef` after the hyphen. */
    reference: string | undefined;
    data: Record<string, unknown>;
    provenance: Provenance;
  },
  problems: readonly RecordProblem[],
): Outcome {
  const found: RecordProblem[] = [...problems];
  const at = (path: string, reason: string) => {
    const place = input.provenance.locate(path);
    if (place !== undefined) found.push({ ...place, reason });
  };
  // A record with no problem so far that validates is done: the schema's limits hold too. Else
  // the limits are walked to name each value past them on its national field (values that failed
  // their own checks are not in `data`, so a value too long is reported beside them, not only
  // alone), and, for a record otherwise sound, what else the schema refuses.
  const violations = found.length === 0 ? schemas().validate(input.type, input.data) : undefined;
  if (violations === undefined || violations.length > 0) {
    const jsonSchema = schemas().jsonSchema(input.type) as Schema;
    limits(input.data, jsonSchema, jsonSchema, '', at);
    if (found.length === 0) {
      for (const violation of violations ?? []) {
        at(violation.path.replace(/^data\.?/, ''), `invalid value: ${violation.message}`);
      }
    }
  }
  if (found.length > 0 || input.reference === undefined) return { problems: dedupe(found) };
  return {
    message: {
      type: input.type,
      id: messageId(input.country, input.type, input.reference),
      data: input.data,
    },
  };
}

function dedupe(problems: RecordProblem[]): RecordProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.record}\u0000${p.field}\u0000${p.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
