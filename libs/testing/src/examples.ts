import { MESSAGE_TYPES } from '@rdx/schema';

export const VICTIM_NOTIFICATION = 'org.asean.rdx.victim-identification-notification.v1';
export const INCIDENT_ALERT = 'org.asean.rdx.trafficking-incident-alert.v1';

/** A valid `data` of a catalogue type (its first example, or the one picked), copied. */
export function exampleData(type: string, pick: (example: Record<string, unknown>) => boolean = () => true) {
  const definition = MESSAGE_TYPES.find((t) => t.type === type);
  if (definition === undefined) throw new Error(`no type ${type}`);
  const example = definition.examples.find(pick) ?? definition.examples[0];
  return structuredClone(example) as Record<string, unknown> & { persons?: Record<string, unknown>[] };
}

/** A victim notification about one adult of the given nationality, who has not objected. */
export function adultVictimData(nationality = 'ID', wishes: { objects?: boolean; fears?: boolean } = {}) {
  const data = exampleData(VICTIM_NOTIFICATION, (e) =>
    ((e.persons as Record<string, unknown>[]) ?? []).every((p) => p.isMinor === false),
  );
  data.persons = [
    {
      ...data.persons![0],
      nationalities: [nationality],
      isMinor: false,
      victimObjectsToNotification: wishes.objects ?? false,
      fearsPersecutionAtHome: wishes.fears ?? false,
    },
  ];
  return data;
}

/**
 * A trafficking incident alert without the fields reserved for law enforcement, so that every
 * kind of recipient gets the sender's JWS itself (not the gateway's redacted copy).
 */
export function alertForAnyone() {
  const { suspectIdentifiers: _reserved, ...data } = exampleData(INCIDENT_ALERT);
  return data;
}
