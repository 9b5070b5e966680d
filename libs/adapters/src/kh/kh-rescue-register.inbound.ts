import { Case, consecutiveCases } from '../cases';
import type { InboundAdapter, Outcome, RecordProblem } from '../contract';
import { finishMessage, Provenance } from '../message-builder';
import { csvRows } from '../readers/csv.reader';
import { CodeTable, listOf, RecordCheck } from '../record-check';
import { isMinorOn } from '../rules/minors';
import { personName, PersonName } from '../rules/names';
import { text } from '../rules/text';
import { caseReference, VICTIM_NOTIFICATION } from '../victim-notification';

const BOOLEANS = { true: ['Y'], false: ['N'] };
const CUSTODY: CodeTable = {
  SH: 'shelter',
  PO: 'police',
  IM: 'immigration-detention',
  HO: 'hospital',
  OT: 'other',
};
const STATUS: CodeTable = { P: 'presumed', I: 'identified', S: 'screening' };
const NEEDS: CodeTable = {
  MED: 'medical',
  PSY: 'psychosocial',
  LEG: 'legal',
  INT: 'interpreter',
  DOC: 'documents',
};
const SEX: CodeTable = { M: 'male', F: 'female', X: 'other', U: 'unknown' };
const HELD: CodeTable = { SELF: 'self', EXPL: 'exploiter', AUTH: 'authority', LOST: 'lost' };
const REQUIRED = [
  'case_no',
  'rescue_date',
  'place',
  'custody',
  'custodian',
  'status',
  'sex',
  'nationality',
  'objects_notification',
  'fears_persecution',
];
const NAME_COLUMNS = ['name_latin', 'name_khmer', 'alias'];
/** The name columns in order, and whether each holds an alias. */
const NAMES = [
  ['name_latin', false],
  ['name_khmer', false],
  ['alias', true],
] as const;
/** Where each value of a person comes from, for problems the schema finds. */
const PERSON_FIELDS = [
  ['dateOfBirth', 'dob'],
  ['sex', 'sex'],
  ['nationalities', 'nationality'],
  ['travelDocument.number', 'passport_no'],
  ['travelDocument.issuer', 'passport_issuer'],
  ['travelDocument.heldBy', 'passport_held'],
  ['phone', 'phone'],
  ['languages', 'languages'],
] as const;

type Row = Readonly<Record<string, string>>;

/**
 * KH: the Cambodian National Police rescue register (FORMATS.md section 3), a CSV of rescued
 * persons; consecutive rows of one `case_no` are one victim identification notification.
 */
export class KhRescueRegister implements InboundAdapter {
  readonly country = 'KH';

  async *convert(file: string): AsyncIterable<Outcome> {
    const rows = csvRows(file, REQUIRED, [NAME_COLUMNS]);
    async function* referenced() {
      for await (const row of rows)
        yield { record: row.record, reference: text(row.values.case_no), value: row.values };
    }
    for await (const kase of consecutiveCases(referenced(), 'case_no')) yield this.outcome(kase);
  }

  private outcome(kase: Case<Row>): Outcome {
    const provenance = new Provenance();
    const [first] = kase.records;
    const check = new RecordCheck(first.record);
    const at = (path: string, field: string, record = first.record) => provenance.set(path, record, field);
    const row = first.value;

    const reference = caseReference(check, 'case_no', row.case_no, 'KH');
    at('caseRef', 'case_no');
    const identifiedOn = check.date('rescue_date', row.rescue_date, 'DD/MM/YYYY', true);
    at('identifiedOn', 'rescue_date');
    const area = this.province(check, row.province);
    at('location.area', 'province');
    at('location.place', 'place');
    at('custody.type', 'custody');
    at('custody.custodian', 'custodian');
    at('identificationStatus', 'status');
    at('needs', 'needs');
    const persons = kase.records.map((person, i) =>
      this.person(person.record, person.value, identifiedOn, provenance, `persons[${i}]`),
    );
    const data = {
      caseRef: reference === undefined ? undefined : `KH-${reference}`,
      persons: persons.map(({ person }) => person),
      location: {
        country: 'KH',
        ...(area === undefined ? {} : { area }),
        place: check.text('place', row.place, true),
      },
      custody: {
        type: check.code('custody', row.custody, CUSTODY, true),
        custodian: check.text('custodian', row.custodian, true),
      },
      identificationStatus: check.code('status', row.status, STATUS, true),
      needs: check.codes('needs', listOf(row.needs, ';'), NEEDS),
      identifiedOn,
    };
    return finishMessage({ country: 'KH', type: VICTIM_NOTIFICATION, reference, data, provenance }, [
      ...kase.problems,
      ...check.problems,
      ...persons.flatMap(({ problems }) => problems),
    ]);
  }

