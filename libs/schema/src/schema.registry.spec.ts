import { MESSAGE_TYPES, personsOf, SchemaRegistry, UnknownMessageTypeError } from '@rdx/schema';
import { ajvValidation, Data, exampleAt } from '@rdx/testing';

const VICTIM = 'org.asean.rdx.victim-identification-notification.v1';
const ALERT = 'org.asean.rdx.trafficking-incident-alert.v1';
const VERIFY = 'org.asean.rdx.nationality-verification-request.v1';
const VERIFIED = 'org.asean.rdx.nationality-verification-response.v1';
const PLAN = 'org.asean.rdx.repatriation-plan.v1';
const STATUS = 'org.asean.rdx.case-status-update.v1';
const LOCATE = 'org.asean.rdx.locate-request.v1';
const ACK = 'org.asean.rdx.acknowledgement.v1';
const STATS = 'org.asean.rdx.aggregate-statistics.v1';
const WITHDRAWAL = 'org.asean.rdx.withdrawal.v1';
const DEADLINE = 'org.asean.rdx.deadline-missed.v1';

const registry = new SchemaRegistry();
const ajvValidate = ajvValidation(registry);
const anExample = (type: string, index = 0): Data => exampleAt(registry, type, index);
const aVictimNotification = () => anExample(VICTIM);

describe('examples', () => {
  const cases = MESSAGE_TYPES.flatMap(({ type, examples }) =>
    examples.map((_, index) => [type, index] as const),
  );

  it.each(cases)('%s example %i is valid for the registry and for ajv', (type, index) => {
    const example = anExample(type, index);
    expect(registry.validate(type, example)).toEqual([]);
    expect(ajvValidate(type, example).errors).toBeNull();
  });

  it.each(MESSAGE_TYPES.map(({ type }) => type))(
    '%s has two examples or more, one in Khmer, Thai, Burmese or Lao script as well as Latin',
    (type) => {
      const { examples, aboutPersons } = registry.get(type)!;
      expect(examples.length).toBeGreaterThanOrEqual(2);
      if (aboutPersons) {
        const names = examples.flatMap((example) =>
          personsOf(example).flatMap((person) => (person as unknown as { names: PersonName[] }).names),
        );
        expect(names.some(({ script }) => script === 'Latn')).toBe(true);
        expect(names.some(({ value, script }) => REGIONAL_SCRIPTS.test(value) && script !== 'Latn')).toBe(
          true,
        );
      } else if (type !== DEADLINE) {
        // No names to write: the regional script shows in free text, such as a reason or a note.
        // (The gateway's deadline notice has none: ids, a type and a time.)
        expect(
          examples.some((example) => stringsIn(example).some((text) => REGIONAL_SCRIPTS.test(text))),
        ).toBe(true);
      }
    },
  );
});

interface PersonName {
  value: string;
  script?: string;
}
// Thai, Lao, Myanmar and Khmer Unicode blocks.
const REGIONAL_SCRIPTS = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF]/;

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(stringsIn);
}

describe('SchemaRegistry', () => {
  it('lists the types with their titles', () => {
    expect(registry.list()).toEqual([
      { type: ALERT, title: 'Trafficking incident alert' },
      { type: VICTIM, title: 'Victim identification notification' },
      { type: VERIFY, title: 'Nationality verification request' },
      { type: VERIFIED, title: 'Nationality verification response' },
      { type: PLAN, title: 'Repatriation plan' },
      { type: STATUS, title: 'Case status update' },
      { type: LOCATE, title: 'Locate request' },
      { type: ACK, title: 'Acknowledgement' },
      { type: STATS, title: 'Aggregate statistics' },
      { type: WITHDRAWAL, title: 'Withdrawal' },
      { type: DEADLINE, title: 'Reply deadline missed' },
    ]);
  });

  it('answers undefined for an unknown type and refuses to validate it', () => {
    expect(registry.get('org.asean.rdx.unknown.v1')).toBeUndefined();
    expect(registry.get('__proto__')).toBeUndefined();
    expect(registry.jsonSchema('org.asean.rdx.unknown.v1')).toBeUndefined();
    expect(() => registry.validate('org.asean.rdx.unknown.v1', {})).toThrow(UnknownMessageTypeError);
  });

  it('holds only the types it is given, and no type twice', () => {
    const alert = registry.get(ALERT)!;
    expect(new SchemaRegistry([alert]).list()).toEqual([
      { type: ALERT, title: 'Trafficking incident alert' },
    ]);
    expect(() => new SchemaRegistry([alert, alert])).toThrow(/defined twice/);
  });

  it('serves a frozen schema, so that no caller can change what others are served', () => {
    expect(Object.isFrozen(registry.jsonSchema(VICTIM))).toBe(true);
  });

  it('validates fast enough to sit in the publishing path', () => {
    const example = aVictimNotification();
    const started = performance.now();
    for (let i = 0; i < 200; i += 1) registry.validate(VICTIM, example);
    expect((performance.now() - started) / 200).toBeLessThan(5);
  });
});
