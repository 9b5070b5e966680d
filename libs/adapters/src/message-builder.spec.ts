import { finishMessage, Provenance } from './message-builder';
import { VICTIM_NOTIFICATION } from './victim-notification';

describe('finishMessage', () => {
  it('reports a value past the schema limit with the problems found before, on its national field', () => {
    const provenance = new Provenance();
    provenance.set('location.place', 3, 'Place');
    const outcome = finishMessage(
      {
        country: 'TH',
        type: VICTIM_NOTIFICATION,
        reference: 'ATPD-1',
        data: { caseRef: 'TH-ATPD-1', location: { country: 'TH', place: 'x'.repeat(301) } },
        provenance,
      },
      [{ record: 3, field: 'ScreenedOn', reason: 'invalid date "32/01/2569"' }],
    );
    expect(outcome.problems).toEqual([
      { record: 3, field: 'ScreenedOn', reason: 'invalid date "32/01/2569"' },
      { record: 3, field: 'Place', reason: 'too long' },
    ]);
  });
});
