import { converted, scratchFiles } from '@rdx/testing';
import { MyShelterAdmissions } from './my-shelter-admissions.inbound';

/** One MAPO admission with one victim, every required key there; `victim` overrides the victim's keys. */
function anAdmission(overrides: Record<string, unknown> = {}, victim: Record<string, unknown> = {}) {
  return {
    no_rujukan: 'MAPO-2026-0400',
    tarikh_dikenal_pasti: '24-11-2026',
    tempat: 'Rumah perlindungan, Kuala Lumpur',
    jenis_jagaan: 'TEMPAT_PERLINDUNGAN',
    penjaga: 'Jabatan Kebajikan Masyarakat',
    status: 'ANGGAPAN',
    mangsa: [
      {
        nama: [{ nilai: 'Hla Hla' }],
        jantina: 'P',
        warganegara: ['MM'],
        bantah_pemberitahuan: false,
        takut_penganiayaan: false,
        ...victim,
      },
    ],
    ...overrides,
  };
}

describe('MyShelterAdmissions', () => {
  const files = scratchFiles('rdx-my-');
  /** Writes `content` (JSON, or text as it is) to a file and converts it as `rdx adapter convert` would. */
  const convert = (content: unknown) => converted(new MyShelterAdmissions(), files.write(content));

  it('takes negeri as exactly two digits 01 to 16, a JSON number as its decimal text', async () => {
    const result = await convert(['1', '17', '00', 1, '16', 10].map((negeri) => anAdmission({ negeri })));
    expect(result.code).toBe(1);
    expect(result.problems).toEqual(['1 negeri', '2 negeri', '3 negeri', '4 negeri']);
    expect(result.messages.map((m) => m.data.location.area)).toEqual(['MY-16', 'MY-10']);
  });

  it('makes one born on 29 February an adult on 1 March of a non-leap year', async () => {
    const born = { tarikh_lahir: '29-02-2008' };
    const result = await convert([
      anAdmission({ tarikh_dikenal_pasti: '28-02-2026' }, born),
      anAdmission({ tarikh_dikenal_pasti: '1-3-2026' }, born),
    ]);
    expect(result.messages.map((m) => m.data.persons[0].isMinor)).toEqual([true, false]);
  });

  it('uses bawah_umur only without a date of birth, but checks it always', async () => {
    const result = await convert([
      anAdmission({}, { bawah_umur: true }),
      anAdmission({}, { bawah_umur: true, tarikh_lahir: '01-01-1990', anggaran: true }),
      anAdmission({}, { bawah_umur: 'ya', tarikh_lahir: '01-01-1990' }),
      anAdmission({}, { anggaran: true }),
    ]);
    expect(result.problems).toEqual(['3 mangsa[0].bawah_umur']);
    const [child, adult, noBirthDate] = result.messages.map((m) => m.data.persons[0]);
    expect(child.isMinor).toBe(true);
    expect(adult).toMatchObject({ isMinor: false, dateOfBirthEstimated: true });
    expect(noBirthDate).not.toHaveProperty('dateOfBirthEstimated');
  });

  it('reads names in order, aliases marked, and names a nameless person on nama', async () => {
    const result = await convert([
      anAdmission({}, { nama: [{ nilai: 'Thida' }, {}, { nilai: 'Ma Thi', alias: true }] }),
      anAdmission({}, { nama: [{ nilai: 'Thida' }, { alias: true }] }),
      anAdmission({}, { nama: [] }),
    ]);
    expect(result.messages[0].data.persons[0].names).toEqual([
      { value: 'Thida', script: 'Latn' },
      { value: 'Ma Thi', script: 'Latn', kind: 'alias' },
    ]);
    expect(result.problems).toEqual(['2 mangsa[0].nama[1].nilai', '3 mangsa[0].nama']);
  });

  it('reports a value of the wrong JSON type on its key instead of dropping it', async () => {
    const result = await convert([
      anAdmission({}, { telefon: true, pasport: 'MB123', bantah_pemberitahuan: 'false' }),
    ]);
    expect(result.problems.sort()).toEqual([
      '1 mangsa[0].bantah_pemberitahuan',
      '1 mangsa[0].pasport',
      '1 mangsa[0].telefon',
    ]);
  });

  it('reports a value past the schema limits with the record’s other problems', async () => {
    const result = await convert([
      anAdmission({ tempat: 'x'.repeat(301), tarikh_dikenal_pasti: '2026-11-24' }),
    ]);
    expect(result.problems.sort()).toEqual(['1 tarikh_dikenal_pasti', '1 tempat']);
  });

  it('refuses a file whose top level is an object, with nothing on stdout', async () => {
    const result = await convert(anAdmission());
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