  /** `province`: 1 to 25, leading zeros ignored. */
  private province(check: RecordCheck, raw: string | undefined): string | undefined {
    const value = check.text('province', raw);
    if (value === undefined) return undefined;
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= 1 && number <= 25))
      return check.problem('province', `unknown code ${JSON.stringify(value)}`);
    return `KH-${number}`;
  }

  private person(
    record: number,
    row: Row,
    identifiedOn: string | undefined,
    provenance: Provenance,
    path: string,
  ): { person: Record<string, unknown>; problems: RecordProblem[] } {
    const check = new RecordCheck(record);
    const at = (sub: string, field: string) => provenance.set(`${path}.${sub}`, record, field);
    const names: PersonName[] = [];
    for (const [column, alias] of NAMES) {
      const value = check.text(column, row[column]);
      if (value !== undefined) {
        at(`names[${names.length}]`, column);
        names.push(personName(value, alias));
      }
    }
    if (names.length === 0) check.problem('name_latin', 'missing');
    const dateOfBirth = check.date('dob', row.dob, 'DD/MM/YYYY');
    const estimated = check.boolean('dob_estimated', row.dob_estimated, BOOLEANS);
    const minorFlag = check.boolean('minor', row.minor, BOOLEANS);
    const nationalityValues = listOf(row.nationality, ';').filter((v) => text(v) !== undefined);
    if (nationalityValues.length === 0) check.problem('nationality', 'missing');
    const nationalities = check.countries('nationality', nationalityValues, 'alpha-3');
    const travelDocument = this.passport(check, row, nationalities[0]);
    for (const [sub, field] of PERSON_FIELDS) at(sub, field);
    const phone = check.phone('phone', row.phone, '+855');
    const languages = check.languages('languages', listOf(row.languages, ' '));
    const consular = check.boolean('consular', row.consular, BOOLEANS);
    const person = {
      names,
      ...(dateOfBirth === undefined ? {} : { dateOfBirth }),
      ...(dateOfBirth !== undefined && estimated !== undefined ? { dateOfBirthEstimated: estimated } : {}),
      sex: check.code('sex', row.sex, SEX, true),
      nationalities,
      isMinor:
        dateOfBirth !== undefined && identifiedOn !== undefined
          ? isMinorOn(dateOfBirth, identifiedOn)
          : (minorFlag ?? false),
      ...(travelDocument === undefined ? {} : { travelDocument }),
      ...(phone === undefined ? {} : { phone }),
      ...(languages.length === 0 ? {} : { languages }),
      victimObjectsToNotification: check.boolean(
        'objects_notification',
        row.objects_notification,
        BOOLEANS,
        true,
      ),
      fearsPersecutionAtHome: check.boolean('fears_persecution', row.fears_persecution, BOOLEANS, true),
      ...(consular === undefined ? {} : { requestsConsularAccess: consular }),
    };
    return { person, problems: check.problems };
  }

  /** Rule 3: a passport when any of its columns has a value; then number and holder are required. */
  private passport(check: RecordCheck, row: Row, firstNationality: string | undefined) {
    const number = check.text('passport_no', row.passport_no);
    const issuer = check.country('passport_issuer', row.passport_issuer, { accept: 'alpha-3' });
    const heldBy = check.code('passport_held', row.passport_held, HELD);
    const given = [row.passport_no, row.passport_issuer, row.passport_held].some(
      (v) => text(v) !== undefined,
    );
    if (!given) return undefined;
    if (number === undefined) check.problem('passport_no', 'missing');
    if (heldBy === undefined && text(row.passport_held) === undefined)
      check.problem('passport_held', 'missing');
    return { type: 'passport', number, issuer: issuer ?? firstNationality, heldBy };
  }
}
