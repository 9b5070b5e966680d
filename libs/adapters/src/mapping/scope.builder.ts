import type { Provenance } from '../message-builder';
import { listOf, RecordCheck } from '../record-check';
import { isMinorOn } from '../rules/minors';
import { personName, PersonName } from '../rules/names';
import { text } from '../rules/text';
import type { Mapping, PersonScope, Scope, ValueSpec } from './mapping.model';
import { isArrayNode, isObjectNode, propertyOf, requires, resolveNode, SchemaNode } from './schema-nodes';
import { evaluate, Evaluated, readField } from './value.evaluator';

/** Where a scope's values come from and go: the national fields' prefix and the path in `data`. */
export interface Place {
  /** Before each `from` in problems: `victims[0].`, or nothing. */
  readonly fieldPrefix: string;
  /** The scope's path in `data`: `persons[0]`, or `''` for the message's own fields. */
  readonly path: string;
  readonly provenance: Provenance;
}

const join = (path: string, sub: string) => (path === '' ? sub : `${path}.${sub}`);
const samePath = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((segment, i) => b[i] === segment);

/**
 * Builds the object of one scope from a record: evaluates every value spec, then lays the values
 * out as the schema nests them. Rule 3: an optional object (a `travelDocument`) is emitted only
 * when one of its values comes from the record, and then each value the schema requires in it
 * is `missing` on its field when absent, even one marked optional; a required list defaults to
 * `[]`. The keys of `exempt` are the caller's to fill.
 */
export function buildScope(
  scope: Scope,
  source: unknown,
  check: RecordCheck,
  mapping: Mapping,
  place: Place,
  exempt: readonly string[],
): { data: Record<string, unknown>; results: Map<ValueSpec, Evaluated> } {
  const results = new Map<ValueSpec, Evaluated>();
  const fieldOf = (spec: ValueSpec) => `${place.fieldPrefix}${spec.from}`;
  for (const spec of scope.specs) {
    results.set(spec, evaluate(spec, source, fieldOf(spec), check, mapping));
    if (spec.from !== undefined)
      place.provenance.set(join(place.path, spec.path.join('.')), check.record, fieldOf(spec));
  }
  const fill = (target: Record<string, unknown>, node: SchemaNode, prefix: string[]) => {
    for (const key of Object.keys(node.properties ?? {})) {
      if (prefix.length === 0 && exempt.includes(key)) continue;
      const child = propertyOf(node, key, mapping.root)!;
      const path = [...prefix, key];
      if (isObjectNode(child)) {
        const inside = scope.specs.filter((s) => samePath(s.path.slice(0, path.length), path));
        if (!requires(node, key) && !inside.some((s) => results.get(s)!.given)) continue;
        target[key] = {};
        fill(target[key] as Record<string, unknown>, child, path);
        continue;
      }
      const spec = scope.specs.find((s) => samePath(s.path, path));
      const result = spec === undefined ? undefined : results.get(spec);
      const value = Array.isArray(result?.value) && result.value.length === 0 ? undefined : result?.value;
      if (value !== undefined) target[key] = value;
      else if (!requires(node, key)) continue;
      else if (isArrayNode(child) && (child.minItems ?? 0) === 0) target[key] = [];
      else if (spec?.from !== undefined && !result!.failed) check.problem(fieldOf(spec), 'missing');
    }
  };
  const data: Record<string, unknown> = {};
  fill(data, scope.node, []);
  return { data, results };
}

/**
 * One person: its values, its names from the `names` list (rule 7; `missing` on the first
 * one's field when none yields a name), and rule 9's `isMinor`, measured on `referenceDate`
 * when the date of birth is known, else the format's own flag, else false.
 */
export function buildPerson(
  scope: PersonScope,
  source: unknown,
  check: RecordCheck,
  mapping: Mapping,
  place: Place,
  referenceDate: string | undefined,
): Record<string, unknown> {
  const { data, results } = buildScope(scope, source, check, mapping, place, ['names', 'isMinor']);
  const person: Record<string, unknown> = {
    names: personNames(scope, source, check, mapping, place),
    ...data,
  };
  const dateOfBirth = person.dateOfBirth;
  if (dateOfBirth === undefined) delete person.dateOfBirthEstimated;
  if (propertyOf(scope.node, 'isMinor', mapping.root) !== undefined) {
    const flag = [...results].find(([spec]) => samePath(spec.path, ['isMinor']))?.[1].value;
    person.isMinor =
      typeof dateOfBirth === 'string' && referenceDate !== undefined
        ? isMinorOn(dateOfBirth, referenceDate)
        : flag === true;
  }
  return person;
}

function personNames(
  scope: PersonScope,
  source: unknown,
  check: RecordCheck,
  mapping: Mapping,
  place: Place,
) {
  const names: PersonName[] = [];
  for (const spec of scope.names) {
    const field = `${place.fieldPrefix}${spec.from ?? ''}`;
    const raw = spec.from === undefined ? spec.value : readField(source, spec.from, mapping.format);
    const values = listOf(raw, spec.split)
      .map(text)
      .filter((v) => v !== undefined);
    if (values.length === 0 && spec.from !== undefined && !spec.optional) check.problem(field, 'missing');
    for (const value of values) {
      if (spec.node.maxLength !== undefined && [...value].length > spec.node.maxLength)
        check.problem(field, 'too long');
      if (spec.from !== undefined)
        place.provenance.set(`${place.path}.names[${names.length}]`, check.record, field);
      names.push(personName(value, spec.alias));
    }
  }
  const [first] = scope.names;
  if (names.length === 0 && first?.from !== undefined)
    check.problem(`${place.fieldPrefix}${first.from}`, 'missing');
  return names;
}

/** `data` with its keys in the schema's order at every level, and no undefined value. */
export function ordered(value: unknown, node: SchemaNode, root: SchemaNode): unknown {
  const resolved = resolveNode(node, root);
  if (Array.isArray(value)) {
    const items = resolved.items;
    return items === undefined ? value : value.map((item) => ordered(item, items, root));
  }
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  const keys = [...Object.keys(resolved.properties ?? {}), ...Object.keys(object)];
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    if (Object.hasOwn(result, key) || object[key] === undefined) continue;
    const child = resolved.properties?.[key];
    result[key] = child === undefined ? object[key] : ordered(object[key], child, root);
  }
  return result;
}
