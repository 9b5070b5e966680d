import { SchemaRegistry } from '@rdx/schema';
import { ajvPaths, ajvValidation, Data, exampleAt, REMOVE, variant } from '@rdx/testing';

/*
 * Data refused by the rules of its message type: what a verification, a repatriation plan, a
 * status update, a locate request, an acknowledgement or statistics must carry, and what a
 * conditional field requires. Each is refused by the registry and by strict ajv, at the same path.
 */

const VICTIM = 'org.asean.rdx.victim-identification-notification.v1';
const VERIFY = 'org.asean.rdx.nationality-verification-request.v1';
const VERIFIED = 'org.asean.rdx.nationality-verification-response.v1';
const PLAN = 'org.asean.rdx.repatriation-plan.v1';
const STATUS = 'org.asean.rdx.case-status-update.v1';
const LOCATE = 'org.asean.rdx.locate-request.v1';
const ACK = 'org.asean.rdx.acknowledgement.v1';
const STATS = 'org.asean.rdx.aggregate-statistics.v1';

const registry = new SchemaRegistry();
const ajvValidate = ajvValidation(registry);
const anExample = (type: string, index = 0): Data => exampleAt(registry, type, index);

describe('invalid data', () => {
  const cases: [string, string, () => Data, string][] = [
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
});
