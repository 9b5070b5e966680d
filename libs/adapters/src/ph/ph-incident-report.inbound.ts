import type { InboundAdapter, Outcome } from '../contract';
import { finishMessage, Provenance } from '../message-builder';
import { jsonArrayRecords } from '../readers/json.reader';
import { CodeTable, listOf, RecordCheck } from '../record-check';
import { addDays } from '../rules/dates';
import { AREA } from '../rules/ids';
import { isMinorOn } from '../rules/minors';
import { personName, PersonName } from '../rules/names';
import { text, unique } from '../rules/text';
import { caseReference, INCIDENT_ALERT } from '../victim-notification';

const DATE = 'MM/DD/YYYY';
const CALLING_CODE = '+63';
const BOOLEANS = { true: [true], false: [false] };
const EXPLOITATION: CodeTable = {
  FORCED_CRIMINALITY: 'forced-criminality',
  LABOR: 'labour',
  SEXUAL: 'sexual',
  OTHER: 'other',
};
const SUSPECT_KIND: CodeTable = {
  MOBILE: 'phone',
  SOCIAL_MEDIA: 'account',
  CRYPTO_WALLET: 'wallet',
  OTHER: 'other',
};
const SEX: CodeTable = { M: 'male', F: 'female', X: 'other', U: 'unknown' };
/** `estimatedVictims` and each count of `victimsByNationality`: the schema's bounds. */
const MAX_VICTIMS = 100000;
/** `validDays`: how long the alert stays current, and the default. */
const VALID_DAYS = { min: 1, max: 365, default: 30 };

type Json = Readonly<Record<string, unknown>>;

const objectOr = (raw: unknown): Json =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Json) : {};

/**
 * PH: the IACAT incident report (FORMATS.md section 7), a JSON array of reports in US dates; each
 * report is one trafficking incident alert.
 */
export class PhIncidentReport implements InboundAdapter {
  readonly country = 'PH';

  async *convert(file: string): AsyncIterable<Outcome> {
    for await (const { record, value } of jsonArrayRecords(file)) yield this.outcome(record, objectOr(value));
  }

  private outcome(record: number, report: Json): Outcome {
    const provenance = new Provenance();
    const check = new RecordCheck(record);
    const at = (path: string, field: string) => provenance.set(path, record, field);
    // Rule 14: a schema violation that no national field explains still rejects the report.
    at('', 'referenceNo');
    for (const [path, field] of [
      ['caseRef', 'referenceNo'],
      ['country', 'country'],
      ['area', 'areaCode'],
      ['site', 'siteDescription'],
      ['observedOn', 'observedDate'],
      ['exploitationTypes', 'exploitation'],
      ['estimatedVictims', 'estimatedVictims'],
      ['victimsByNationality', 'victimsByNationality'],
      ['minorsPresent', 'minorsPresent'],
      ['recruitmentChannels', 'recruitmentChannels'],
      ['platforms', 'platforms'],
      ['suspectIdentifiers', 'suspects'],
      ['expiresAt', 'validDays'],
      ['persons', 'persons'],
    ]) {
      at(path, field);
    }

    const reference = caseReference(check, 'referenceNo', report.referenceNo, 'PH');
    const observedOn = check.date('observedDate', report.observedDate, DATE, true);
    const exploitation = listOf(report.exploitation);
    if (!exploitation.some((v) => text(v) !== undefined)) check.problem('exploitation', 'missing');
    const validDays =
      report.validDays === undefined || report.validDays === null
        ? VALID_DAYS.default
        : check.integer('validDays', report.validDays, VALID_DAYS.min, VALID_DAYS.max);
    const suspectIdentifiers = this.suspects(check, report.suspects, at);
    const persons = listOf(report.persons).map((person, i) =>
      this.person(check, objectOr(person), `persons[${i}]`, observedOn, at),
    );
    const data = {
      caseRef: reference === undefined ? undefined : `PH-${reference}`,
      country: check.country('country', report.country, { required: true, accept: 'alpha-2', asean: true }),
      area: this.area(check, report.areaCode),
      site: check.text('siteDescription', report.siteDescription, true),
      observedOn,
      exploitationTypes: check.codes('exploitation', exploitation, EXPLOITATION),
      estimatedVictims: check.integer('estimatedVictims', report.estimatedVictims, 0, MAX_VICTIMS, true),
      victimsByNationality: this.victimsByNationality(check, report.victimsByNationality, at),
      minorsPresent: check.boolean('minorsPresent', report.minorsPresent, BOOLEANS, true),
      recruitmentChannels: texts(report.recruitmentChannels),
      platforms: texts(report.platforms),
      ...(suspectIdentifiers.length === 0 ? {} : { suspectIdentifiers }),
      expiresAt:
        observedOn === undefined || validDays === undefined
          ? undefined
          : `${addDays(observedOn, validDays)}T00:00:00Z`,
      ...(persons.length === 0 ? {} : { persons }),
    };
    return finishMessage(
      { country: 'PH', type: INCIDENT_ALERT, reference, data, provenance },
      check.problems,
    );
  }

