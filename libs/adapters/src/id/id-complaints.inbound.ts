import type { InboundAdapter, Outcome } from '../contract';
import { defined, isMinor, JsonFields, NameList, nonEmpty, passport } from '../json-record';
import { finishMessage, Provenance } from '../message-builder';
import { jsonArrayRecords } from '../readers/json.reader';
import { CodeTable, RecordCheck } from '../record-check';
import { LOCATE_REQUEST } from '../victim-notification';

const DATE = 'DD-MM-YYYY';
const CALLING_CODE = '+62';
const CHANNEL: CodeTable = {
  TELEPON: 'phone-call',
  SMS: 'sms',
  WA: 'whatsapp',
  TELEGRAM: 'telegram',
  FB: 'facebook-messenger',
  LINE: 'line',
  WECHAT: 'wechat',
  SIGNAL: 'signal',
  LAINNYA: 'other',
};
const RELATIONSHIP: CodeTable = {
  ORANG_TUA: 'parent',
  SUAMI_ISTRI: 'spouse',
  ANAK: 'child',
  SAUDARA_KANDUNG: 'sibling',
  KERABAT: 'other-relative',
  TEMAN: 'friend',
  TOKOH_MASYARAKAT: 'community-leader',
  LAINNYA: 'other',
};
const SEX: CodeTable = { L: 'male', P: 'female' };
const HELD: CodeTable = { SENDIRI: 'self', PERUSAHAAN: 'exploiter', APARAT: 'authority', HILANG: 'lost' };
const SUSPECT: CodeTable = { TELEPON: 'phone', AKUN: 'account', DOMPET: 'wallet', LAINNYA: 'other' };

/**
 * ID: complaints from families to Portal Peduli WNI (FORMATS.md section 6, "In"), a JSON array
 * with Indonesian keys; each element is one locate request for Indonesian citizens.
 */
export class IdComplaints implements InboundAdapter {
  readonly country = 'ID';

  async *convert(file: string): AsyncIterable<Outcome> {
    for await (const { record, value } of jsonArrayRecords(file)) yield this.outcome(record, value);
  }

  private outcome(record: number, value: unknown): Outcome {
    const check = new RecordCheck(record);
    const provenance = new Provenance();
    const complaint = JsonFields.record(check, provenance, value);

    const reference = complaint.reference('nomor_pengaduan', 'ID');
    const lastContactOn = complaint.date('tanggal_kontak_terakhir', 'lastContactOn', DATE, true);
    const persons = complaint
      .objects('wni', 'persons', true)
      .map((wni, i) => this.person(wni.into(`persons[${i}]`), lastContactOn));
    const location = complaint.nested('lokasi_terakhir');
    const data = defined({
      caseRef: reference === undefined ? undefined : `ID-${reference}`,
      persons,
      lastKnownLocation: defined({
        country: location.country('negara', 'lastKnownLocation.country', {
          required: true,
          accept: 'alpha-2',
          asean: true,
        }),
        // An ISO 3166-2 code, so upper case whatever case it comes in (rule 5); the schema's pattern checks it.
        area: location.text('wilayah', 'lastKnownLocation.area')?.toUpperCase(),
        place: location.text('tempat', 'lastKnownLocation.place', true),
      }),
      lastContactOn,
      lastContactChannel: complaint.code('saluran', 'lastContactChannel', CHANNEL, true),
      circumstances: complaint.text('kronologi', 'circumstances', true),
      reporterRelationship: complaint.code('hubungan_pelapor', 'reporterRelationship', RELATIONSHIP, true),
      suspectIdentifiers: nonEmpty(this.suspects(complaint)),
    });
    return finishMessage(
      { country: 'ID', type: LOCATE_REQUEST, reference, data, provenance },
      check.problems,
    );
  }

  /** Every person is an Indonesian citizen: nationality ID, passports issued by ID. */
  private person(wni: JsonFields, lastContactOn: string | undefined): Record<string, unknown> {
    const names = new NameList();
    names.add(wni, 'nama', wni.text('nama', undefined, true));
    for (const alias of wni.texts('nama_lain', 'names')) names.add(wni, 'nama_lain', alias, true);
    const dateOfBirth = wni.date('tanggal_lahir', 'dateOfBirth', DATE);
    return defined({
      names: names.names,
      dateOfBirth,
      sex: wni.code('jenis_kelamin', 'sex', SEX, true),
      nationalities: ['ID'],
      isMinor: isMinor(dateOfBirth, lastContactOn),
      travelDocument: passport(wni, { number: 'nomor_paspor', heldBy: 'paspor_dipegang' }, HELD, 'ID'),
      phone: wni.phone('telepon', 'phone', CALLING_CODE, true),
      languages: nonEmpty(wni.languages('bahasa', 'languages')),
    });
  }

  /** `identitas_pelaku`: rule 3, an identifier with nothing in it is skipped; else both keys are required. */
  private suspects(complaint: JsonFields): Record<string, unknown>[] {
    return complaint
      .objects('identitas_pelaku', 'suspectIdentifiers')
      .filter((suspect) => suspect.given('jenis', 'nilai'))
      .map((suspect, i) => {
        const at = suspect.into(`suspectIdentifiers[${i}]`);
        return {
          kind: at.code('jenis', 'kind', SUSPECT, true),
          value: at.text('nilai', 'value', true),
        };
      });
  }
}
