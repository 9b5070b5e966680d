import { converted, scratchFiles } from '@rdx/testing';
import { IdComplaints } from './id-complaints.inbound';

/** One complaint about one citizen, every required key there; `wni` overrides the citizen's keys. */
function aComplaint(overrides: Record<string, unknown> = {}, wni: Record<string, unknown> = {}) {
  return {
    nomor_pengaduan: 'KEMLU/PWNI/2026/0900',
    tanggal_kontak_terakhir: '30-10-2026',
    saluran: 'WA',
    hubungan_pelapor: 'ORANG_TUA',
    kronologi: 'Hilang kontak sejak Oktober.',
    lokasi_terakhir: { negara: 'KH', tempat: 'Poipet' },
    wni: [{ nama: 'Dewi Lestari', jenis_kelamin: 'P', ...wni }],
    ...overrides,
  };
}

describe('IdComplaints', () => {
  const files = scratchFiles('rdx-id-');
  /** Writes `content` (JSON, or text as it is) to a file and converts it as `rdx adapter convert` would. */
  const convert = (content: unknown) => converted(new IdComplaints(), files.write(content));

  it('gives 0812…, 62812… and +62 812… the same number, and only the + to 62…', async () => {
    const result = await convert(
      ['0812-3456-7890', '6281234567890', '+62 812 3456 7890', '0062 812.3456.7890'].map((telepon) =>
        aComplaint({}, { telepon }),
      ),
    );
    expect(result.code).toBe(0);
    expect(result.messages.map((m) => m.data.persons[0].phone)).toEqual(Array(4).fill('+6281234567890'));
  });

  it('makes one born on 29 February an adult on 1 March of a non-leap year', async () => {
    const born = { tanggal_lahir: '29-02-2008' };
    const result = await convert([
      aComplaint({ tanggal_kontak_terakhir: '28-02-2026' }, born),
      aComplaint({ tanggal_kontak_terakhir: '01-03-2026' }, born),
    ]);
    expect(result.messages.map((m) => m.data.persons[0].isMinor)).toEqual([true, false]);
  });

  it('makes every person an Indonesian citizen with an Indonesian passport', async () => {
    const result = await convert([
      aComplaint({}, { nomor_paspor: 'C9988776', paspor_dipegang: 'aparat' }),
      aComplaint({}, { paspor_dipegang: 'SENDIRI' }),
    ]);
    expect(result.messages[0].data.persons[0]).toMatchObject({
      nationalities: ['ID'],
      travelDocument: { type: 'passport', number: 'C9988776', issuer: 'ID', heldBy: 'authority' },
    });
    expect(result.problems).toEqual(['2 wni[0].nomor_paspor']);
  });

  it('puts nama_lain after nama as aliases, a bad one reported on the list', async () => {
    const result = await convert([
      aComplaint({}, { nama_lain: ['Ayu', 'Putri'] }),
      aComplaint({}, { nama_lain: ['Ayu', 'x'.repeat(201)] }),
    ]);
    expect(result.messages[0].data.persons[0].names).toEqual([
      { value: 'Dewi Lestari', script: 'Latn' },
      { value: 'Ayu', script: 'Latn', kind: 'alias' },
      { value: 'Putri', script: 'Latn', kind: 'alias' },
    ]);
    expect(result.problems).toEqual(['2 wni[0].nama_lain']);
  });

  it('takes 1 to 10 persons and a last known location with its country and place', async () => {
    const eleven = Array.from({ length: 11 }, () => ({ nama: 'Eko', jenis_kelamin: 'L' }));
    const result = await convert([
      aComplaint({ wni: eleven }),
      aComplaint({ wni: [], lokasi_terakhir: undefined }),
      aComplaint({ lokasi_terakhir: { negara: 'kh', wilayah: 'kh-1', tempat: 'Poipet' } }),
    ]);
    expect(result.problems.sort()).toEqual([
      '1 wni',
      '2 lokasi_terakhir.negara',
      '2 lokasi_terakhir.tempat',
      '2 wni',
    ]);
    expect(result.messages[0].data.lastKnownLocation).toEqual({
      country: 'KH',
      area: 'KH-1',
      place: 'Poipet',
    });
  });

  it('names suspect identifiers by their index in the file, an empty one skipped', async () => {
    const result = await convert([
      aComplaint({ identitas_pelaku: [{ jenis: 'DOMPET', nilai: 'TQ1x' }, {}, { nilai: '@hr' }] }),
    ]);
    expect(result.problems).toEqual(['1 identitas_pelaku[2].jenis']);
  });

  it('refuses a file whose top level is an object, with nothing on stdout', async () => {
    const result = await convert(aComplaint());
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
