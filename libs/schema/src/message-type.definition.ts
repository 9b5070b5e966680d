/** One problem found in a message's `data`; `path` is like "data.persons[0].nationalities[1]". */
export interface SchemaViolation {
  path: string;
  message: string;
}

/** A versioned message type of the catalogue: its CloudEvents `type`, DTO class and examples. */
export interface MessageTypeDefinition {
  type: string;
  title: string;
  description: string;
  dataClass: new () => object;
  examples: Record<string, unknown>[];
  /** `data.persons[]` may be present; the sharing policy routes by the persons' nationalities. */
  aboutPersons: boolean;
}

/** Defines a message type whose examples the compiler checks against the DTO class. */
export function defineMessageType<T extends object>(definition: {
  type: string;
  title: string;
  description: string;
  dataClass: new () => T;
  examples: [T, ...T[]];
  aboutPersons: boolean;
}): MessageTypeDefinition {
  // A DTO class has no index signature, so its instances need one cast to be seen as JSON records.
  return { ...definition, examples: definition.examples as unknown as Record<string, unknown>[] };
}
