import { NothingToRender, type MessageToRender } from '../contract';
import { IdVictimRecord } from '../id/id-victim-record.outbound';
import { PhReferral } from '../ph/ph-referral.outbound';
import { VICTIM_NOTIFICATION } from '../victim-notification';
import { reportingCountry } from './victim-record';

function aPerson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    names: [{ value: 'Siti Rahmawati', script: 'Latn' }],
    sex: 'female',
    nationalities: ['ID'],
    isMinor: false,
    victimObjectsToNotification: false,
    fearsPersecutionAtHome: false,
    ...overrides,
  };
}

function aMessage(
  persons: Record<string, unknown>[],
  overrides: Record<string, unknown> = {},
): MessageToRender {
  return {
    type: VICTIM_NOTIFICATION,
    id: '0d7c3e5a-8f1b-4c2d-9e6f-7a8b9c0d1e2f',
    source: 'TH.ATPD',
    data: {
      caseRef: 'TH-ATPD-2026-0117',
      persons,
      location: { country: 'TH', place: 'Mae Sot' },
      custody: { type: 'police', custodian: 'Tak police' },
      identificationStatus: 'screening',
      needs: [],
      identifiedOn: '2026-02-03',
      ...overrides,
    },
  };
}

const victimsOf = (record: Record<string, unknown>, key: string) => record[key] as Record<string, unknown>[];

describe('the victim record of ID and of PH', () => {
  it('writes a person verified, not claimed, as a national', () => {
    const record = new IdVictimRecord().render(
      aMessage([aPerson({ nationalities: ['MY'], verifiedNationalities: ['ID'] })]),
    );
    expect(victimsOf(record, 'korban').map((v) => v.nama)).toEqual(['Siti Rahmawati']);
  });

  it('never writes one who fears persecution at home or objects to notification', () => {
    const message = aMessage([
      aPerson({ fearsPersecutionAtHome: true }),
      aPerson({ names: [{ value: 'Agus' }], victimObjectsToNotification: true }),
      aPerson({ names: [{ value: 'Dewi' }] }),
    ]);
    expect(victimsOf(new IdVictimRecord().render(message), 'korban').map((v) => v.nama)).toEqual(['Dewi']);
    expect(() =>
      new IdVictimRecord().render(
        aMessage([aPerson({ fearsPersecutionAtHome: true, verifiedNationalities: ['ID'] })]),
      ),
    ).toThrow(NothingToRender);
  });

  it('writes no passport issued by another country, nor who holds it', () => {
    const travelDocument = { type: 'passport', number: 'MY123', issuer: 'MY', heldBy: 'exploiter' };
    const [victim] = victimsOf(
      new IdVictimRecord().render(aMessage([aPerson({ travelDocument })])),
      'korban',
    );
    expect(victim).not.toHaveProperty('nomor_paspor');
    expect(victim).not.toHaveProperty('paspor_dipegang');
  });

  it("writes the country's own passport, and not another document it issued", () => {
    const passport = { type: 'passport', number: 'P123', issuer: 'PH', heldBy: 'self' };
    const idCard = { type: 'id-card', number: 'C99', issuer: 'PH', heldBy: 'self' };
    const referral = new PhReferral().render(
      aMessage([
        aPerson({ nationalities: ['PH'], travelDocument: passport }),
        aPerson({ nationalities: ['PH'], travelDocument: idCard }),
      ]),
    );
    const [first, second] = victimsOf(referral, 'victims');
    expect(first).toMatchObject({ passportNo: 'P123', passportHeldBy: 'SELF' });
    expect(second).not.toHaveProperty('passportNo');
  });

  it('names a person by the first Latin name, else the first, the others after in their scripts', () => {
    const thai = { value: 'สมชาย', script: 'Thai' };
    const referral = new PhReferral().render(
      aMessage([
        aPerson({ nationalities: ['PH'], names: [thai, { value: 'Chai', script: 'Latn', kind: 'alias' }] }),
        aPerson({ nationalities: ['PH'], names: [thai, { value: 'ชัย' }] }),
      ]),
    );
    expect(victimsOf(referral, 'victims').map((v) => [v.fullName, v.aliases])).toEqual([
      ['Chai', ['สมชาย']],
      ['สมชาย', ['ชัย']],
    ]);
  });

  it('leaves out keys with no value and writes consular access false when absent', () => {
    const referral = new PhReferral().render(aMessage([aPerson({ nationalities: ['PH'] })]));
    expect(referral).not.toHaveProperty('needs');
    expect(referral.location).toEqual({ country: 'TH', place: 'Mae Sot' });
    expect(victimsOf(referral, 'victims')[0]).toEqual({
      fullName: 'Siti Rahmawati',
      sex: 'F',
      minor: false,
      objectsToNotification: false,
      consularAccessRequested: false,
    });
  });

  it('writes an estimated birth date only with the date, in the country pattern', () => {
    const person = aPerson({ dateOfBirth: '2010-01-02', dateOfBirthEstimated: false });
    const [victim] = victimsOf(new IdVictimRecord().render(aMessage([person])), 'korban');
    expect(victim).toMatchObject({ tanggal_lahir: '02-01-2010', perkiraan: false });
    const [undated] = victimsOf(
      new IdVictimRecord().render(aMessage([aPerson({ dateOfBirthEstimated: true })])),
      'korban',
    );
    expect(undated).not.toHaveProperty('perkiraan');
  });

  it('takes the reporting country from the source when it is a member, else from the caseRef', () => {
    expect(reportingCountry('KH.CNP', 'TH-1')).toBe('KH');
    expect(reportingCountry('KH', 'TH-1')).toBe('KH');
    expect(reportingCountry('UN.IOM', 'TH-1')).toBe('TH');
    expect(reportingCountry(undefined, 'TH-1')).toBe('TH');
  });
});
