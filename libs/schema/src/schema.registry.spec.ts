import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import {
  isIsoDate,
  isIsoDateTime,
  MESSAGE_TYPES,
  personsOf,
  RDX_SCHEMA_KEYWORDS,
  SchemaRegistry,
  UnknownMessageTypeError,
} from '@rdx/schema';

const VICTIM = 'org.asean.rdx.victim-identification-notification.v1';
const ALERT = 'org.asean.rdx.trafficking-incident-alert.v1';
const VERIFY = 'org.asean.rdx.nationality-verification-request.v1';
const VERIFIED = 'org.asean.rdx.nationality-verification-response.v1';
const PLAN = 'org.asean.rdx.repatriation-plan.v1';
const STATUS = 'org.asean.rdx.case-status-update.v1';
const LOCATE = 'org.asean.rdx.locate-request.v1';
const ACK = 'org.asean.rdx.acknowledgement.v1';
const STATS = 'org.asean.rdx.aggregate-statistics.v1';
const REMOVE = Symbol('remove');
type Data = Record<string, unknown>;

const registry = new SchemaRegistry();

// Strict ajv, as an integrator would run it: only our annotation keywords and the two formats are added.
function anAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const keyword of RDX_SCHEMA_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  ajv.addFormat('date', { type: 'string', validate: isIsoDate });
  ajv.addFormat('date-time', { type: 'string', validate: isIsoDateTime });
  return ajv;
}
const ajv = anAjv();
const ajvValidators = new Map(
  MESSAGE_TYPES.map(({ type }) => [type, ajv.compile(registry.jsonSchema(type) as object)] as const),
);
function ajvValidate(type: string, data: unknown): ValidateFunction {
  const validate = ajvValidators.get(type)!;
  validate(data);
  return validate;
}

// ajv reports JSON pointers, and a missing or extra property on its parent; this writes them as the registry does.
function ajvPaths(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((error) => {
    const segments = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const named: unknown = error.params.missingProperty ?? error.params.additionalProperty;
    if (typeof named === 'string') segments.push(named);
    return segments.reduce((path, segment) => {
      if (/^[0-9]+$/.test(segment)) return `${path}[${segment}]`;
      return /^[A-Za-z_$][\w$]*$/.test(segment)
        ? `${path}.${segment}`
        : `${path}[${JSON.stringify(segment)}]`;
    }, 'data');
  });
}

function anExample(type: string, index = 0): Data {
  return JSON.parse(JSON.stringify(registry.get(type)!.examples[index])) as Data;
}
const aVictimNotification = () => anExample(VICTIM);
const anAlert = () => anExample(ALERT);

