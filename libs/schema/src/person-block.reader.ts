/** The fields of a person block that the sharing policy reads; their names are fixed for every type. */
export interface PersonBlock {
  nationalities: string[];
  verifiedNationalities?: string[];
  dateOfBirth?: string;
  isMinor: boolean;
  /** Only on a victim identification notification (ACTIP art. 14(3): the victim may opt out). */
  victimObjectsToNotification?: boolean;
  /** Only on a victim identification notification: routing to the home state is withheld. */
  fearsPersecutionAtHome?: boolean;
}

/**
 * Returns the person blocks of a message's `data`, [] when it has none. Meant for data that passed
 * {@link SchemaRegistry.validate}; on anything else it only guarantees an array of objects.
 */
export function personsOf(data: unknown): PersonBlock[] {
  if (typeof data !== 'object' || data === null || !('persons' in data) || !Array.isArray(data.persons))
    return [];
  return data.persons.filter(
    (person: unknown): person is PersonBlock =>
      typeof person === 'object' && person !== null && !Array.isArray(person),
  );
}
