import type { Booleans } from '../record-check';
import { AS_KINDS, AsKind, LoadedCodeTable, ValueSpec } from './mapping.model';
import {
  describeNode,
  isArrayNode,
  isObjectNode,
  isScalarNode,
  propertyOf,
  refusal,
  resolveNode,
  SchemaNode,
} from './schema-nodes';
import type { Located } from './yaml-source';

/** What a value spec is checked against besides its own target. */
export interface SpecContext {
  readonly type: string;
  readonly format: 'csv' | 'json';
  readonly root: SchemaNode;
  readonly callingCode?: string;
  readonly date?: string;
  readonly booleans?: Booleans;
}

const SPEC_KEYS = ['from', 'value', 'as', 'map', 'split', 'alias', 'optional', 'reference-date'];
/** Keys that only make sense when the value is read from the record. */
const FROM_ONLY = ['map', 'split', 'optional', 'reference-date'];

/** Whether `as` gives what a scalar node takes. */
const AS_FITS: Record<AsKind, (node: SchemaNode) => boolean> = {
  text: (node) => node.type === 'string',
  date: (node) => node.type === 'string' && node.format === 'date',
  boolean: (node) => node.type === 'boolean',
  integer: (node) => node.type === 'integer',
  phone: (node) => node.type === 'string',
  country: (node) => node.type === 'string',
  area: (node) => node.type === 'string',
};

/** Where a target lands in the schema: its path and the node of its value (or of each item). */
interface Target {
  path: string[];
  node: SchemaNode;
  list: boolean;
}

/** Resolves a target (`location.area`) in the object `scope`; fails when it is not a field that a value fills. */
export function resolveTarget(at: Located, target: string, scope: SchemaNode, context: SpecContext): Target {
  const path = target.split('.');
  let node = scope;
  path.forEach((segment, i) => {
    const child = propertyOf(node, segment, context.root);
    const written = path.slice(0, i + 1).join('.');
    if (child === undefined || (i < path.length - 1 && !isObjectNode(child)))
      at.fail(`${written} is not a field of ${context.type}`);
    node = child;
  });
  if (isScalarNode(node)) return { path, node, list: false };
  if (isArrayNode(node) && node.items !== undefined) {
    const items = resolveNode(node.items, context.root);
    if (isScalarNode(items)) return { path, node: items, list: true };
  }
  const shape = isArrayNode(node) ? 'a list of objects' : 'an object';
  return at.fail(`${target} is ${shape}, which one value cannot fill; map its fields one by one`);
}

/**
 * Loads one value spec (`{ from: ..., as: ..., map: ... }`) for a target already resolved, and
 * checks it completely: its keys, `as` against what the target takes, each code table value and
 * each constant against the schema, and that the settings it needs are in the mapping.
 */
export function loadValueSpec(
  at: Located,
  target: string,
  resolved: Target,
  context: SpecContext,
  place: { name?: boolean; fields?: boolean } = {},
): ValueSpec {
  const entries = at.entries(SPEC_KEYS, 'a value spec: { from: FIELD } or { value: CONSTANT }');
  const { node, list } = resolved;
  const from = entries.get('from');
  const value = entries.get('value');
  if ((from === undefined) === (value === undefined)) at.fail('takes exactly one of from and value');
  const flag = (key: string) => entries.get(key)?.boolean() ?? false;

  if (value !== undefined) {
    for (const key of FROM_ONLY) entries.get(key)?.fail('has no use with value: a constant is never missing');
  }
  const alias = flag('alias');
  if (alias && !place.name) entries.get('alias')!.fail('is for names only');
  const referenceDate = flag('reference-date');
  const as = asKind(entries.get('as'), place.name === true);
  const map = entries.has('map') ? codeTable(entries.get('map')!, node, place.name === true) : undefined;
  if (map === undefined && !AS_FITS[as](node))
    (entries.get('as') ?? at).fail(`as: ${as} does not give what ${target} takes (${describeNode(node)})`);
  if (map === undefined) needs(entries.get('as') ?? at, as, context);
  if (referenceDate && (!place.fields || as !== 'date' || map !== undefined))
    entries.get('reference-date')!.fail('marks a date of fields, read with as: date');
  const split = entries.get('split')?.text(true);
  if (split !== undefined && !list && !place.name)
    entries.get('split')!.fail(`${target} is not a list: it takes one value`);

  return {
    target,
    path: resolved.path,
    ...(from === undefined ? { value: constant(value!, node, list) } : { from: source(from, context) }),
    as,
    ...(map === undefined ? {} : { map }),
    ...(split === undefined ? {} : { split }),
    alias,
    optional: flag('optional'),
    referenceDate,
    list,
    node,
  };
}

function asKind(at: Located | undefined, name: boolean): AsKind {
  if (at === undefined) return 'text';
  const kind = at.text();
  if (!(AS_KINDS as readonly string[]).includes(kind))
    at.fail(`unknown; as is one of ${AS_KINDS.join(', ')}`);
  if (name && kind !== 'text') at.fail('a name is text');
  return kind as AsKind;
}

/** The settings of the mapping that an `as` needs. */
function needs(at: Located, as: AsKind, context: SpecContext): void {
  const setting = { date: context.date, boolean: context.booleans, phone: context.callingCode };
  const key = { date: 'date', boolean: 'booleans', phone: 'calling-code' } as const;
  if ((as === 'date' || as === 'boolean' || as === 'phone') && setting[as] === undefined)
    at.fail(`as: ${as} needs ${key[as]} at the top of the mapping`);
}

/** `from`: a CSV column as written, or a dotted JSON path with no empty step. */
function source(at: Located, context: SpecContext): string {
  const from = at.text();
  if (context.format === 'json' && from.split('.').some((step) => step.trim() === ''))
    at.fail(`${JSON.stringify(from)} is not a path: keys separated by dots`);
  return from;
}

/** A code table: codes (text, compared without case) to values the schema takes. */
function codeTable(at: Located, node: SchemaNode, name: boolean): LoadedCodeTable {
  if (name) at.fail('a name is not a code');
  const table = new Map<string, string | number | boolean>();
  const seen = new Set<string>();
  for (const { code, at: entry } of at.keyNodes()) {
    const key = code.trim().normalize('NFC');
    if (key === '') entry.fail('a code must not be empty');
    if (seen.has(key.toLowerCase()))
      entry.fail('this code is in the table twice (codes are compared without case)');
    seen.add(key.toLowerCase());
    const value = entry.scalar();
    const refused = refusal(node, value);
    if (refused !== undefined) entry.fail(`the schema refuses it: ${refused}`);
    table.set(key, value);
  }
  if (table.size === 0) at.fail('a code table must hold at least one code');
  return table;
}

/** A constant, checked against the schema; for a list, one value or a list of them. */
function constant(at: Located, node: SchemaNode, list: boolean): unknown {
  const values = list ? at.items(true) : [at];
  const checked = values.map((item) => {
    const value = item.scalar();
    const refused = refusal(node, value);
    if (refused !== undefined) item.fail(`the schema refuses it: ${refused}`);
    return value;
  });
  return list ? [...new Set(checked)] : checked[0];
}