  /** `areaCode`: an ISO 3166-2 subdivision as written, in upper case (rule 5), of the schema's pattern. */
  private area(check: RecordCheck, raw: unknown): string | undefined {
    const value = check.text('areaCode', raw, true);
    if (value === undefined) return undefined;
    const area = value.toUpperCase();
    return AREA.test(area) ? area : check.problem('areaCode', `unknown code ${JSON.stringify(value)}`);
  }

  /**
   * `victimsByNationality`: alpha-2 keys to counts, in the file's key order, counts of 0 dropped;
   * a code written twice (in another letter case) is counted once, its counts added up.
   */
  private victimsByNationality(
    check: RecordCheck,
    raw: unknown,
    at: (path: string, field: string) => void,
  ): { nationality: string; count: number }[] {
    if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) return [];
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      check.problem('victimsByNationality', `unknown code ${JSON.stringify(raw)}`);
      return [];
    }
    const counts: { nationality: string; count: number }[] = [];
    for (const [key, value] of Object.entries(raw)) {
      const field = `victimsByNationality.${key}`;
      const nationality = check.country(field, key, { required: true, accept: 'alpha-2' });
      const count = check.integer(field, value, 0, MAX_VICTIMS, true);
      if (nationality === undefined || count === undefined || count === 0) continue;
      const seen = counts.find((c) => c.nationality === nationality);
      if (seen !== undefined) {
        seen.count += count;
        continue;
      }
      at(`victimsByNationality[${counts.length}]`, field);
      counts.push({ nationality, count });
    }
    return counts;
  }

  /** `suspects`: a list of `{type, value}`, kept as it comes. */
  private suspects(
    check: RecordCheck,
    raw: unknown,
    at: (path: string, field: string) => void,
  ): { kind: string | undefined; value: string | undefined }[] {
    return listOf(raw).map((item, i) => {
      const suspect = objectOr(item);
      const field = `suspects[${i}]`;
      at(`suspectIdentifiers[${i}].kind`, `${field}.type`);
      at(`suspectIdentifiers[${i}].value`, `${field}.value`);
      return {
        kind: check.code(`${field}.type`, suspect.type, SUSPECT_KIND, true),
        value: check.text(`${field}.value`, suspect.value, true),
      };
    });
  }

  /** One of `persons`; `path` (`persons[0]`) is both its national field and its path in `data`. */
  private person(
    check: RecordCheck,
    person: Json,
    path: string,
    observedOn: string | undefined,
    at: (path: string, field: string) => void,
  ): Record<string, unknown> {
    const names: PersonName[] = [];
    const fullName = check.text(`${path}.fullName`, person.fullName, true);
    if (fullName !== undefined) {
      at(`${path}.names[0]`, `${path}.fullName`);
      names.push(personName(fullName));
    }
    at(`${path}.names`, `${path}.aliases`);
    for (const alias of texts(person.aliases, false)) {
      at(`${path}.names[${names.length}]`, `${path}.aliases`);
      names.push(personName(alias, true));
    }
    const dateOfBirth = check.date(`${path}.birthDate`, person.birthDate, DATE);
    const minorFlag = check.boolean(`${path}.minor`, person.minor, BOOLEANS);
    const nationalityValues = listOf(person.nationality).filter((v) => text(v) !== undefined);
    if (nationalityValues.length === 0) check.problem(`${path}.nationality`, 'missing');
    const phone = check.phone(`${path}.mobile`, person.mobile, CALLING_CODE);
    for (const [sub, national] of [
      ['dateOfBirth', 'birthDate'],
      ['sex', 'sex'],
      ['nationalities', 'nationality'],
      ['isMinor', 'minor'],
      ['phone', 'mobile'],
    ]) {
      at(`${path}.${sub}`, `${path}.${national}`);
    }
    return {
      names,
      ...(dateOfBirth === undefined ? {} : { dateOfBirth }),
      sex: check.code(`${path}.sex`, person.sex, SEX, true),
      nationalities: check.countries(`${path}.nationality`, nationalityValues, 'alpha-2'),
      isMinor:
        dateOfBirth !== undefined && observedOn !== undefined
          ? isMinorOn(dateOfBirth, observedOn)
          : (minorFlag ?? false),
      ...(phone === undefined ? {} : { phone }),
    };
  }
}

/** A list of free texts (rule 2), each once (rule 5) unless `once` is false; [] when absent. */
function texts(raw: unknown, once = true): string[] {
  const values = listOf(raw)
    .map((v) => text(v))
    .filter((v): v is string => v !== undefined);
  return once ? unique(values) : values;
}
