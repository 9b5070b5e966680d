import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { runConvert } from '../convert.runner';
import { MappingAdapter } from './mapping.inbound';
import { loadMapping } from './mapping.loader';

/** FORMATS.md section 9, through the installed bn.yaml: the KH register's columns, with its differences. */
const BN = resolve(__dirname, '../../../../config/adapters/bn.yaml');
const HEADER =
  'case_no,rescue_date,province,place,custody,custodian,status,needs,name_latin,name_local,alias,sex,dob,dob_estimated,minor,nationality,passport_no,passport_issuer,passport_held,phone,languages,objects_notification,fears_persecution,consular';

/** A row of the template: the values given by column, the others empty. */
function row(values: Record<string, string>): string {
  const base: Record<string, string> = {
    case_no: 'RPBK-1',
    rescue_date: '2026-11-10',
    place: 'Bandar Seri Begawan',
    custody: 'SH',
    custodian: 'Department of Community Development',
    status: 'I',
    name_latin: 'Ana Reyes',
    sex: 'F',
    nationality: 'PH',
    objects_notification: 'N',
    fears_persecution: 'N',
  };
  return HEADER.split(',')
    .map((column) => values[column] ?? base[column] ?? '')
    .join(',');
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rdx-template-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function convert(lines: string[], name = 'template.csv') {
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  const [out, err] = [new PassThrough(), new PassThrough()];
  let [stdout, stderr] = ['', ''];
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await runConvert(new MappingAdapter(loadMapping(BN)), join(dir, name), out, err);
  const split = (text: string) => text.split('\n').filter((l) => l !== '');
  const problems = split(stderr).map(
    (l) => /^record (\d+): field (.+?): /.exec(l)?.slice(1, 3).join(' ') ?? l,
  );
  return { code, messages: split(stdout).map((l) => JSON.parse(l)), problems: problems.sort() };
}

describe('the regional template (bn.yaml)', () => {
  it('takes alpha-2 and alpha-3 nationalities, an ISO subdivision in any case, ISO dates, +673', async () => {
    const { code, messages } = await convert([
      HEADER,
      row({ province: 'bn-bm', nationality: 'PHL;ph;IDN', dob: '2010-03-01', minor: 'N', phone: '712 3456' }),
    ]);
    expect(code).toBe(0);
    expect(messages[0].data.location).toEqual({ country: 'BN', area: 'BN-BM', place: 'Bandar Seri Begawan' });
    expect(messages[0].data.persons[0]).toMatchObject({
      nationalities: ['PH', 'ID'],
      dateOfBirth: '2010-03-01',
      isMinor: true,
      phone: '+6737123456',
    });
  });

  it('reports an unknown subdivision, and a passport without its issuer or holder, on their columns', async () => {
    const { code, problems } = await convert([
      HEADER,
      row({ case_no: 'A', province: 'Brunei-Muara' }),
      row({ case_no: 'B', passport_no: 'P1' }),
      row({ case_no: 'C', passport_issuer: 'XXX', passport_held: 'SELF' }),
    ]);
    expect(code).toBe(1);
    expect(problems).toEqual([
      '1 province',
      '2 passport_held',
      '2 passport_issuer',
      '3 passport_issuer',
      '3 passport_no',
    ]);
  });

  it('is not unusable without any name column: each person is missing on name_latin', async () => {
    const header = HEADER.replace(',name_latin,name_local,alias', '');
    const lines = [
      header,
      'RPBK-9,2026-11-10,,Muara,PO,Police,P,,M,,,,PH,,,,,,N,N,',
      'RPBK-10,2026-11-10,,Muara,PO,Police,P,,M,,,,PH,,,,,,N,N,',
    ];
    expect(await convert(lines, 'no-names.csv')).toEqual({
      code: 1,
      messages: [],
      problems: ['1 name_latin', '2 name_latin'],
    });
  });

  it('is unusable without a column that a required value reads', async () => {
    const header = HEADER.replace(',sex,', ',');
    expect((await convert([header], 'no-sex.csv')).code).toBe(2);
  });

  it('applies the case rules of section 3 on case_no', async () => {
    const { code, messages, problems } = await convert([
      HEADER,
      row({ case_no: 'rpbk-1' }),
      row({ case_no: 'RPBK-1', name_latin: 'Maria Santos', sex: 'Q' }),
      row({ case_no: 'RPBK-2' }),
      row({ case_no: 'RPBK-1' }),
      row({ case_no: '' }),
      row({ case_no: 'RPBK-3', minor: 'maybe' }),
      row({ case_no: 'RPBK-4', name_local: 'Siti', alias: 'Ti' }),
    ]);
    expect(code).toBe(1);
    expect(problems).toEqual(['2 sex', '4 case_no', '5 case_no', '6 minor']);
    expect(messages.map((m) => m.data.caseRef)).toEqual(['BN-RPBK-2', 'BN-RPBK-4']);
    expect(messages[1].data.persons[0].names).toEqual([
      { value: 'Ana Reyes', script: 'Latn' },
      { value: 'Siti', script: 'Latn' },
      { value: 'Ti', script: 'Latn', kind: 'alias' },
    ]);
  });
});
