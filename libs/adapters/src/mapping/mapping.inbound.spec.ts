import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runConvert } from '../convert.runner';
import { MappingAdapter } from './mapping.inbound';
import { loadMapping } from './mapping.loader';

/** Converts `input` with the mapping file alone: what `rdx adapter convert --mapping` prints. */
async function convert(mappingFile: string, input: string) {
  const [out, err] = [new PassThrough(), new PassThrough()];
  let [stdout, stderr] = ['', ''];
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await runConvert(new MappingAdapter(loadMapping(mappingFile)), input, out, err);
  const lines = (text: string) => text.split('\n').filter((l) => l !== '');
  return { code, messages: lines(stdout).map((l) => JSON.parse(l)), problems: lines(stderr).sort() };
}

let dir: string;
const write = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rdx-mapping-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a format no code knows, converted by its mapping file alone', () => {
  const mapping = `# A made-up Thai format: JSON, Buddhist-era dates with dots, nested keys, codes of its own.
country: TH
format: json
type: org.asean.rdx.victim-identification-notification.v1
reference: raignan.lek_thi
calling-code: "+66"
date: DD.MM.BBBB
booleans: { true: ["chai", true], false: ["mai", false] }
persons: phu_siahai
fields:
  identifiedOn:         { from: wan_thi, as: date, reference-date: true }
  location.country:     { value: TH }
  location.area:        { from: changwat, as: area, optional: true }
  location.place:       { from: sathanthi }
  custody.type:         { from: du_lae.praphet, map: { "01": shelter, "02": police, "03": immigration-detention } }
  custody.custodian:    { from: du_lae.hnuai_ngan }
  identificationStatus: { from: sathana, map: { SONGSAI: presumed, YUENYAN: identified } }
  needs:                { from: khwam_tongkan, split: "+", map: { PHAET: medical, KOTMAI: legal }, optional: true }
person:
  names:
    - { from: chue.thai }
    - { from: chue.latin, optional: true }
    - { from: chue_len, alias: true, optional: true }
  sex:                  { from: phet, map: { ying: female, chai: male } }
  dateOfBirth:          { from: wan_koet, as: date, optional: true }
  dateOfBirthEstimated: { from: pramaan, as: boolean, optional: true }
  isMinor:              { from: dek, as: boolean, optional: true }
  nationalities:        { from: sanchat, as: country }
  travelDocument.type:   { value: passport }
  travelDocument.number: { from: doen_thang.lek, optional: true }
  travelDocument.issuer: { from: doen_thang.prathet, as: country, optional: true }
  travelDocument.heldBy: { from: doen_thang.thue, map: { tua_eng: self, nai_jang: exploiter }, optional: true }
  phone:                { from: thorasap, as: phone, optional: true }
  languages:            { from: phasa, optional: true }
  victimObjectsToNotification: { from: khan, as: boolean }
  fearsPersecutionAtHome:      { from: klua, as: boolean }
`;
  const report = (reference: string, date: string, extra: object) => ({
    raignan: { lek_thi: reference },
    wan_thi: date,
    sathanthi: 'Mae Sot',
    du_lae: { praphet: '02', hnuai_ngan: 'Tak police' },
    sathana: 'SONGSAI',
    ...extra,
  });
  const input = [
    {
      ...report('dsi/2569/17', '20.11.2569', {}),
      changwat: 'th-63',
      sathanthi: '  Baan Kred Trakarn   shelter ',
      du_lae: { praphet: '01', hnuai_ngan: 'Department of Children and Youth' },
      sathana: 'yuenyan',
      khwam_tongkan: 'PHAET+kotmai+PHAET',
      phu_siahai: [
        {
          chue: { thai: 'มาลี ใจดี', latin: 'Malee Jaidee' },
          chue_len: ['Lee', 'ลี'],
          phet: 'YING',
          wan_koet: '29.02.2555',
          pramaan: 'chai',
          sanchat: ['MMR', 'mm'],
          doen_thang: { lek: 'MA1234567', prathet: 'MMR', thue: 'nai_jang' },
          thorasap: '081 234 5678',
          phasa: ['my', 'th'],
          khan: false,
          klua: 'mai',
        },
        { chue: { thai: 'Somchai' }, phet: 'chai', dek: 'chai', sanchat: 'LAO', khan: true, klua: false },
      ],
    },
    report('DSI/2569/18', '30.02.2569', {
      phu_siahai: [
        {
          chue: { latin: 'Aung Aung' },
          phet: 'x',
          sanchat: 'MM',
          doen_thang: { lek: 'MB7654321' },
          khan: false,
          klua: false,
        },
        {
          chue: { thai: 'Ko Ko' },
          phet: 'chai',
          sanchat: 'MM',
          phasa: ['english'],
          khan: 'maybe',
          klua: false,
        },
      ],
    }),
    { ...report('DSI/2569/19', '01.12.2569', {}), sathana: 'X' },
  ];

  it('writes exactly the messages and problems the mapping says', async () => {
    const result = await convert(write('th.yaml', mapping), write('th.json', JSON.stringify(input)));
    expect(result).toEqual({
      code: 1,
      messages: [
        {
          type: 'org.asean.rdx.victim-identification-notification.v1',
          id: '59e6f6d8-f4da-5f29-a784-4dc92b96f99c',
          data: {
            caseRef: 'TH-DSI/2569/17',
            persons: [
              {
                names: [
                  { value: 'มาลี ใจดี', script: 'Thai' },
                  { value: 'Malee Jaidee', script: 'Latn' },
                  { value: 'Lee', script: 'Latn', kind: 'alias' },
                  { value: 'ลี', script: 'Thai', kind: 'alias' },
                ],
                dateOfBirth: '2012-02-29',
                dateOfBirthEstimated: true,
                sex: 'female',
                nationalities: ['MM'],
                isMinor: true,
                travelDocument: { type: 'passport', number: 'MA1234567', issuer: 'MM', heldBy: 'exploiter' },
                phone: '+66812345678',
                languages: ['my', 'th'],
                victimObjectsToNotification: false,
                fearsPersecutionAtHome: false,
              },
              {
                names: [{ value: 'Somchai', script: 'Latn' }],
                sex: 'male',
                nationalities: ['LA'],
                isMinor: true,
                victimObjectsToNotification: true,
                fearsPersecutionAtHome: false,
              },
            ],
            location: { country: 'TH', area: 'TH-63', place: 'Baan Kred Trakarn shelter' },
            custody: { type: 'shelter', custodian: 'Department of Children and Youth' },
            identificationStatus: 'identified',
            needs: ['medical', 'legal'],
            identifiedOn: '2026-11-20',
          },
        },
      ],
      problems: [
        'record 2: field phu_siahai[0].chue.thai: missing',
        'record 2: field phu_siahai[0].doen_thang.prathet: missing',
        'record 2: field phu_siahai[0].doen_thang.thue: missing',
        'record 2: field phu_siahai[0].phet: unknown code "x"',
        'record 2: field phu_siahai[1].khan: unknown code "maybe"',
        'record 2: field phu_siahai[1].phasa: invalid language "english"',
        'record 2: field wan_thi: invalid date "30.02.2569"',
        'record 3: field phu_siahai: missing',
        'record 3: field sathana: unknown code "X"',
      ],
    });
    // The keys come in the schema's order, as the coded adapters write them.
    expect(Object.keys(result.messages[0].data)).toEqual([
      'caseRef',
      'persons',
      'location',
      'custody',
      'identificationStatus',
      'needs',
      'identifiedOn',
    ]);
  });
});

