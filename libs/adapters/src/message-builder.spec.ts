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

describe('finishMessage, for what no field explains', () => {
  it('rejects the record on its reference rather than emit data the schema refuses', () => {
    const provenance = new Provenance();
    provenance.set('caseRef', 7, 'case_no');
    const outcome = finishMessage(
      {
        country: 'KH',
        type: VICTIM_NOTIFICATION,
        reference: 'CNP-1',
        // No persons at all: nothing in the national record maps to `persons`.
        data: { caseRef: 'KH-CNP-1', persons: [] },
        provenance,
      },
      [],
    );
    expect(outcome.message).toBeUndefined();
    expect(outcome.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ record: 7, field: 'case_no' })]),
    );
  });
});
