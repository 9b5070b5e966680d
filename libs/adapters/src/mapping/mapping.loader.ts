import { readFileSync } from 'node:fs';
import { schemas } from '../message-builder';
import type { Booleans } from '../record-check';
import { alpha2 } from '../rules/countries';
import { Mapping, MappingError, PersonScope, Scope, ValueSpec } from './mapping.model';
import { isArrayNode, isObjectNode, propertyOf, requires, resolveNode, SchemaNode } from './schema-nodes';
import { loadValueSpec, resolveTarget, SpecContext } from './value-spec.loader';
import { Located, parseMappingSource } from './yaml-source';

const TOP_KEYS = [
  'country',
  'format',
  'type',
  'reference',
  'group',
  'calling-code',
  'date',
  'booleans',
  'persons',
  'fields',
  'person',
];

/**
 * Loads a mapping file (FORMATS.md section 8) and checks it completely: every key, every target
 * against the message type's schema, every code table value and constant, and that every field
 * the schema requires is filled. Throws a {@link MappingError} naming the file, the line and the
 * key. `country`, when given, is the country the mapping must be for.
 */
export function loadMapping(file: string, options: { country?: string } = {}): Mapping {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MappingError(file, 1, '', `cannot read the mapping (${(error as NodeJS.ErrnoException).code})`);
  }
  const top = parseMappingSource(file, source);
  const entries = top.entries(TOP_KEYS, 'a map of the keys of a mapping');
  const required = (key: string) => entries.get(key) ?? top.fail(`${key} is missing`);

  const country = countryOf(required('country'), options.country);
  const format = oneOf(required('format'), ['csv', 'json'] as const);
  const typeAt = required('type');
  const type = typeAt.text();
  const root =
    (schemas().jsonSchema(type) as SchemaNode | undefined) ??
    typeAt.fail(`unknown message type ${JSON.stringify(type)}`);
  if (propertyOf(root, 'caseRef', root) === undefined)
    typeAt.fail(`${type} has no caseRef to put a reference in`);
  const reference = required('reference').text();
  const group = entries.get('group')?.boolean() ?? false;
  const persons = entries.get('persons')?.text();
  if (persons !== undefined && (format !== 'json' || group))
    entries
      .get('persons')!
      .fail('is for JSON records without group: true (with group, each record is one person)');
  const callingCode = entries.get('calling-code')?.text();
  if (callingCode !== undefined && !/^\+[1-9][0-9]{0,3}$/.test(callingCode))
    entries.get('calling-code')!.fail(`${JSON.stringify(callingCode)} is not a calling code such as "+84"`);
  const date = entries.has('date') ? datePattern(entries.get('date')!) : undefined;
  const booleans = entries.has('booleans') ? booleansOf(entries.get('booleans')!) : undefined;

  const context: SpecContext = { type, format, root, callingCode, date, booleans };
  const fieldsAt = required('fields');
  const fields = scopeOf(fieldsAt, root, context, true);
  const personsNode = propertyOf(root, 'persons', root);
  const personAt = entries.get('person');
  let person: PersonScope | undefined;
  if (personsNode?.items === undefined) {
    personAt?.fail(`${type} has no persons`);
  } else if (personAt === undefined) {
    if (requires(root, 'persons')) top.fail(`person is missing: ${type} requires persons`);
  } else {
    person = personOf(personAt, resolveNode(personsNode.items, root), context);
  }
  covered(fieldsAt, fields, root, ['caseRef', 'persons']);
  const dateOfBirth = person?.specs.find((s) => s.target === 'dateOfBirth' && s.from !== undefined);
  if (
    dateOfBirth !== undefined &&
    propertyOf(person!.node, 'isMinor', root) !== undefined &&
    !fields.specs.some((s) => s.referenceDate)
  ) {
    personAt!.entries().get('dateOfBirth')!.fail('rule 9 needs a date of fields marked reference-date: true');
  }
  return {
    file,
    country,
    format,
    type,
    reference,
    group,
    ...(callingCode === undefined ? {} : { callingCode }),
    ...(date === undefined ? {} : { date }),
    ...(booleans === undefined ? {} : { booleans }),
    ...(persons === undefined ? {} : { persons }),
    fields,
    ...(person === undefined ? {} : { person }),
    root,
  };
}

function countryOf(at: Located, expected: string | undefined): string {
  const country = at.text().toUpperCase();
  if (country.length !== 2 || alpha2(country, 'alpha-2') === undefined)
    at.fail(`${JSON.stringify(country)} is not an ISO 3166-1 alpha-2 country code`);
  if (expected !== undefined && country !== expected.toUpperCase())
    at.fail(`is ${country}, but the mapping is used for ${expected.toUpperCase()}`);
  return country;
}

