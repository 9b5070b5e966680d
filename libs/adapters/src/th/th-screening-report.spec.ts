import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runConvert } from '../convert.runner';
import { ThScreeningReport } from './th-screening-report.inbound';

/** A `Person` element: a valid one, with some of its child elements replaced ('' removes one). */
function aPerson(elements: Record<string, string> = {}): string {
  const defaults = {
    Name: '<Name>Nang Seng</Name>',
    Sex: '<Sex>หญิง</Sex>',
    Nationality: '<Nationality>MM</Nationality>',
    ObjectsToNotification: '<ObjectsToNotification>false</ObjectsToNotification>',
    FearsPersecution: '<FearsPersecution>false</FearsPersecution>',
  };
  return `<Person>${Object.values({ ...defaults, ...elements }).join('')}</Person>`;
}

/** A `Case` element: a valid one, with some of its child elements replaced ('' removes one). */
function aCase(elements: Record<string, string> = {}, ref = 'ATPD-2569-0200'): string {
  const defaults = {
    ScreenedOn: '<ScreenedOn>01/12/2569</ScreenedOn>',
    Place: '<Place>Shelter, Chiang Rai</Place>',
    Custody: '<Custody type="shelter">Chiang Rai Shelter</Custody>',
    Result: '<Result>PENDING</Result>',
    Person: aPerson(),
  };
  return `<Case ref="${ref}">${Object.values({ ...defaults, ...elements }).join('')}</Case>`;
}

