import { Inject, Injectable } from '@nestjs/common';
import { ProblemName, RdxError } from '@rdx/errors';
import { DatabaseUnavailableError } from '@rdx/persistence';
import { SchemaRegistry } from '@rdx/schema';
import { Metrics } from '@rdx/telemetry';
import { RefusalTally } from './refusal-tally';

/** What a publish has learnt of its message so far: its labels once known. */
export interface PublishSeen {
  /** The envelope's `type`, as written: counted only if it is a catalogue type. */
  type?: string;
  /** The signing participant's registered country. */
  country?: string;
}

const UNKNOWN = 'unknown';

/**
 * Counts publishes accepted and refused (`rdx_messages_accepted_total`,
 * `rdx_messages_refused_total`). Labels come only from the catalogue and the registry: a type
 * outside the catalogue, or a signer not known yet, counts as "unknown". Refusals are also
 * counted durably, per minute (`RefusalTally`), for the console's message flow.
 */
@Injectable()
export class PublishMeter {
  /** Each (type, country)'s counter, made once rather than per message. */
  private readonly accepts = new Map<string, { inc(): void }>();

  constructor(
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(RefusalTally) private readonly tally: RefusalTally,
  ) {}

  accepted(seen: PublishSeen): void {
    const type = this.typeOf(seen);
    const country = seen.country ?? UNKNOWN;
    const key = `${type} ${country}`;
    let counter = this.accepts.get(key);
    if (counter === undefined) {
      counter = this.metrics.messagesAccepted.labels(type, country);
      this.accepts.set(key, counter);
    }
    counter.inc();
  }

  refused(seen: PublishSeen, error: unknown): void {
    const type = this.typeOf(seen);
    const country = seen.country ?? UNKNOWN;
    const problem = problemOf(error);
    this.metrics.messagesRefused.inc({ type, source_country: country, problem });
    this.tally.add(type, country, problem);
  }

  private typeOf(seen: PublishSeen): string {
    return seen.type !== undefined && this.schemas.get(seen.type) !== undefined ? seen.type : UNKNOWN;
  }
}

/** The problem type the API answers `error` with (as the problem filter renders it). */
export function problemOf(error: unknown): ProblemName {
  if (error instanceof RdxError) return error.problem;
  if (error instanceof DatabaseUnavailableError) return 'unavailable';
  return 'internal';
}