function oneOf<T extends string>(at: Located, values: readonly T[]): T {
  const value = at.text();
  if (!(values as readonly string[]).includes(value)) at.fail(`is one of ${values.join(', ')}`);
  return value as T;
}

/** `DD`, `MM` and `YYYY` or `BBBB` (a Buddhist-era year), each once, between separators. */
function datePattern(at: Located): string {
  const pattern = at.text();
  const tokens = pattern.match(/DD|MM|YYYY|BBBB/g) ?? [];
  const years = tokens.filter((t) => t === 'YYYY' || t === 'BBBB').length;
  const count = (token: string) => tokens.filter((t) => t === token).length;
  if (
    count('DD') !== 1 ||
    count('MM') !== 1 ||
    years !== 1 ||
    /[DMYB]/.test(pattern.replace(/DD|MM|YYYY|BBBB/g, ''))
  )
    at.fail(`${JSON.stringify(pattern)} is not a date pattern: DD, MM and YYYY (or BBBB) once each`);
  return pattern;
}

/** `booleans: { true: [...], false: [...] }`: text (compared without case) or JSON booleans. */
function booleansOf(at: Located): Booleans {
  const entries = at.entries(['true', 'false'], 'a map { true: [...], false: [...] }');
  const values = (key: 'true' | 'false') =>
    (entries.get(key) ?? at.fail(`${key} is missing`)).items(true).map((item) => {
      const value = item.scalar();
      // A number is text that YAML read as a number: text() fails, asking for quotes.
      if (typeof value === 'number') return item.text();
      return typeof value === 'string' ? value.trim().normalize('NFC') : value;
    });
  const booleans = { true: values('true'), false: values('false') };
  const lower = (v: string | boolean) => (typeof v === 'string' ? v.toLowerCase() : v);
  const both = booleans.true.find((t) => booleans.false.some((f) => lower(f) === lower(t)));
  if (both !== undefined) at.fail(`${JSON.stringify(both)} is both true and false`);
  return booleans;
}

function scopeOf(at: Located, node: SchemaNode, context: SpecContext, fields: boolean): Scope {
  const specs: ValueSpec[] = [];
  for (const [target, spec] of at.entries()) {
    if (fields && (target === 'caseRef' || target === 'persons'))
      spec.fail(`${target} is built from ${target === 'caseRef' ? 'reference' : 'person'}`);
    const resolved = resolveTarget(spec, target, node, context);
    specs.push(loadValueSpec(spec, target, resolved, context, { fields }));
  }
  const referenceDates = specs.filter((s) => s.referenceDate);
  if (referenceDates.length > 1) at.fail('marks more than one reference-date');
  return { specs, node };
}

function personOf(at: Located, node: SchemaNode, context: SpecContext): PersonScope {
  const entries = at.entries();
  const namesAt = entries.get('names');
  entries.delete('names');
  const specs: ValueSpec[] = [];
  for (const [target, spec] of entries) {
    specs.push(loadValueSpec(spec, target, resolveTarget(spec, target, node, context), context));
  }
  const namesNode = propertyOf(node, 'names', context.root);
  let names: ValueSpec[] = [];
  if (namesNode === undefined) {
    namesAt?.fail(`the persons of ${context.type} have no names`);
  } else if (namesAt === undefined) {
    if (requires(node, 'names')) at.fail('names is missing: a person has names');
  } else {
    const valueNode = propertyOf(resolveNode(namesNode.items!, context.root), 'value', context.root)!;
    const items = namesAt.items();
    if (items.length === 0) namesAt.fail('must list at least one name field');
    names = items.map((item, i) =>
      loadValueSpec(item, `names[${i}]`, { path: ['names'], node: valueNode, list: true }, context, {
        name: true,
      }),
    );
  }
  covered(at, { specs, node }, context.root, ['names', 'isMinor']);
  return { specs, node, names };
}

/**
 * Every field that the schema requires of an object that is emitted has a value spec (lists
 * aside: they default to `[]` unless the schema wants an item); an optional object is checked
 * when the mapping fills any of its fields.
 */
function covered(at: Located, scope: Scope, root: SchemaNode, exempt: readonly string[]): void {
  const check = (node: SchemaNode, prefix: string[]) => {
    const filled = (key: string) =>
      scope.specs.some((s) => [...prefix, key].every((segment, i) => s.path[i] === segment));
    for (const key of Object.keys(node.properties ?? {})) {
      if (prefix.length === 0 && exempt.includes(key)) continue;
      const child = propertyOf(node, key, root)!;
      const written = [...prefix, key].join('.');
      if (isObjectNode(child)) {
        if (requires(node, key) || filled(key)) check(child, [...prefix, key]);
      } else if (requires(node, key) && !filled(key)) {
        if (!isArrayNode(child) || (child.minItems ?? 0) > 0)
          at.fail(`${written} is missing: the schema requires it`);
      }
    }
  };
  check(scope.node, []);
}
