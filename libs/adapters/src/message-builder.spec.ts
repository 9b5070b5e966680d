import { finishMessage, Provenance } from './message-builder';
import { LOCATE_REQUEST } from './victim-notification';

describe('finishMessage', () => {
  it('reports a value past the schema limits together with the problems already found', () => {
    const provenance = new Provenance();
    provenance.set('circumstances', 3, 'kronologi');
    const outcome = finishMessage(
      {
        country: 'ID',
        type: LOCATE_REQUEST,
        reference: 'K/1',
        data: { caseRef: 'ID-K/1', circumstances: 'x'.repeat(2001) },
        provenance,
      },
      [{ record: 3, field: 'saluran', reason: 'missing' }],
    );
    expect(outcome.problems?.map((p) => `${p.record} ${p.field} ${p.reason}`)).toEqual([
      '3 saluran missing',
      '3 kronologi too long',
    ]);
  });
});
