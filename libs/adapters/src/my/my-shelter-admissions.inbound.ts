import type { InboundAdapter, Outcome } from '../contract';
import { defined, isMinor, JsonFields, NameList, nonEmpty, passport } from '../json-record';
import { finishMessage, Provenance } from '../message-builder';
import { jsonArrayRecords } from '../readers/json.reader';
import { CodeTable, RecordCheck } from '../record-check';
import { VICTIM_NOTIFICATION } from '../victim-notification';

const DATE = 'DD-MM-YYYY';
const CALLING_CODE = '+60';
const BOOLEANS = { true: [true], false: [false] };
const CUSTODY: CodeTable = {
  TEMPAT_PERLINDUNGAN: 'shelter',
  POLIS: 'police',
  DEPOT_IMIGRESEN: 'immigration-detention',
  HOSPITAL: 'hospital',
  LAIN: 'other',
};
const STATUS: CodeTable = { ANGGAPAN: 'presumed', DISAHKAN: 'identified', SARINGAN: 'screening' };
const NEEDS: CodeTable = {
  PERUBATAN: 'medical',
  PSIKOSOSIAL: 'psychosocial',
  GUAMAN: 'legal',
  JURUBAHASA: 'interpreter',
  DOKUMEN: 'documents',
};
const SEX: CodeTable = { L: 'male', P: 'female', T: 'unknown' };
const HELD: CodeTable = {
  SENDIRI: 'self',
  PENGEKSPLOITASI: 'exploiter',
  PIHAK_BERKUASA: 'authority',
  HILANG: 'lost',
};

/**
 * MY: MAPO shelter admissions (FORMATS.md section 5), a JSON array of cases with Malay keys;
 * each element is one victim identification notification.
 */
export class MyShelterAdmissions implements InboundAdapter {
  readonly country = 'MY';

  async *convert(file: string): AsyncIterable<Outcome> {
    for await (const { record, value } of jsonArrayRecords(file)) yield this.outcome(record, value);
  }

  private outcome(record: number, value: unknown): Outcome {
    const check = new RecordCheck(record);
    const provenance = new Provenance();
    const admission = JsonFields.record(check, provenance, value);

    const reference = admission.reference('no_rujukan', 'MY');
    const identifiedOn = admission.date('tarikh_dikenal_pasti', 'identifiedOn', DATE, true);
    const persons = admission
      .objects('mangsa', 'persons', true)
      .map((victim, i) => this.person(victim.into(`persons[${i}]`), identifiedOn));
    const data = {
      caseRef: reference === undefined ? undefined : `MY-${reference}`,
      persons,
      location: defined({
        country: 'MY',
        area: this.negeri(admission),
        place: admission.text('tempat', 'location.place', true),
      }),
      custody: {
        type: admission.code('jenis_jagaan', 'custody.type', CUSTODY, true),
        custodian: admission.text('penjaga', 'custody.custodian', true),
      },
      identificationStatus: admission.code('status', 'identificationStatus', STATUS, true),
      needs: admission.codes('keperluan', 'needs', NEEDS),
      identifiedOn,
    };
    return finishMessage(
      { country: 'MY', type: VICTIM_NOTIFICATION, reference, data, provenance },
      check.problems,
    );
  }

  /** `negeri`: exactly two digits, `01` to `16`. */
  private negeri(admission: JsonFields): string | undefined {
    const value = admission.text('negeri', 'location.area');
    if (value === undefined) return undefined;
    const number = /^\d{2}$/.test(value) ? Number(value) : NaN;
    if (!(number >= 1 && number <= 16))
      return admission.check.problem(admission.field('negeri'), `unknown code ${JSON.stringify(value)}`);
    return `MY-${value}`;
  }

  private person(victim: JsonFields, identifiedOn: string | undefined): Record<string, unknown> {
    const names = this.names(victim);
    const dateOfBirth = victim.date('tarikh_lahir', 'dateOfBirth', DATE);
    const estimated = victim.boolean('anggaran', 'dateOfBirthEstimated', BOOLEANS);
    const minor = victim.boolean('bawah_umur', undefined, BOOLEANS);
    const travelDocument = passport(
      victim.nested('pasport'),
      { number: 'nombor', issuer: 'pengeluar', heldBy: 'dipegang_oleh' },
      HELD,
    );
    return defined({
      names,
      dateOfBirth,
      dateOfBirthEstimated: dateOfBirth === undefined ? undefined : estimated,
      sex: victim.code('jantina', 'sex', SEX, true),
      nationalities: victim.countries('warganegara', 'nationalities', 'alpha-2', true),
      isMinor: isMinor(dateOfBirth, identifiedOn, minor),
      travelDocument,
      phone: victim.phone('telefon', 'phone', CALLING_CODE),
      languages: nonEmpty(victim.languages('bahasa', 'languages')),
      victimObjectsToNotification: victim.boolean(
        'bantah_pemberitahuan',
        'victimObjectsToNotification',
        BOOLEANS,
        true,
      ),
      fearsPersecutionAtHome: victim.boolean('takut_penganiayaan', 'fearsPersecutionAtHome', BOOLEANS, true),
      requestsConsularAccess: victim.boolean('akses_konsular', 'requestsConsularAccess', BOOLEANS),
    });
  }

  /**
   * `nama`: `{"nilai", "alias"}` objects in order. Rule 3: an entry with nothing in it is skipped;
   * one with an `alias` flag needs its `nilai`. No name at all is `missing` on `nama` (rule 7).
   */
  private names(victim: JsonFields) {
    const list = new NameList();
    for (const entry of victim.objects('nama', 'names')) {
      if (!entry.given('nilai', 'alias')) continue;
      const alias = entry.boolean('alias', undefined, BOOLEANS);
      list.add(entry, 'nilai', entry.text('nilai', undefined, true), alias === true);
    }
    if (list.names.length === 0) victim.check.problem(victim.field('nama'), 'missing');
    return list.names;
  }
}
