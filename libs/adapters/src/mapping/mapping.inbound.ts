import { Case, consecutiveCases, ReferencedRecord } from '../cases';
import type { InboundAdapter, Outcome } from '../contract';
import { finishMessage, Provenance } from '../message-builder';
import { csvRows } from '../readers/csv.reader';
import { jsonArrayRecords } from '../readers/json.reader';
import { RecordCheck } from '../record-check';
import { text } from '../rules/text';
import { caseReference } from '../victim-notification';
import type { Mapping } from './mapping.model';
import { requires } from './schema-nodes';
import { buildPerson, buildScope, ordered } from './scope.builder';
import { readField } from './value.evaluator';

/**
 * An inbound adapter that a mapping file describes (FORMATS.md section 8): a CSV or a JSON
 * array converted by the mapping under the common rules, with section 3's case rules when the
 * mapping groups records.
 */
export class MappingAdapter implements InboundAdapter {
  readonly country: string;

  constructor(readonly mapping: Mapping) {
    this.country = mapping.country;
  }

  async *convert(file: string): AsyncIterable<Outcome> {
    const { mapping } = this;
    const records = this.records(file);
    async function* referenced(): AsyncIterable<ReferencedRecord<unknown>> {
      for await (const { record, value } of records)
        yield { record, reference: text(readField(value, mapping.reference, mapping.format)), value };
    }
    if (mapping.group) {
      for await (const kase of consecutiveCases(referenced(), mapping.reference)) yield this.outcome(kase);
    } else {
      for await (const record of referenced())
        yield this.outcome({ reference: record.reference, records: [record], problems: [] });
    }
  }

  /** The records of the file; a CSV without a column that a required value reads is unusable. */
  private async *records(file: string): AsyncIterable<{ record: number; value: unknown }> {
    if (this.mapping.format === 'json') {
      yield* jsonArrayRecords(file);
      return;
    }
    for await (const row of csvRows(file, requiredColumns(this.mapping)))
      yield { record: row.record, value: row.values };
  }

  private outcome(kase: Case<unknown>): Outcome {
    const { mapping } = this;
    const provenance = new Provenance();
    const [first] = kase.records;
    const check = new RecordCheck(first.record);
    // Whatever the schema refuses is reported, never emitted: by default on the reference.
    provenance.set('', first.record, mapping.reference);
    provenance.set('caseRef', first.record, mapping.reference);
    const raw = readField(first.value, mapping.reference, mapping.format);
    const reference = caseReference(check, mapping.reference, raw, mapping.country);
    const fields = buildScope(
      mapping.fields,
      first.value,
      check,
      mapping,
      { fieldPrefix: '', path: '', provenance },
      ['caseRef', 'persons'],
    );
    const dateSpec = mapping.fields.specs.find((s) => s.referenceDate);
    const referenceDate = dateSpec && (fields.results.get(dateSpec)!.value as string | undefined);
    const checks = [check];
    const persons = this.persons(kase, check, checks, provenance, referenceDate);
    const data = ordered(
      {
        caseRef: reference === undefined ? undefined : `${mapping.country}-${reference}`,
        ...fields.data,
        persons,
      },
      mapping.root,
      mapping.root,
    ) as Record<string, unknown>;
    return finishMessage({ country: mapping.country, type: mapping.type, reference, data, provenance }, [
      ...kase.problems,
      ...checks.flatMap((c) => c.problems),
    ]);
  }

  /**
   * The persons of a message: one per record of the case (`group: true`), one per element of the
   * `persons: KEY` array, or the record itself; undefined when the mapping has no `person`.
   */
  private persons(
    kase: Case<unknown>,
    check: RecordCheck,
    checks: RecordCheck[],
    provenance: Provenance,
    referenceDate: string | undefined,
  ): Record<string, unknown>[] | undefined {
    const { mapping } = this;
    const scope = mapping.person;
    if (scope === undefined) return undefined;
    const person = (source: unknown, own: RecordCheck, fieldPrefix: string, i: number) =>
      buildPerson(
        scope,
        source,
        own,
        mapping,
        { fieldPrefix, path: `persons[${i}]`, provenance },
        referenceDate,
      );
    const [first] = kase.records;
    if (mapping.group) {
      return kase.records.map((r, i) => {
        const own = new RecordCheck(r.record);
        checks.push(own);
        return person(r.value, own, '', i);
      });
    }
    const key = mapping.persons;
    if (key === undefined) return [person(first.value, check, '', 0)];
    provenance.set('persons', first.record, key);
    const elements = readField(first.value, key, 'json');
    if (Array.isArray(elements) && elements.length > 0)
      return elements.map((element, i) => person(element, check, `${key}[${i}].`, i));
    if (requires(mapping.root, 'persons')) check.problem(key, 'missing');
    return undefined;
  }
}

/** The columns that a value without `optional` reads, and the reference's. */
export function requiredColumns(mapping: Mapping): string[] {
  const specs = [...mapping.fields.specs, ...(mapping.person?.specs ?? []), ...(mapping.person?.names ?? [])];
  const columns = specs.filter((s) => s.from !== undefined && !s.optional).map((s) => s.from!);
  return [...new Set([mapping.reference, ...columns])];
}
