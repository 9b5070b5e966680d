import { restrictedFields } from './redaction';

describe('restrictedFields', () => {
  it('finds marked fields through properties, array items, $ref and allOf', () => {
    const schema = {
      $defs: {
        Person: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            recruiter: { type: 'string', 'x-rdx-recipients': 'law-enforcement' },
          },
        },
      },
      type: 'object',
      properties: {
        suspects: { type: 'array', 'x-rdx-recipients': 'law-enforcement', items: { type: 'string' } },
        persons: { type: 'array', items: { $ref: '#/$defs/Person' } },
        note: { allOf: [{ type: 'string', 'x-rdx-recipients': 'coordination' }] },
      },
    };
    expect(restrictedFields(schema)).toEqual([
      { path: 'data.suspects', kind: 'law-enforcement' },
      { path: 'data.persons[].recruiter', kind: 'law-enforcement' },
      { path: 'data.note', kind: 'coordination' },
    ]);
  });
});
