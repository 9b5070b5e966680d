/** A message an inbound adapter made from one national record (or one case of records). */
export interface ConvertedMessage {
  type: string;
  /** The UUID v5 of `CC/TYPE/REFERENCE`: the same record always gives the same id. */
  id: string;
  data: Record<string, unknown>;
}

/** One problem of a rejected record: `record N: field F: reason` (FORMATS.md section 1). */
export interface RecordProblem {
  /** The record's number in the input, from 1. */
  record: number;
  /** The field's name in the national format: a CSV column, a JSON path, an XML path. */
  field: string;
  reason: string;
}

/** What became of one message's worth of input, in input order: the message, or every problem. */
export type Outcome =
  { message: ConvertedMessage; problems?: undefined } | { message?: undefined; problems: RecordProblem[] };

/** The file as a whole cannot be used (exit 2): nothing is converted. */
export class UnusableInput extends Error {
  override readonly name = 'UnusableInput';
}

/** A message that holds nothing for the country's own records (exit 1 of `render`). */
export class NothingToRender extends Error {
  override readonly name = 'NothingToRender';
}

/** An inbound adapter: a national file into RDX messages. */
export interface InboundAdapter {
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
  /**
   * Converts a file, streaming: outcomes come in input order, and memory does not grow with the
   * number of records. Throws {@link UnusableInput} before the first outcome when the file as a
   * whole cannot be used.
   */
  convert(file: string): AsyncIterable<Outcome>;
}

/** A message as `render` takes it: what `convert` prints, or what `rdx inbox --json` prints. */
export interface MessageToRender {
  type: string;
  id: string;
  data: Record<string, unknown>;
  /** The sender's participant id, e.g. `KH.CNP`. */
  source?: string;
}

/** An outbound adapter: a received message into the agency's own record. */
export interface OutboundAdapter {
  readonly country: string;
  /** The message types it renders (full names). */
  readonly types: readonly string[];
  /** The national record; {@link NothingToRender} when the message holds nothing for it. */
  render(message: MessageToRender): Record<string, unknown>;
}

/** The injection token under which every inbound adapter is registered (an array). */
export const INBOUND_ADAPTERS = Symbol('rdx.inbound-adapters');
/** The injection token under which every outbound adapter is registered (an array). */
export const OUTBOUND_ADAPTERS = Symbol('rdx.outbound-adapters');
