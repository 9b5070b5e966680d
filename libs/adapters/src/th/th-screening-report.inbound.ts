import type { InboundAdapter, Outcome } from '../contract';
import { finishMessage, Provenance } from '../message-builder';
import { childNamed, childrenNamed, XmlElement, xmlRecords } from '../readers/xml.reader';
import { CodeTable, RecordCheck } from '../record-check';
import { isMinorOn } from '../rules/minors';
import { personName, PersonName } from '../rules/names';
import { text } from '../rules/text';
import { caseReference, VICTIM_NOTIFICATION } from '../victim-notification';

const DATE = 'DD/MM/YYYY';
const BUDDHIST = true;
const CALLING_CODE = '+66';
const BOOLEANS = { true: ['true'], false: ['false'] };

/** A code table whose national codes are the schema's own values. */
const schemaValues = (...values: string[]): CodeTable => Object.fromEntries(values.map((v) => [v, v]));

const CUSTODY = schemaValues('shelter', 'police', 'immigration-detention', 'hospital', 'other');
const RESULT: CodeTable = { PRESUMED: 'presumed', CONFIRMED: 'identified', PENDING: 'screening' };
const NEEDS = schemaValues('medical', 'psychosocial', 'legal', 'interpreter', 'documents');
const SEX: CodeTable = { ชาย: 'male', หญิง: 'female', อื่นๆ: 'other', ไม่ทราบ: 'unknown' };
const DOCUMENT_TYPES = schemaValues('passport', 'emergency-travel-document', 'id-card', 'other');
const HELD = schemaValues('self', 'exploiter', 'authority', 'lost');

/** The own text of the first child element named `name`, if there is one. */
const textOf = (element: XmlElement | undefined, name: string) =>
  element === undefined ? undefined : childNamed(element, name)?.text;

const textsOf = (element: XmlElement, name: string) => childrenNamed(element, name).map((e) => e.text);

/**
 * TH: the ATPD victim screening report (FORMATS.md section 4), an XML document whose `Case`
 * elements are each one victim identification notification, dated in the Buddhist era.
 */
export class ThScreeningReport implements InboundAdapter {
  readonly country = 'TH';

  async *convert(file: string): AsyncIterable<Outcome> {
    // Two cases with one reference would be two messages with one id: the second is refused.
    const firstSeen = new Map<string, number>();
    for await (const { record, element } of xmlRecords(file, 'ScreeningReport', 'Case'))
      yield this.outcome(record, element, firstSeen);
  }

  private outcome(record: number, kase: XmlElement, firstSeen: Map<string, number>): Outcome {
    const provenance = new Provenance();
    const check = new RecordCheck(record);
    const at = (path: string, field: string) => provenance.set(path, record, field);

    const reference = caseReference(check, '@ref', kase.attributes.ref, 'TH');
    if (reference !== undefined) {
      const seenAt = firstSeen.get(reference);
      if (seenAt === undefined) firstSeen.set(reference, record);
      else check.problem('@ref', `case already seen at record ${seenAt}`);
    }
    at('caseRef', '@ref');
    const identifiedOn = check.date('ScreenedOn', textOf(kase, 'ScreenedOn'), DATE, true, BUDDHIST);
    at('identifiedOn', 'ScreenedOn');
    const area = this.province(check, textOf(kase, 'Province'));
    at('location.area', 'Province');
    at('location.place', 'Place');
    const custody = childNamed(kase, 'Custody');
    at('custody.type', 'Custody/@type');
    at('custody.custodian', 'Custody');
    at('identificationStatus', 'Result');
    at('needs', 'Need');

    const personElements = childrenNamed(kase, 'Person');
    if (personElements.length === 0) check.problem('Person', 'missing');
    at('persons', 'Person');
    const persons = personElements.map((person, i) =>
      this.person(check, person, `Person[${i + 1}]`, identifiedOn, provenance, `persons[${i}]`),
    );
    const data = {
      caseRef: reference === undefined ? undefined : `TH-${reference}`,
      persons,
      location: {
        country: 'TH',
        ...(area === undefined ? {} : { area }),
        place: check.text('Place', textOf(kase, 'Place'), true),
      },
      custody: {
        type: check.code('Custody/@type', custody?.attributes.type, CUSTODY, true),
        custodian: check.text('Custody', custody?.text, true),
      },
      identificationStatus: check.code('Result', textOf(kase, 'Result'), RESULT, true),
      needs: check.codes('Need', textsOf(kase, 'Need'), NEEDS),
      identifiedOn,
    };
    return finishMessage(
      { country: 'TH', type: VICTIM_NOTIFICATION, reference, data, provenance },
      check.problems,
    );
  }

  /** `Province`: exactly two digits, `TH-` and them. */
  private province(check: RecordCheck, raw: string | undefined): string | undefined {
    const value = check.text('Province', raw);
    if (value === undefined) return undefined;
    if (!/^[0-9]{2}$/.test(value)) return check.problem('Province', `unknown code ${JSON.stringify(value)}`);
    return `TH-${value}`;
  }