function variant(data: Data, path: string, value: unknown): Data {
  const keys = path.split('.');
  let node = data;
  for (const key of keys.slice(0, -1)) node = node[key] as Data;
  if (value === REMOVE) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
  return data;
}

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
      } else {
        // No names to write: the regional script shows in free text, such as a reason or a note.
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
    [
      'verification request without respondBy',
      VERIFY,
      () => variant(anExample(VERIFY), 'respondBy', REMOVE),
      'data.respondBy',
    ],
    [
      'document presented in an unknown form',
      VERIFY,
      () => variant(anExample(VERIFY), 'persons.0.documentsPresented.1.form', 'scan'),
      'data.persons[0].documentsPresented[1].form',
    ],
    [
      'person to verify without documentsPresented',
      VERIFY,
      () => variant(anExample(VERIFY, 1), 'persons.1.documentsPresented', REMOVE),
      'data.persons[1].documentsPresented',
    ],
    [
      'unknown verification reason',
      VERIFY,
      () => variant(anExample(VERIFY), 'reason', 'curiosity'),
      'data.reason',
    ],
    [
      'verification outcome that is no outcome',
      VERIFIED,
      () => variant(anExample(VERIFIED), 'persons.1.outcome', 'probably'),
      'data.persons[1].outcome',
    ],
    [
      'inReplyTo that is no UUID',
      VERIFIED,
      () => variant(anExample(VERIFIED), 'inReplyTo', 'msg-42'),
      'data.inReplyTo',
    ],
    [
      'document to be issued without its issuing authority',
      VERIFIED,
      () => variant(anExample(VERIFIED), 'persons.0.documentToBeIssued.issuingAuthority', REMOVE),
      'data.persons[0].documentToBeIssued.issuingAuthority',
    ],
    [
      'verification response without persons',
      VERIFIED,
      () => variant(anExample(VERIFIED), 'persons', REMOVE),
      'data.persons',
    ],
    [
      'a child without the minor block',
      PLAN,
      () => variant(anExample(PLAN, 1), 'persons.0.minor', REMOVE),
      'data.persons[0].minor',
    ],
    [
      'minor block without best-interests assessment',
      PLAN,
      () => variant(anExample(PLAN, 1), 'persons.0.minor.bestInterestsAssessment', REMOVE),
      'data.persons[0].minor.bestInterestsAssessment',
    ],
    ['proposal without a route', PLAN, () => variant(anExample(PLAN), 'route', REMOVE), 'data.route'],
    [
      'confirmation without a departure date',
      PLAN,
      () => variant(anExample(PLAN, 1), 'departureOn', REMOVE),
      'data.departureOn',
    ],
    [
      'receiving agency that is no participant id',
      PLAN,
      () => variant(anExample(PLAN), 'receivingAgency', 'BP2MI Jakarta'),
      'data.receivingAgency',
    ],
    ['unknown repatriation stage', PLAN, () => variant(anExample(PLAN), 'stage', 'draft'), 'data.stage'],
    [
      'person to repatriate without consent',
      PLAN,
      () => variant(anExample(PLAN), 'persons.1.consent', REMOVE),
      'data.persons[1].consent',
    ],
    [
      'exit clearance of unknown status',
      PLAN,
      () => variant(anExample(PLAN), 'persons.0.exitClearance.status', 'maybe'),
      'data.persons[0].exitClearance.status',
    ],
    [
      'proceeding that does not say whether it blocks departure',
      PLAN,
      () => variant(anExample(PLAN, 2), 'persons.0.pendingProceedings.0.blocksDeparture', REMOVE),
      'data.persons[0].pendingProceedings[0].blocksDeparture',
    ],
    ['escort of nobody', PLAN, () => variant(anExample(PLAN), 'escorts.0.count', 0), 'data.escorts[0].count'],
    ['unknown case status', STATUS, () => variant(anExample(STATUS), 'status', 'missing'), 'data.status'],
    ['empty list of persons', STATUS, () => variant(anExample(STATUS), 'persons', []), 'data.persons'],
    [
      'status update without effective date',
      STATUS,
      () => variant(anExample(STATUS), 'effectiveOn', REMOVE),
      'data.effectiveOn',
    ],
    [
      'the reporter named beyond the relationship',
      LOCATE,
      () => variant(anExample(LOCATE), 'reporterName', 'Ibu Kartini'),
      'data.reporterName',
    ],
    [
      'unknown reporter relationship',
      LOCATE,
      () => variant(anExample(LOCATE), 'reporterRelationship', 'neighbour-of-cousin'),
      'data.reporterRelationship',
    ],
    [
      'last known location outside ASEAN',
      LOCATE,
      () => variant(anExample(LOCATE), 'lastKnownLocation.country', 'AE'),
      'data.lastKnownLocation.country',
    ],
    [
      'unknown contact channel',
      LOCATE,
      () => variant(anExample(LOCATE), 'lastContactChannel', 'carrier-pigeon'),
      'data.lastContactChannel',
    ],
    ['rejection without a reason', ACK, () => variant(anExample(ACK, 1), 'reason', REMOVE), 'data.reason'],
    [
      'unknown acknowledgement status',
      ACK,
      () => variant(anExample(ACK), 'status', 'ignored'),
      'data.status',
    ],
    ['acknowledgement of nothing', ACK, () => variant(anExample(ACK), 'inReplyTo', REMOVE), 'data.inReplyTo'],
    ['empty reason', ACK, () => variant(anExample(ACK), 'reason', ''), 'data.reason'],
    [
      'statistics cell of 5',
      STATS,
      () => variant(anExample(STATS), 'bySex.1.count', 5),
      'data.bySex[1].count',
    ],
    ['total of 10', STATS, () => variant(anExample(STATS, 1), 'total', 10), 'data.total'],
    [
      'negative count',
      STATS,
      () => variant(anExample(STATS), 'byNationality.0.count', -160),
      'data.byNationality[0].count',
    ],
    [
      'fraction for a count',
      STATS,
      () => variant(anExample(STATS), 'byAgeBand.1.count', 37.5),
      'data.byAgeBand[1].count',
    ],
    [
      'suppressed cell that still gives its number',
      STATS,
      () => variant(anExample(STATS), 'byAgeBand.0.count', { suppressed: true, value: 4 }),
      'data.byAgeBand[0].count',
    ],
    [
      'cell marked as not suppressed',
      STATS,
      () => variant(anExample(STATS), 'byAgeBand.0.count', { suppressed: false }),
      'data.byAgeBand[0].count',
    ],
    ['count as a string', STATS, () => variant(anExample(STATS), 'total', '412'), 'data.total'],
    [
      'statistics about a case',
      STATS,
      () => variant(anExample(STATS), 'caseRef', 'TH-ATPD-2025'),
      'data.caseRef',
    ],
    [
      'statistics naming persons',
      STATS,
      () => variant(anExample(STATS), 'persons', anExample(VICTIM).persons),
      'data.persons',
    ],
    [
      'unknown age band',
      STATS,
      () => variant(anExample(STATS), 'byAgeBand.1.ageBand', '13-17'),
      'data.byAgeBand[1].ageBand',
    ],
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

  it('refuses every small statistics cell, from 1 to 10, and says how to send it', () => {
    for (let count = 1; count <= 10; count += 1) {
      const data = variant(anExample(STATS), 'bySex.1.count', count);
      expect(registry.validate(STATS, data)).toEqual([
        {
          path: 'data.bySex[1].count',
          message:
            'count must be 0, an integer from 11 to 10000000, or {"suppressed": true} for a count from 1 to 10',
        },
      ]);
      expect(ajvPaths(ajvValidate(STATS, data))).toContain('data.bySex[1].count');
    }
  });

  it.each([0, 11, 10000000, { suppressed: true }])('accepts %p as a statistics count', (count) => {
    const data = variant(anExample(STATS), 'bySex.1.count', count);
    expect(registry.validate(STATS, data)).toEqual([]);
    expect(ajvValidate(STATS, data).errors).toBeNull();
  });

  it('says when a conditional field is required, and nothing else about it', () => {
    expect(registry.validate(PLAN, variant(anExample(PLAN, 1), 'persons.0.minor', REMOVE))).toEqual([
      { path: 'data.persons[0].minor', message: 'minor is required when isMinor is true' },
    ]);
    expect(registry.validate(PLAN, variant(anExample(PLAN), 'route', REMOVE))).toEqual([
      { path: 'data.route', message: 'route is required when stage is "proposal" or "confirmation"' },
    ]);
  });

  it('lets a request leave out what only a proposal needs, and an acceptance its reason', () => {
    const request = variant(anExample(PLAN), 'stage', 'request');
    for (const field of ['departureOn', 'route', 'receivingAgency', 'escorts']) delete request[field];
    expect(registry.validate(PLAN, request)).toEqual([]);
    expect(ajvValidate(PLAN, request).errors).toBeNull();
    const accepted = variant(anExample(ACK, 1), 'status', 'accepted');
    delete accepted.reason;
    expect(registry.validate(ACK, accepted)).toEqual([]);
    expect(ajvValidate(ACK, accepted).errors).toBeNull();
  });

  it.each([null, [], 'data', 42, true])('refuses %p as data with one violation at "data"', (data) => {
    expect(registry.validate(ALERT, data)).toEqual([{ path: 'data', message: 'data must be a JSON object' }]);
    expect(ajvValidate(ALERT, data).errors).not.toBeNull();
  });
});

function withKey(data: Data, key: string): string {
  // JSON.parse keeps "__proto__" as an own key, as the gateway's body parser does; an object literal would not.
  return JSON.stringify(data).replace(/^\{/, `{${JSON.stringify(key)}:{"isMinor":true},`);
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
