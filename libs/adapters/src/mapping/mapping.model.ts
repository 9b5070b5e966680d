import type { Booleans } from '../record-check';
import type { SchemaNode } from './schema-nodes';

/** What `as` turns a national value into (FORMATS.md section 8). */
export const AS_KINDS = ['text', 'date', 'boolean', 'integer', 'phone', 'country', 'area'] as const;
export type AsKind = (typeof AS_KINDS)[number];

/** A code table as loaded: national codes (trimmed, NFC) to the schema's values, in the file's order. */
export type LoadedCodeTable = ReadonlyMap<string, string | number | boolean>;

/** One value spec of a mapping, checked against the message type's schema. */
export interface ValueSpec {
  /** The target as written: `location.area`, `travelDocument.heldBy`, `names[1]`. */
  readonly target: string;
  /** The target's path in `data` (or in a person), one segment per object. */
  readonly path: readonly string[];
  /** The national field it reads: a CSV column or a dotted JSON path. */
  readonly from?: string;
  /** A constant, already checked against the schema. */
  readonly value?: unknown;
  readonly as: AsKind;
  readonly map?: LoadedCodeTable;
  readonly split?: string;
  readonly alias: boolean;
  readonly optional: boolean;
  readonly referenceDate: boolean;
  /** Whether the target is a list (an array of plain values). */
  readonly list: boolean;
  /** The schema of the target's value, or of each item of a list. */
  readonly node: SchemaNode;
}

/** The values of one scope (the message's own fields, or one person), and the schema they fill. */
export interface Scope {
  readonly specs: readonly ValueSpec[];
  /** The schema of the object the scope builds (the message's `data`, or one person). */
  readonly node: SchemaNode;
}

/** A person's scope: its values and its names, in the order of the `names` list. */
export interface PersonScope extends Scope {
  readonly names: readonly ValueSpec[];
}

/** A declarative mapping (FORMATS.md section 8), loaded and checked completely. */
export interface Mapping {
  /** The file it was loaded from, as given. */
  readonly file: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
  readonly format: 'csv' | 'json';
  /** The full message type. */
  readonly type: string;
  /** The national reference's field. */
  readonly reference: string;
  /** Whether consecutive records with one reference form one message (section 3's case rules). */
  readonly group: boolean;
  readonly callingCode?: string;
  readonly date?: string;
  readonly booleans?: Booleans;
  /** The JSON array whose elements are the persons (`persons: KEY`). */
  readonly persons?: string;
  readonly fields: Scope;
  readonly person?: PersonScope;
  /** The schema of the message type's `data`, to resolve its `$ref`s. */
  readonly root: SchemaNode;
}

/**
 * A mapping file that does not load: names the file, the line and the key, in one line
 * (`convert` prints it and exits 2).
 */
export class MappingError extends Error {
  readonly code = 'ERR_RDX_MAPPING';
  override readonly name = 'MappingError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${key === '' ? '' : `${key}: `}${reason}`);
  }
}
