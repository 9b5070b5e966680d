import type { RecordProblem } from './contract';

/** One record of a grouped format, with its reference (already trimmed), or none. */
export interface ReferencedRecord<R> {
  record: number;
  reference: string | undefined;
  value: R;
}

/** A case: consecutive records with one reference, and the problems of the case rules. */
export interface Case<R> {
  reference: string | undefined;
  records: ReferencedRecord<R>[];
  problems: RecordProblem[];
}

/** The most persons in one message (the schema's limit). */
export const MAX_PERSONS = 100;

/**
 * FORMATS.md section 3's case rules, on records streamed in order: consecutive records with one
 * reference (compared in upper case) form a case; the 101st gets `too many persons`; a reference
 * that comes back after other cases gets `case already seen at record M`; a record without one
 * is a case of its own, `missing`. Each problem is on `field`. Only the references seen are kept.
 */
export async function* consecutiveCases<R>(
  records: AsyncIterable<ReferencedRecord<R>>,
  field: string,
): AsyncIterable<Case<R>> {
  const firstSeen = new Map<string, number>();
  let current: Case<R> | undefined;
  for await (const record of records) {
    const key = record.reference?.toUpperCase();
    if (current !== undefined && key !== undefined && current.reference?.toUpperCase() === key) {
      current.records.push(record);
      if (current.records.length === MAX_PERSONS + 1) {
        current.problems.push({ record: record.record, field, reason: 'too many persons' });
      }
      continue;
    }
    if (current !== undefined) yield current;
    current = { reference: record.reference, records: [record], problems: [] };
    if (key === undefined) {
      current.problems.push({ record: record.record, field, reason: 'missing' });
    } else if (firstSeen.has(key)) {
      current.problems.push({
        record: record.record,
        field,
        reason: `case already seen at record ${firstSeen.get(key)}`,
      });
    } else {
      firstSeen.set(key, record.record);
    }
  }
  if (current !== undefined) yield current;
}
