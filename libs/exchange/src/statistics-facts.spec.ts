import { statisticsFacts } from './statistics-facts';

const message = (recipients: string[], persons?: unknown[]) => ({
  id: 'm1',
  source: 'KH.CNP',
  type: 'org.asean.rdx.victim-identification-notification.v1',
  receivedAt: '2026-03-31T23:59:59.000Z',
  data: persons === undefined ? {} : { persons },
  recipients,
});

const flags = (facts: ReturnType<typeof statisticsFacts>) =>
  facts.map((f) => [
    f.recipient,
    f.nationality,
    f.nationalityPersons,
    f.firstNationality,
    f.firstInCountry,
    f.firstRecipient,
  ]);

describe('statisticsFacts', () => {
  it('has a row per recipient and nationality, a person of two nationalities in both', () => {
    const facts = statisticsFacts(
      message(
        ['ID.KEMLU', 'TH.ATPD', 'ID.POLRI'],
        [
          { nationalities: ['ID'], verifiedNationalities: ['MM'] },
          { nationalities: ['ID', 'ID'] },
          { nationalities: [] },
        ],
      ),
      'rdx-gateway',
    );
    expect(facts[0]).toMatchObject({ messageId: 'm1', month: '2026-03', source: 'KH.CNP', persons: 3 });
    expect(flags(facts)).toEqual([
      ['ID.KEMLU', 'ID', 2, true, true, true],
      ['ID.KEMLU', 'MM', 1, false, true, true],
      ['ID.KEMLU', null, 1, false, true, true],
      ['TH.ATPD', 'ID', 2, true, true, false],
      ['TH.ATPD', 'MM', 1, false, true, false],
      ['TH.ATPD', null, 1, false, true, false],
      ['ID.POLRI', 'ID', 2, true, false, false],
      ['ID.POLRI', 'MM', 1, false, false, false],
      ['ID.POLRI', null, 1, false, false, false],
    ]);
  });

  it('has one row with neither recipient nor nationality for a message to nobody about nobody', () => {
    expect(flags(statisticsFacts(message([]), 'rdx-gateway'))).toEqual([[null, null, 0, true, true, true]]);
  });

  it("has none for the gateway's own messages and for withdrawals", () => {
    expect(statisticsFacts({ ...message(['ID.KEMLU']), source: 'rdx-gateway' }, 'rdx-gateway')).toEqual([]);
    expect(
      statisticsFacts({ ...message(['ID.KEMLU']), type: 'org.asean.rdx.withdrawal.v1' }, 'rdx-gateway'),
    ).toEqual([]);
  });
});