  /** One `Person` element, its problems on `field` (`Person[2]`) and its provenance under `path`. */
  private person(
    check: RecordCheck,
    element: XmlElement,
    field: string,
    identifiedOn: string | undefined,
    provenance: Provenance,
    path: string,
  ): Record<string, unknown> {
    const at = (sub: string, national: string) =>
      provenance.set(`${path}.${sub}`, check.record, `${field}/${national}`);
    provenance.set(path, check.record, field);

    const names: PersonName[] = [];
    for (const name of childrenNamed(element, 'Name')) {
      const value = check.text(`${field}/Name`, name.text);
      if (value === undefined) continue;
      at(`names[${names.length}]`, 'Name');
      names.push(personName(value, text(name.attributes.type)?.toLowerCase() === 'alias'));
    }
    if (names.length === 0) check.problem(`${field}/Name`, 'missing');
    at('names', 'Name');

    const birth = childNamed(element, 'BirthDate');
    const dateOfBirth = check.date(`${field}/BirthDate`, birth?.text, DATE, false, BUDDHIST);
    const estimated = check.boolean(`${field}/BirthDate/@estimated`, birth?.attributes.estimated, BOOLEANS);
    const minorFlag = check.boolean(`${field}/Minor`, textOf(element, 'Minor'), BOOLEANS);
    const nationalityValues = textsOf(element, 'Nationality').filter((v) => text(v) !== undefined);
    if (nationalityValues.length === 0) check.problem(`${field}/Nationality`, 'missing');
    const nationalities = check.countries(`${field}/Nationality`, nationalityValues, 'alpha-2');
    const travelDocument = this.document(check, childNamed(element, 'Document'), `${field}/Document`);
    const phone = check.phone(`${field}/Phone`, textOf(element, 'Phone'), CALLING_CODE);
    const languages = check.languages(`${field}/Language`, textsOf(element, 'Language'));
    const consular = check.boolean(`${field}/ConsularAccess`, textOf(element, 'ConsularAccess'), BOOLEANS);
    for (const [sub, national] of [
      ['dateOfBirth', 'BirthDate'],
      ['dateOfBirthEstimated', 'BirthDate/@estimated'],
      ['sex', 'Sex'],
      ['nationalities', 'Nationality'],
      ['isMinor', 'Minor'],
      ['travelDocument', 'Document'],
      ['travelDocument.number', 'Document'],
      ['travelDocument.type', 'Document/@type'],
      ['travelDocument.issuer', 'Document/@issuer'],
      ['travelDocument.heldBy', 'Document/@heldBy'],
      ['phone', 'Phone'],
      ['languages', 'Language'],
      ['victimObjectsToNotification', 'ObjectsToNotification'],
      ['fearsPersecutionAtHome', 'FearsPersecution'],
      ['requestsConsularAccess', 'ConsularAccess'],
    ]) {
      at(sub, national);
    }

    return {
      names,
      ...(dateOfBirth === undefined ? {} : { dateOfBirth }),
      ...(dateOfBirth !== undefined && estimated !== undefined ? { dateOfBirthEstimated: estimated } : {}),
      sex: check.code(`${field}/Sex`, textOf(element, 'Sex'), SEX, true),
      nationalities,
      isMinor:
        dateOfBirth !== undefined && identifiedOn !== undefined
          ? isMinorOn(dateOfBirth, identifiedOn)
          : (minorFlag ?? false),
      ...(travelDocument === undefined ? {} : { travelDocument }),
      ...(phone === undefined ? {} : { phone }),
      ...(languages.length === 0 ? {} : { languages }),
      victimObjectsToNotification: check.boolean(
        `${field}/ObjectsToNotification`,
        textOf(element, 'ObjectsToNotification'),
        BOOLEANS,
        true,
      ),
      fearsPersecutionAtHome: check.boolean(
        `${field}/FearsPersecution`,
        textOf(element, 'FearsPersecution'),
        BOOLEANS,
        true,
      ),
      ...(consular === undefined ? {} : { requestsConsularAccess: consular }),
    };
  }

  /**
   * Rule 3: a travel document when the `Document` element gives any of its values (number as
   * its text, `type`, `issuer`, `heldBy`); then all four are required.
   */
  private document(check: RecordCheck, element: XmlElement | undefined, field: string) {
    if (element === undefined) return undefined;
    const { type, issuer, heldBy } = element.attributes;
    if ([element.text, type, issuer, heldBy].every((v) => text(v) === undefined)) return undefined;
    return {
      type: check.code(`${field}/@type`, type, DOCUMENT_TYPES, true),
      number: check.text(field, element.text, true),
      issuer: check.country(`${field}/@issuer`, issuer, { required: true, accept: 'alpha-2' }),
      heldBy: check.code(`${field}/@heldBy`, heldBy, HELD, true),
    };
  }
}
