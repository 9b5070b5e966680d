import { MESSAGE_TYPES } from '@rdx/schema';

export const VICTIM_NOTIFICATION = 'org.asean.rdx.victim-identification-notification.v1';

interface VictimPerson {
  names: { value: string }[];
  nationalities: string[];
  isMinor: boolean;
  victimObjectsToNotification: boolean;
  [member: string]: unknown;
}

/** The `data` of a victim identification notification, as far as the demo reads it. */
export interface VictimNotificationData {
  caseRef: string;
  persons: VictimPerson[];
  location: { country: string; area?: string; place: string };
  custody: { type: string; custodian: string };
  identificationStatus: string;
  needs: string[];
  identifiedOn: string;
  [member: string]: unknown;
}

/**
 * A valid `data` taken from the schema library's own examples: one adult Indonesian victim
 * who has not objected to Indonesia being told.
 */
export function oneAdultIndonesianVictim(): VictimNotificationData {
  const definition = MESSAGE_TYPES.find((type) => type.type === VICTIM_NOTIFICATION);
  if (definition === undefined) throw new Error(`the schema library has no ${VICTIM_NOTIFICATION}`);
  const examples = definition.examples as unknown as VictimNotificationData[];
  const example =
    examples.find((e) => e.persons.every((p) => !p.isMinor && p.nationalities.includes('ID'))) ?? examples[0];
  const data = structuredClone(example);
  data.persons = [
    { ...data.persons[0], nationalities: ['ID'], isMinor: false, victimObjectsToNotification: false },
  ];
  return data;
}

/**
 * The same notification filled in badly: the date typed the local way, and the victim's own
 * wish about her state being told left out (the gateway routes by it, so it is required).
 */
export function withTwoMistakes(data: VictimNotificationData): Record<string, unknown> {
  const { victimObjectsToNotification: _left, ...person } = data.persons[0];
  return { ...data, identifiedOn: '26/11/2026', persons: [person] };
}

/** A few short lines a consular officer would read first. */
export function summarise(data: VictimNotificationData): [string, string][] {
  const person = data.persons[0];
  const firstName = person.names[0]?.value.split(/\s+/)[0] ?? '(no name given)';
  const where = [data.location.place, data.location.area, data.location.country].filter(Boolean).join(', ');
  return [
    ['Case', data.caseRef],
    [
      'Victim',
      `${firstName}, adult, nationality ${person.nationalities.join('/')} (${data.identificationStatus})`,
    ],
    ['Identified on', data.identifiedOn],
    ['Where', where],
    ['Custody', `${data.custody.type}: ${data.custody.custodian}`],
    ['Needs', data.needs.join(', ')],
  ];
}
