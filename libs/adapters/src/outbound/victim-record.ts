import type { VictimIdentificationNotificationV1 } from '@rdx/schema';
import { MessageToRender, NothingToRender } from '../contract';
import { isAsean } from '../rules/countries';
import { formatDate } from '../rules/dates';

type Notification = VictimIdentificationNotificationV1;
type Person = Notification['persons'][number];
type HeldBy = NonNullable<Person['travelDocument']>['heldBy'];

/**
 * A member's victim record (FORMATS.md sections 6 and 7 "Out"): its own key names, code tables
 * and date pattern. The record's shape, and which persons it holds, are the same for every member.
 */
export interface VictimRecordFormat {
  /** The member whose nationals are written, and whose passports are. */
  country: string;
  date: 'DD-MM-YYYY' | 'MM/DD/YYYY';
  keys: Readonly<
    Record<
      | 'caseRef'
      | 'messageId'
      | 'reportingCountry'
      | 'identifiedOn'
      | 'status'
      | 'location'
      | 'custody'
      | 'needs'
      | 'victims',
      string
    >
  >;
  locationKeys: Readonly<Record<'country' | 'area' | 'place', string>>;
  custodyKeys: Readonly<Record<'type' | 'custodian', string>>;
  victimKeys: Readonly<
    Record<
      | 'name'
      | 'otherNames'
      | 'sex'
      | 'dateOfBirth'
      | 'dateOfBirthEstimated'
      | 'isMinor'
      | 'passportNumber'
      | 'passportHeldBy'
      | 'phone'
      | 'objectsToNotification'
      | 'consularAccess',
      string
    >
  >;
  codes: {
    status: Readonly<Record<Notification['identificationStatus'], string>>;
    custody: Readonly<Record<Notification['custody']['type'], string>>;
    needs: Readonly<Record<Notification['needs'][number], string>>;
    sex: Readonly<Record<Person['sex'], string>>;
    heldBy: Readonly<Record<HeldBy, string>>;
  };
}

/**
 * A victim identification notification as a member's victim record: only the persons who are its
 * nationals (claimed or verified) and neither object to notification nor fear persecution at
 * home. {@link NothingToRender} when no one is left. `message.data` must be valid for its type
 * (`runRender` checks it). Keys with no value are left out, never null.
 */
export function renderVictimRecord(
  message: MessageToRender,
  format: VictimRecordFormat,
): Record<string, unknown> {
  const data = message.data as unknown as Notification;
  const victims = data.persons.filter((person) => mayBeNotified(person, format.country));
  if (victims.length === 0) {
    throw new NothingToRender(
      `${data.caseRef} names no national of ${format.country} whose state may be notified`,
    );
  }
  const { keys, codes } = format;
  return valued({
    [keys.caseRef]: data.caseRef,
    [keys.messageId]: message.id,
    [keys.reportingCountry]: reportingCountry(message.source, data.caseRef),
    [keys.identifiedOn]: formatDate(data.identifiedOn, format.date),
    [keys.status]: codes.status[data.identificationStatus],
    [keys.location]: valued({
      [format.locationKeys.country]: data.location.country,
      [format.locationKeys.area]: data.location.area,
      [format.locationKeys.place]: data.location.place,
    }),
    [keys.custody]: valued({
      [format.custodyKeys.type]: codes.custody[data.custody.type],
      [format.custodyKeys.custodian]: data.custody.custodian,
    }),
    [keys.needs]: data.needs.map((need) => codes.needs[need]),
    [keys.victims]: victims.map((person) => victim(person, format)),
  });
}

/** Whether a person is the country's national and may have their state told of them. */
export function mayBeNotified(person: Person, country: string): boolean {
  const national = [...person.nationalities, ...(person.verifiedNationalities ?? [])].includes(country);
  return national && !person.victimObjectsToNotification && !person.fearsPersecutionAtHome;
}

/** The member of `source` (`KH.CNP` -> `KH`), else the caseRef's first two letters. */
export function reportingCountry(source: string | undefined, caseRef: string): string {
  const member = source?.split('.')[0];
  return member !== undefined && isAsean(member) ? member : caseRef.slice(0, 2);
}

function victim(person: Person, format: VictimRecordFormat): Record<string, unknown> {
  const { victimKeys: keys, codes } = format;
  // The first name in Latin script, else the first; every other name after it, in order.
  const latin = person.names.findIndex((name) => name.script === 'Latn');
  const chosen = latin === -1 ? 0 : latin;
  const document = person.travelDocument;
  const ownPassport =
    document !== undefined && document.type === 'passport' && document.issuer === format.country
      ? document
      : undefined;
  const dateOfBirth = person.dateOfBirth;
  return valued({
    [keys.name]: person.names[chosen].value,
    [keys.otherNames]: person.names.filter((_, i) => i !== chosen).map((name) => name.value),
    [keys.sex]: codes.sex[person.sex],
    [keys.dateOfBirth]: dateOfBirth === undefined ? undefined : formatDate(dateOfBirth, format.date),
    [keys.dateOfBirthEstimated]: dateOfBirth === undefined ? undefined : person.dateOfBirthEstimated,
    [keys.isMinor]: person.isMinor,
    [keys.passportNumber]: ownPassport?.number,
    [keys.passportHeldBy]: ownPassport === undefined ? undefined : codes.heldBy[ownPassport.heldBy],
    [keys.phone]: person.phone,
    [keys.objectsToNotification]: person.victimObjectsToNotification,
    [keys.consularAccess]: person.requestsConsularAccess ?? false,
  });
}

/** The entries that hold a value, in order: neither undefined, null nor an empty list. */
function valued(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entries).filter(
      ([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0),
    ),
  );
}
