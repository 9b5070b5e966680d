import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outcome } from '../contract';
import { PhIncidentReport } from './ph-incident-report.inbound';

/** A report that converts cleanly; each test changes what it is about. */
function aReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    referenceNo: 'IACAT-2026-1300',
    country: 'KH',
    areaCode: 'KH-18',
    siteDescription: 'Compound in Bavet',
    observedDate: '01/13/2026',
    exploitation: ['FORCED_CRIMINALITY'],
    estimatedVictims: 12,
    minorsPresent: false,
    ...overrides,
  };
}

function aPerson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { fullName: 'Jose Rizal', sex: 'M', nationality: ['PH'], ...overrides };
}

let folder: string;
beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'ph-incidents-'))));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function convert(...reports: unknown[]): Promise<Outcome[]> {
  const file = join(folder, `${reports.length}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(reports));
  const outcomes: Outcome[] = [];
  for await (const outcome of new PhIncidentReport().convert(file)) outcomes.push(outcome);
  return outcomes;
}

async function dataOf(report: unknown): Promise<Record<string, unknown>> {
  const [outcome] = await convert(report);
  expect(outcome.problems).toBeUndefined();
  return outcome.message!.data;
}

async function fieldsOf(report: unknown): Promise<string[]> {
  const [outcome] = await convert(report);
  expect(outcome.message).toBeUndefined();
  return outcome.problems!.map((p) => p.field).sort();
}

describe('PhIncidentReport', () => {
  it('keeps an alert current 30 days by default, and validDays 1 to 365 as given', async () => {
    expect((await dataOf(aReport())).expiresAt).toBe('2026-02-12T00:00:00Z');
    expect((await dataOf(aReport({ validDays: 1 }))).expiresAt).toBe('2026-01-14T00:00:00Z');
    expect((await dataOf(aReport({ validDays: 365 }))).expiresAt).toBe('2027-01-13T00:00:00Z');
  });

  it.each([0, 366, 2.5, '30'])('refuses validDays %p', async (validDays) => {
    expect(await fieldsOf(aReport({ validDays }))).toEqual(['validDays']);
  });

  it('keeps the counts by nationality in the file order, without the zeros', async () => {
    const data = await dataOf(aReport({ victimsByNationality: { VN: 3, th: 0, ID: 5, id: 2 } }));
    expect(data.victimsByNationality).toEqual([
      { nationality: 'VN', count: 3 },
      { nationality: 'ID', count: 7 },
    ]);
  });

  it.each([2.5, '4', -1, 100001, null])(
    'refuses a count by nationality of %p, on that nationality',
    async (count) => {
      expect(await fieldsOf(aReport({ victimsByNationality: { PH: 4, ID: count } }))).toEqual([
        'victimsByNationality.ID',
      ]);
    },
  );

  it('refuses a nationality that is not an alpha-2 code, on its key', async () => {
    expect(await fieldsOf(aReport({ victimsByNationality: { IDN: 4, XX: 1 } }))).toEqual([
      'victimsByNationality.IDN',
      'victimsByNationality.XX',
    ]);
  });

  it('takes estimatedVictims only as a JSON integer from 0 to 100000', async () => {
    expect((await dataOf(aReport({ estimatedVictims: 100000 }))).estimatedVictims).toBe(100000);
    for (const estimatedVictims of ['12', 12.5, -1, 100001, undefined])
      expect(await fieldsOf(aReport({ estimatedVictims }))).toEqual(['estimatedVictims']);
  });

  it('writes the area in upper case and refuses one off the schema pattern', async () => {
    expect((await dataOf(aReport({ areaCode: 'kh-18' }))).area).toBe('KH-18');
    expect(await fieldsOf(aReport({ areaCode: 'Sihanoukville' }))).toEqual(['areaCode']);
  });

  it('takes only JSON booleans for minorsPresent, and an ASEAN country', async () => {
    expect(await fieldsOf(aReport({ minorsPresent: 'true', country: 'CN' }))).toEqual([
      'country',
      'minorsPresent',
    ]);
  });

  it('counts an empty exploitation list as missing', async () => {
    expect(await fieldsOf(aReport({ exploitation: [] }))).toEqual(['exploitation']);
  });

  it('reports a site past the schema limit as too long, on siteDescription', async () => {
    const [outcome] = await convert(aReport({ siteDescription: 'x'.repeat(301) }));
    expect(outcome.problems).toEqual([{ record: 1, field: 'siteDescription', reason: 'too long' }]);
  });

  it('writes suspects as identifiers and reports a bad one on its own path', async () => {
    const suspects = [{ type: 'social_media', value: ' telegram:@hr_kh ' }];
    expect((await dataOf(aReport({ suspects }))).suspectIdentifiers).toEqual([
      { kind: 'account', value: 'telegram:@hr_kh' },
    ]);
    expect(await fieldsOf(aReport({ suspects: [{ type: 'EMAIL' }] }))).toEqual([
      'suspects[0].type',
      'suspects[0].value',
    ]);
  });

  it('leaves persons out when the list is empty, and lists of free text each value once', async () => {
    const data = await dataOf(aReport({ persons: [], platforms: ['Telegram', ' Telegram ', 'LINE'] }));
    expect(data).not.toHaveProperty('persons');
    expect(data).not.toHaveProperty('suspectIdentifiers');
    expect(data.platforms).toEqual(['Telegram', 'LINE']);
  });

  it("uses the person's minor flag only without a birth date", async () => {
    const data = await dataOf(
      aReport({
        persons: [aPerson({ minor: true }), aPerson({ minor: true, birthDate: '01/13/2008' })],
      }),
    );
    expect((data.persons as { isMinor: boolean }[]).map((p) => p.isMinor)).toEqual([true, false]);
  });

  it("reports each person's problems on the person's own keys", async () => {
    const persons = [
      aPerson(),
      aPerson({ fullName: ' ', aliases: ['Pepe'], sex: 'male', nationality: [], mobile: '12', minor: 'Y' }),
    ];
    expect(await fieldsOf(aReport({ persons }))).toEqual([
      'persons[1].fullName',
      'persons[1].minor',
      'persons[1].mobile',
      'persons[1].nationality',
      'persons[1].sex',
    ]);
  });

  it('reports every required key of an element that is not an object', async () => {
    const [, outcome] = await convert(aReport(), 'IACAT-1');
    expect(outcome.problems!.map((p) => `${p.record} ${p.field}`)).toEqual(
      expect.arrayContaining(['2 referenceNo', '2 observedDate', '2 estimatedVictims', '2 minorsPresent']),
    );
  });
});
