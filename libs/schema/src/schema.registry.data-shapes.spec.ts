import { SchemaRegistry } from '@rdx/schema';
import { ajvPaths, ajvValidation, Data, exampleAt, REMOVE, variant } from '@rdx/testing';

/*
 * Data refused whatever its type: missing and unknown fields, values of the wrong kind, codes,
 * dates and lengths out of bounds, malformed persons, and keys that are no field names. Each is
 * refused by the registry and by strict ajv, at the same path.
 */

const VICTIM = 'org.asean.rdx.victim-identification-notification.v1';
const ALERT = 'org.asean.rdx.trafficking-incident-alert.v1';

const registry = new SchemaRegistry();
const ajvValidate = ajvValidation(registry);
const anExample = (type: string, index = 0): Data => exampleAt(registry, type, index);
const aVictimNotification = () => anExample(VICTIM);
const anAlert = () => anExample(ALERT);

function withKey(data: Data, key: string): string {
  // JSON.parse keeps "__proto__" as an own key, as the gateway's body parser does; an object literal would not.
  return JSON.stringify(data).replace(/^\{/, `{${JSON.stringify(key)}:{"isMinor":true},`);
}

describe('invalid data', () => {
  const cases: [string, string, () => Data, string][] = [
    [
      'missing required field',
      VICTIM,
      () => variant(aVictimNotification(), 'caseRef', REMOVE),
      'data.caseRef',
    ],
    [
      'string "3" for a number',
      ALERT,
      () => variant(anAlert(), 'estimatedVictims', '3'),
      'data.estimatedVictims',
    ],
    [
      'fraction for an integer',
      ALERT,
      () => variant(anAlert(), 'victimsByNationality.0.count', 2.5),
      'data.victimsByNationality[0].count',
    ],
    [
      'unassigned country code',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.0.nationalities', ['ID', 'XX']),
      'data.persons[0].nationalities[1]',
    ],
    [
      'location outside ASEAN',
      VICTIM,
      () => variant(aVictimNotification(), 'location.country', 'FR'),
      'data.location.country',
    ],
    ['subdivision outside ASEAN', ALERT, () => variant(anAlert(), 'area', 'FR-75C'), 'data.area'],
    ['unknown property', VICTIM, () => variant(aVictimNotification(), 'comment', 'call me'), 'data.comment'],
    [
      'photograph on a person',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.0.photo', 'data:image/jpeg;base64,/9j/4AAQ'),
      'data.persons[0].photo',
    ],
    [
      'bad nested field in persons[1]',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.1.travelDocument.heldBy', 'smuggler'),
      'data.persons[1].travelDocument.heldBy',
    ],
    [
      'persons[1] without isMinor',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.1.isMinor', REMOVE),
      'data.persons[1].isMinor',
    ],
    [
      'persons[1] without the victim wishes',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.1.fearsPersecutionAtHome', REMOVE),
      'data.persons[1].fearsPersecutionAtHome',
    ],
    [
      'boolean as a string',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.0.victimObjectsToNotification', 'false'),
      'data.persons[0].victimObjectsToNotification',
    ],
    [
      'null for an optional field',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.0.dateOfBirth', null),
      'data.persons[0].dateOfBirth',
    ],
    [
      'no such calendar day',
      VICTIM,
      () => variant(aVictimNotification(), 'identifiedOn', '2026-02-30'),
      'data.identifiedOn',
    ],
    [
      'date-time without offset',
      ALERT,
      () => variant(anAlert(), 'expiresAt', '2026-12-18T00:00:00'),
      'data.expiresAt',
    ],
    ['no persons', VICTIM, () => variant(aVictimNotification(), 'persons', []), 'data.persons'],
    [
      'a person that is an array',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.1', []),
      'data.persons[1]',
    ],
    [
      'suspect identifier of unknown kind',
      ALERT,
      () => variant(anAlert(), 'suspectIdentifiers.1.kind', 'email'),
      'data.suspectIdentifiers[1].kind',
    ],
    [
      'a need listed twice',
      VICTIM,
      () => variant(aVictimNotification(), 'needs', ['medical', 'medical']),
      'data.needs',
    ],
    [
      'empty name',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.0.names.0.value', ''),
      'data.persons[0].names[0].value',
    ],
    [
      'language that is no BCP 47 tag',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.0.languages', ['id', 'Bahasa Indonesia']),
      'data.persons[0].languages[1]',
    ],
    [
      'phone not in E.164',
      VICTIM,
      () => variant(aVictimNotification(), 'persons.0.phone', '0812-3456'),
      'data.persons[0].phone',
    ],
    ['site past its maximum length', ALERT, () => variant(anAlert(), 'site', 'x'.repeat(301)), 'data.site'],
    [
      '__proto__ key',
      VICTIM,
      () => JSON.parse(withKey(aVictimNotification(), '__proto__')) as Data,
      'data.__proto__',
    ],
    [
      'constructor key',
      ALERT,
      () => JSON.parse(withKey(anAlert(), 'constructor')) as Data,
      'data.constructor',
    ],
    ['key that is no identifier', ALERT, () => JSON.parse(withKey(anAlert(), 'a.b')) as Data, 'data["a.b"]'],
  ];

  it.each(cases)('refuses %s (%s) at the exact path', (_name, type, aVariant, path) => {
    expect(registry.validate(type, aVariant()).map((violation) => violation.path)).toEqual([path]);
  });

  it.each(cases)('ajv refuses %s (%s) at the same path', (_name, type, aVariant, path) => {
    const validate = ajvValidate(type, aVariant());
    expect(validate.errors).not.toBeNull();
    expect(ajvPaths(validate)).toContain(path);
  });

  it('names every failing element of an array and says what is wrong', () => {
    const data = variant(aVictimNotification(), 'persons.0.nationalities', ['ZZ', 'ID', 'EU']);
    expect(registry.validate(VICTIM, data)).toEqual([
      {
        path: 'data.persons[0].nationalities[0]',
        message: 'nationalities must be an ISO 3166-1 alpha-2 country code',
      },
      {
        path: 'data.persons[0].nationalities[2]',
        message: 'nationalities must be an ISO 3166-1 alpha-2 country code',
      },
    ]);
  });

  it.each([null, [], 'data', 42, true])('refuses %p as data with one violation at "data"', (data) => {
    expect(registry.validate(ALERT, data)).toEqual([{ path: 'data', message: 'data must be a JSON object' }]);
    expect(ajvValidate(ALERT, data).errors).not.toBeNull();
  });
});