describe('another message type, from CSV: a trafficking incident alert', () => {
  const mapping = `country: PH
format: csv
type: org.asean.rdx.trafficking-incident-alert.v1
reference: ulat
date: MM/DD/YYYY
booleans: { true: ["oo"], false: ["hindi"] }
fields:
  country:           { from: bansa, as: country }
  area:              { from: lugar, as: area }
  site:              { from: pook }
  observedOn:        { from: petsa, as: date, reference-date: true }
  exploitationTypes: { from: uri, split: "|", map: { KRIMEN: forced-criminality, PAGGAWA: labour, SEKSWAL: sexual } }
  estimatedVictims:  { from: bilang, as: integer }
  minorsPresent:     { from: may_bata, as: boolean }
  platforms:         { from: plataporma, split: ",", optional: true }
  expiresAt:         { from: hanggang }
`;
  const header = 'ulat,bansa,lugar,pook,petsa,uri,bilang,may_bata,plataporma,hanggang,iba';

  it('converts integers, lists and a type without persons; no case rules without group', async () => {
    const csv = [
      header,
      'IACAT-1,khm,kh-18,"Compound, Otres road",11/18/2026,KRIMEN|paggawa|krimen,140,oo,"Facebook, Telegram,Facebook",2026-12-18T00:00:00Z,x',
      'IACAT-2,KH,KH-1,Poipet,13/01/2026,OTHER,lots,siguro,,2026-12-18,',
      'IACAT-2,KH,KH-1,Poipet,01/13/2026,SEKSWAL,100001,hindi,,2026-12-18T00:00:00Z,',
    ].join('\n');
    expect(await convert(write('ph.yaml', mapping), write('ph.csv', `${csv}\n`))).toEqual({
      code: 1,
      messages: [
        {
          type: 'org.asean.rdx.trafficking-incident-alert.v1',
          id: 'a14bc670-fd7d-5996-bb9c-c1db6bf83adc',
          data: {
            caseRef: 'PH-IACAT-1',
            country: 'KH',
            area: 'KH-18',
            site: 'Compound, Otres road',
            observedOn: '2026-11-18',
            exploitationTypes: ['forced-criminality', 'labour'],
            estimatedVictims: 140,
            victimsByNationality: [],
            minorsPresent: true,
            recruitmentChannels: [],
            platforms: ['Facebook', 'Telegram'],
            expiresAt: '2026-12-18T00:00:00Z',
          },
        },
      ],
      problems: [
        'record 2: field bilang: invalid number "lots"',
        'record 2: field hanggang: invalid date "2026-12-18"',
        'record 2: field may_bata: unknown code "siguro"',
        'record 2: field petsa: invalid date "13/01/2026"',
        'record 2: field uri: unknown code "OTHER"',
        'record 3: field bilang: invalid number "100001"',
      ],
    });
  });

  it('refuses a CSV without a column that a value without optional reads, but not one without an optional one', async () => {
    const file = write('ph.yaml', mapping);
    const withoutCount = write('no-count.csv', 'ulat,bansa,lugar,pook,petsa,uri,may_bata,hanggang\n');
    const refused = await convert(file, withoutCount);
    expect(refused).toEqual({
      code: 2,
      messages: [],
      problems: [expect.stringContaining('no column bilang')],
    });
    const withoutPlatforms = write(
      'no-platforms.csv',
      'ulat,bansa,lugar,pook,petsa,uri,bilang,may_bata,hanggang\nIACAT-3,PH,PH-00,Manila,01/02/2026,SEKSWAL,3,hindi,2026-02-01T00:00:00Z\n',
    );
    const converted = await convert(file, withoutPlatforms);
    expect(converted.code).toBe(0);
    expect(converted.messages[0].data.platforms).toEqual([]);
  });
});