const report = (...cases: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ScreeningReport>${cases.join('\n')}</ScreeningReport>\n`;

describe('ThScreeningReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdx-th-'));
  let files = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Converts an XML text as `rdx adapter convert --country TH` does. */
  async function convert(xml: string) {
    const file = join(dir, `${++files}.xml`);
    writeFileSync(file, xml);
    const [out, err] = [new PassThrough(), new PassThrough()];
    let [stdout, stderr] = ['', ''];
    out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await runConvert(new ThScreeningReport(), file, out, err);
    const messages = stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { id: string; data: Record<string, any> });
    const problems = [...stderr.matchAll(/^record (\d+): field (.+?): /gm)].map((m) => `${m[1]} ${m[2]}`);
    return {
      code,
      stdout,
      stderr,
      messages,
      data: messages.map((m) => m.data),
      problems: [...new Set(problems)].sort(),
    };
  }

  it('reads a Buddhist-era leap day: 29/02/2567 is 29 February 2024, 29/02/2568 does not exist', async () => {
    const leap = await convert(report(aCase({ ScreenedOn: '<ScreenedOn>29/02/2567</ScreenedOn>' })));
    expect(leap.code).toBe(0);
    expect(leap.data[0].identifiedOn).toBe('2024-02-29');

    const notLeap = await convert(report(aCase({ ScreenedOn: '<ScreenedOn>29/02/2568</ScreenedOn>' })));
    expect(notLeap).toMatchObject({ code: 1, stdout: '', problems: ['1 ScreenedOn'] });
  });

  it('measures minors on the screening date: born 29/02/2551 turns 18 on 1 March 2569, whatever Minor says', async () => {
    const born = (screened: string, ref: string) =>
      aCase(
        {
          ScreenedOn: `<ScreenedOn>${screened}</ScreenedOn>`,
          Person: aPerson({
            BirthDate: '<BirthDate estimated="false">29/02/2551</BirthDate><Minor>false</Minor>',
          }),
        },
        ref,
      );
    const { code, data } = await convert(report(born('28/02/2569', 'A-1'), born('1/3/2569', 'A-2')));
    expect(code).toBe(0);
    expect(data.map((d) => d.persons[0])).toMatchObject([
      { dateOfBirth: '2008-02-29', dateOfBirthEstimated: false, isMinor: true },
      { dateOfBirth: '2008-02-29', dateOfBirthEstimated: false, isMinor: false },
    ]);
  });

  it('takes a Province of exactly two digits as TH- and them, and refuses any other', async () => {
    const province = (value: string, ref: string) =>
      aCase({ Province: `<Province>${value}</Province>` }, ref);
    const { code, data, problems } = await convert(
      report(province('10', 'A-1'), province('6', 'A-2'), province('063', 'A-3'), province('๖๓', 'A-4')),
    );
    expect(code).toBe(1);
    expect(data).toHaveLength(1);
    expect(data[0].location).toEqual({ country: 'TH', area: 'TH-10', place: 'Shelter, Chiang Rai' });
    expect(problems).toEqual(['2 Province', '3 Province', '4 Province']);
  });

  describe('a document with a DOCTYPE or an ENTITY', () => {
    let server: Server;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('is refused as a whole (exit 2, nothing on stdout) and no entity is fetched or expanded', async () => {
      const secret = join(dir, 'secret.txt');
      writeFileSync(secret, 'NOT-FOR-THE-GATEWAY');
      const { port } = server.address() as { port: number };
      const { code, stdout, stderr } = await convert(
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
          `<!DOCTYPE ScreeningReport [\n` +
          `  <!ENTITY local SYSTEM "file://${secret}">\n` +
          `  <!ENTITY remote SYSTEM "http://127.0.0.1:${port}/x.xml">\n` +
          `]>\n` +
          report(aCase({ Place: '<Place>&local; &remote;</Place>' })).replace(/^<\?xml.*\n/, ''),
      );
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/DOCTYPE/);
      expect(stderr).not.toContain('NOT-FOR-THE-GATEWAY');
      expect(connections).toBe(0);
    });

    it('is refused too when the ENTITY stands outside any DOCTYPE', async () => {
      const { code, stdout } = await convert(
        `<!ENTITY x SYSTEM "http://127.0.0.1/">\n` + report(aCase()).replace(/^<\?xml.*\n/, ''),
      );
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    });
  });

  it('reports a missing Custody on both Custody and Custody/@type, and each on its own otherwise', async () => {
    const { code, problems } = await convert(
      report(
        aCase({ Custody: '' }, 'A-1'),
        aCase({ Custody: '<Custody>Chiang Rai Shelter</Custody>' }, 'A-2'),
        aCase({ Custody: '<Custody type="police">  </Custody>' }, 'A-3'),
        aCase({ Custody: '<Custody type="jail">Provincial Police</Custody>' }, 'A-4'),
      ),
    );
    expect(code).toBe(1);
    expect(problems).toEqual([
      '1 Custody',
      '1 Custody/@type',
      '2 Custody/@type',
      '3 Custody',
      '4 Custody/@type',
    ]);
  });

  it('reports every problem of a record, on 1-based Person paths', async () => {
    const { code, stdout, problems } = await convert(
      report(
        aCase({
          Need: '<Need>legal</Need><Need>shelter</Need>',
          Person:
            aPerson({
              Name: '<Name> </Name>',
              Nationality: '<Nationality>MMR</Nationality>',
              Document: '<Document type="passport" issuer="MM">MA1234567</Document>',
            }) +
            aPerson({
              BirthDate: '<BirthDate estimated="perhaps">31/04/2550</BirthDate>',
              Language: '<Language>Burmese</Language>',
            }),
        }),
      ),
    );
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(problems).toEqual([
      '1 Need',
      '1 Person[1]/Document/@heldBy',
      '1 Person[1]/Name',
      '1 Person[1]/Nationality',
      '1 Person[2]/BirthDate',
      '1 Person[2]/BirthDate/@estimated',
      '1 Person[2]/Language',
    ]);
  });

  it('reports a case without any Person on Person, and one without a ref on @ref', async () => {
    const { problems } = await convert(report(aCase({ Person: '' }), aCase({}, '').replace(' ref=""', '')));
    expect(problems).toEqual(['1 Person', '2 @ref']);
  });

  it('refuses a ref seen at an earlier Case, compared in upper case', async () => {
    const { code, data, problems, stderr } = await convert(
      report(aCase({}, 'ATPD-1'), aCase({}, 'ATPD-2'), aCase({}, 'atpd-1')),
    );
    expect(code).toBe(1);
    expect(data.map((d) => d.caseRef)).toEqual(['TH-ATPD-1', 'TH-ATPD-2']);
    expect(problems).toEqual(['3 @ref']);
    expect(stderr).toContain('case already seen at record 1');
  });

  it('reads names, aliases, a travel document in schema values and a Thai phone', async () => {
    const { code, data } = await convert(
      report(
        aCase({
          Need: '<Need>Legal</Need><Need>medical</Need><Need>legal</Need>',
          Person: aPerson({
            Name: '<Name type="alias">ริกกี้</Name><Name type="nickname">Rizky  Pratama</Name>',
            Sex: '<Sex> ไม่ทราบ </Sex>',
            Nationality: '<Nationality>id</Nationality><Nationality>ID</Nationality>',
            Document: '<Document type="ID-Card" issuer="id" heldBy="Exploiter"> C1122334 </Document>',
            Phone: '<Phone>+66 (81) 234-5678</Phone>',
          }),
        }),
      ),
    );
    expect(code).toBe(0);
    expect(data[0].needs).toEqual(['legal', 'medical']);
    expect(data[0].persons[0]).toEqual({
      names: [
        { value: 'ริกกี้', script: 'Thai', kind: 'alias' },
        { value: 'Rizky Pratama', script: 'Latn' },
      ],
      sex: 'unknown',
      nationalities: ['ID'],
      isMinor: false,
      travelDocument: { type: 'id-card', number: 'C1122334', issuer: 'ID', heldBy: 'exploiter' },
      phone: '+66812345678',
      victimObjectsToNotification: false,
      fearsPersecutionAtHome: false,
    });
  });

  it('reports a value past the schema limit together with the record’s other problems', async () => {
    const { problems } = await convert(
      report(
        aCase({
          ScreenedOn: '<ScreenedOn>32/01/2569</ScreenedOn>',
          Place: `<Place>${'x'.repeat(301)}</Place>`,
        }),
      ),
    );
    expect(problems).toEqual(['1 Place', '1 ScreenedOn']);
  });
});
