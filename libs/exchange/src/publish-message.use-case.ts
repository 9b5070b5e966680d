import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { digestOf } from '@rdx/crypto';
import { RdxError } from '@rdx/errors';
import { BatchLoader, Database, MessagesRepository } from '@rdx/persistence';
import { personsOf, SchemaRegistry } from '@rdx/schema';
import { addLogFields } from '@rdx/telemetry';
import { CaseLinker, CaseLinks } from './case-links';
import { Clock } from './clock';
import { Envelope, parseJsonObject, readEnvelope } from './envelope';
import { PublishMeter, PublishSeen } from './publish-meter';
import { RateLimiter } from './rate-limiter';
import { SharingPolicy } from './sharing-policy';
import { Signed, Signers } from './signers';
import { Accepted, StoreAcceptedMessages, Verified } from './store-accepted-messages';

export interface PublishResult {
  /** 202 for a new message, 200 for the byte-identical one posted again. */
  status: 200 | 202;
  body: Accepted;
}

/**
 * Publishing (PROTOCOL.md section 4): verify and validate, then have the message stored with its
 * recipients, outbox event and audit record in one transaction (`StoreAcceptedMessages`) before
 * answering.
 */
@Injectable()
export class PublishMessage {
  /** Whether an id is stored, asked for all the requests of the same moment at once. */
  private readonly digests = new BatchLoader((ids: string[]) => this.messages.findDigests(this.db, ids));

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(Signers) private readonly signers: Signers,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(SharingPolicy) private readonly policy: SharingPolicy,
    @Inject(StoreAcceptedMessages) private readonly store: StoreAcceptedMessages,
    @Inject(RateLimiter) private readonly rateLimiter: RateLimiter,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(PublishMeter) private readonly meter: PublishMeter,
    @Inject(CaseLinker) private readonly linker: CaseLinker,
  ) {}

  async execute(jws: string): Promise<PublishResult> {
    const seen: PublishSeen = {};
    try {
      const result = await this.publish(jws, seen);
      if (result.status === 202) this.meter.accepted(seen);
      return result;
    } catch (error) {
      this.meter.refused(seen, error);
      throw error;
    }
  }

  /** `execute`, noting in `seen` the message's type and source country once they are known. */
  private async publish(jws: string, seen: PublishSeen): Promise<PublishResult> {
    const now = this.clock.now();
    const signed = await this.signers.verify(jws, 'rdx+jws', true);
    seen.country = signed.participant.country;
    const envelope = readEnvelope(parseJsonObject(signed.payload, 'JWS payload'));
    addLogFields({ participantId: signed.participant.id, messageId: envelope.id });
    seen.type = envelope.type;
    if (envelope.source !== signed.participant.id) {
      throw new RdxError(
        'source-mismatch',
        `source is "${envelope.source}" but key "${signed.key.kid}" belongs to ${signed.participant.id}`,
      );
    }
    this.signers.requireNotSuspended(signed.participant);
    if (signed.key.status === 'revoked')
      throw new RdxError('key-not-active', `key "${signed.key.kid}" is revoked`);
    this.rateLimiter.take(signed.participant.id);

    const digest = digestOf(jws);
    let links: CaseLinks | undefined;
    try {
      this.signers.requireActive(signed, now);
      this.validate(envelope, signed, now);
      links = await this.linker.link(this.db, envelope, now);
    } catch (error) {
      // The byte-identical message posted again gets its stored answer, even where it would no
      // longer pass (its key retired since, say). Only a refusal pays for this lookup.
      const replay = await this.replayOf(envelope.id, digest);
      if (replay !== undefined) return replay;
      throw error;
    }
    return this.accept({ jws, digest, envelope, signed, receivedAt: now.toISOString(), links });
  }

  private validate(envelope: Envelope, signed: Signed, now: Date): void {
    if (this.schemas.get(envelope.type) === undefined) {
      throw new RdxError(
        'unknown-type',
        `"${envelope.type}" is not a message type of the catalogue (GET /v1/schemas lists them)`,
      );
    }
    if (!this.policy.mayPublish(signed.participant.kind, envelope.type)) {
      throw new RdxError(
        'publish-not-allowed',
        `a ${signed.participant.kind} participant may not publish ${envelope.type}`,
      );
    }
    const skew = Math.abs(Date.parse(envelope.time) - now.getTime()) / 1000;
    if (skew > this.config.messageTimeWindowSeconds) {
      throw new RdxError(
        'time-out-of-window',
        `time ${envelope.time} is ${Math.round(skew)} s from the gateway clock (${now.toISOString()}); at most ${this.config.messageTimeWindowSeconds} s is accepted`,
      );
    }
    const violations = this.schemas.validate(envelope.type, envelope.data);
    if (violations.length > 0) {
      throw new RdxError('schema-violation', `data does not match the schema of ${envelope.type}`, {
        errors: violations,
      });
    }
    const minors = personsOf(envelope.data).some((person) => person.isMinor);
    if (
      minors &&
      (!envelope.handling.includes('H2') || (envelope.tlp !== 'amber+strict' && envelope.tlp !== 'red'))
    ) {
      throw new RdxError(
        'invalid-fields',
        'a message about a minor must carry handling H2 and tlp amber+strict or red',
        {
          errors: [
            ...(envelope.handling.includes('H2')
              ? []
              : [{ path: 'handling', message: 'must include H2 (a minor is concerned)' }]),
            ...(envelope.tlp === 'amber+strict' || envelope.tlp === 'red'
              ? []
              : [{ path: 'tlp', message: 'must be amber+strict or red (a minor is concerned)' }]),
          ],
        },
      );
    }
  }

  private async accept(message: Verified, again = false): Promise<PublishResult> {
    const { envelope, digest } = message;
    let body: Accepted | undefined;
    try {
      body = await this.store.execute(message);
    } catch (error) {
      // Refused at the last moment (its key revoked meanwhile, say): the stored message still gets its answer.
      const replay = error instanceof RdxError ? await this.replayOf(envelope.id, digest) : undefined;
      if (replay !== undefined) return replay;
      throw error;
    }
    if (body !== undefined) return { status: 202, body };
    // Another request stored this id between our check and our insert (or in the same batch).
    const replay = await this.replayOf(envelope.id, digest);
    if (replay !== undefined) return replay;
    // The other request with this id in our batch was refused: ours goes in a later batch.
    if (again) throw new Error(`message ${envelope.id} was neither stored nor found`);
    return this.accept(message, true);
  }

  /** The stored answer for the byte-identical message, 409 for other bytes under its id, undefined when new. */
  private async replayOf(messageId: string, digest: string): Promise<PublishResult | undefined> {
    const stored = await this.digests.get(messageId);
    if (stored === undefined) return undefined;
    if (stored.digest !== digest) this.conflict(messageId);
    const message = (await this.messages.find(this.db, messageId))!;
    const recipients = await this.messages.recipients(this.db, messageId);
    return {
      status: 200,
      body: {
        messageId,
        status: 'accepted',
        receivedAt: message.receivedAt,
        recipients: recipients.map((r) => r.participantId),
        withheld: message.withheld,
        receipt: message.receipt,
      },
    };
  }

  private conflict(messageId: string): never {
    throw new RdxError(
      'message-conflict',
      `message ${messageId} is already stored with other bytes; a new message needs a new id`,
    );
  }
}
