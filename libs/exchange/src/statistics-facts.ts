import { StatisticsFact } from '@rdx/persistence';
import { personsOf } from '@rdx/schema';
import { WITHDRAWAL_TYPE } from './case-links';

/** Messages that count in no statistics: they withdraw another, which then counts no more. */
export const UNCOUNTED_TYPES: ReadonlySet<string> = new Set([WITHDRAWAL_TYPE]);

/** What of an accepted message its statistics are made of. */
export interface CountedMessage {
  id: string;
  source: string;
  type: string;
  receivedAt: string;
  data: unknown;
  recipients: readonly string[];
}

/**
 * The statistics rows of an accepted message: one per recipient (one with none when it has no
 * recipient) and nationality of the persons it names (`data.persons[]`, claimed or verified; a
 * person of two counts in both, one of none in the null nationality; a message naming nobody has
 * one null nationality). None for a message the gateway sent itself, or of an uncounted type.
 * @example statisticsFacts(message, config.gatewayId) // [{ recipient: 'ID.KEMLU', nationality: 'ID', ... }]
 */
export function statisticsFacts(message: CountedMessage, gatewayId: string): StatisticsFact[] {
  if (message.source === gatewayId || UNCOUNTED_TYPES.has(message.type)) return [];
  const persons = personsOf(message.data);
  const byNationality = new Map<string | null, number>();
  for (const person of persons) {
    const nationalities = new Set<string | null>(
      [...asArray(person.nationalities), ...asArray(person.verifiedNationalities)].filter(
        (n): n is string => typeof n === 'string',
      ),
    );
    if (nationalities.size === 0) nationalities.add(null);
    for (const n of nationalities) byNationality.set(n, (byNationality.get(n) ?? 0) + 1);
  }
  if (byNationality.size === 0) byNationality.set(null, 0);
  const nationalities = [...byNationality].sort(([a], [b]) => order(a, b));
  const recipients = message.recipients.length === 0 ? [null] : message.recipients;
  const countriesSeen = new Set<string>();
  return recipients.flatMap((recipient, position) => {
    const country = recipient?.slice(0, 2) ?? '';
    const firstInCountry = !countriesSeen.has(country);
    countriesSeen.add(country);
    return nationalities.map(([nationality, count], i) => ({
      messageId: message.id,
      month: message.receivedAt.slice(0, 7),
      type: message.type,
      source: message.source,
      recipient,
      nationality,
      persons: persons.length,
      nationalityPersons: count,
      firstNationality: i === 0,
      firstInCountry,
      firstRecipient: position === 0,
    }));
  });
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Codes in order, the null nationality last. */
const order = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
