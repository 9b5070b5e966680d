import { MESSAGE_TYPES } from './message-types.catalogue';
import { personsOf } from './person-block.reader';

function anExample(type: string): Record<string, unknown> {
  const example = MESSAGE_TYPES.find((definition) => definition.type === type)!.examples[0];
  return JSON.parse(JSON.stringify(example)) as Record<string, unknown>;
}

describe('personsOf', () => {
  it('returns the person blocks the policy reads', () => {
    const persons = personsOf(anExample('org.asean.rdx.victim-identification-notification.v1'));
    expect(persons.map(({ nationalities, isMinor }) => ({ nationalities, isMinor }))).toEqual([
      { nationalities: ['ID'], isMinor: false },
      { nationalities: ['ID'], isMinor: false },
    ]);
    expect(persons[0].victimObjectsToNotification).toBe(false);
    expect(persons[0].fearsPersecutionAtHome).toBe(false);
  });

  it('returns [] when there are no persons', () => {
    const { persons: _persons, ...alertWithoutPersons } = anExample(
      'org.asean.rdx.trafficking-incident-alert.v1',
    );
    expect(personsOf(alertWithoutPersons)).toEqual([]);
    expect(personsOf({ persons: 'none' })).toEqual([]);
    expect(personsOf(null)).toEqual([]);
    expect(personsOf('persons')).toEqual([]);
  });

  it('skips entries that are not objects', () => {
    expect(personsOf({ persons: [null, 'x', [], { nationalities: ['KH'], isMinor: true }] })).toEqual([
      { nationalities: ['KH'], isMinor: true },
    ]);
  });
});
