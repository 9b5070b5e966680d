import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { digestOf, GatewaySigner } from '@rdx/crypto';
import { RdxError } from '@rdx/errors';
import { AuditRepository, Database, MessagesRepository, OutboxRepository, Withheld } from '@rdx/persistence';
import { personsOf, SchemaRegistry } from '@rdx/schema';
import { Clock } from './clock';
import { Envelope, parseJsonObject, readEnvelope } from './envelope';
import { MESSAGE_ACCEPTED } from './events';
import { OutboxRelay } from './outbox-relay';
import { RateLimiter } from './rate-limiter';
import { RecipientResolver } from './recipient-resolver';
import { SharingPolicy } from './sharing-policy';
import { Signed, Signers } from './signers';

export interface PublishResult {
  /** 202 for a new message, 200 for the byte-identical one posted again. */
  status: 200 | 202;
  body: {
    messageId: string;
    status: 'accepted';
    receivedAt: string;
    recipients: string[];
    withheld: Withheld[];
    receipt: string;
  };
}

/**
 * Publishing (PROTOCOL.md section 4): verify, validate, route, then store the message,
 * its recipients, its outbox event and its audit record in one transaction before answering.
 */
@Injectable()
export class PublishMessage {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Signers) private readonly signers: Signers,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(SharingPolicy) private readonly policy: SharingPolicy,
    @Inject(RecipientResolver) private readonly resolver: RecipientResolver,
    @Inject(GatewaySigner) private readonly gateway: GatewaySigner,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(RateLimiter) private readonly rateLimiter: RateLimiter,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(jws: string): Promise<PublishResult> {
    const now = this.clock.now();
    const signed = await this.signers.verify(jws, 'rdx+jws');
    const envelope = readEnvelope(parseJsonObject(signed.payload, 'JWS payload'));
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
    const replay = await this.replayOf(envelope.id, digest);
    if (replay !== undefined) return replay;

    this.signers.requireActive(signed, now);
    this.validate(envelope, signed, now);
    return this.accept(jws, digest, envelope, signed, now);
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

  private async accept(
    jws: string,
    digest: string,
    envelope: Envelope,
    signed: Signed,
    now: Date,
  ): Promise<PublishResult> {
    const receivedAt = now.toISOString();
    const outcome = await this.db.transaction(async (tx) => {
      const { recipients, withheld } = await this.resolver.resolve(tx, envelope);
      const receipt = await this.gateway.sign(
        {
          iss: this.config.gatewayId,
          messageId: envelope.id,
          source: envelope.source,
          receivedAt,
          recipients,
          withheld,
          digest,
        },
        'rdx-receipt+jws',
      );
      const message = {
        id: envelope.id,
        source: envelope.source,
        type: envelope.type,
        kid: signed.key.kid,
        tlp: envelope.tlp,
        digest,
        jws,
        receivedAt,
        withheld,
        receipt,
        purgedAt: null,
      };
      if (!(await this.messages.insert(tx, message, recipients))) return undefined;
      if (recipients.length > 0) await this.outbox.add(tx, envelope.id, MESSAGE_ACCEPTED, receivedAt);
      await this.audit.append(tx, [
        {
          at: receivedAt,
          actor: envelope.source,
          action: 'message.accepted',
          subject: envelope.id,
          details: { type: envelope.type, digest, tlp: envelope.tlp, recipients, withheld },
        },
      ]);
      return {
        messageId: envelope.id,
        status: 'accepted' as const,
        receivedAt,
        recipients,
        withheld,
        receipt,
      };
    });
    if (outcome === undefined) {
      // Another request stored this id between our check and our insert.
      return (await this.replayOf(envelope.id, digest)) ?? this.conflict(envelope.id);
    }
    this.relay.kick();
    return { status: 202, body: outcome };
  }

  /** The stored answer for the byte-identical message, 409 for other bytes under its id, undefined when new. */
  private async replayOf(messageId: string, digest: string): Promise<PublishResult | undefined> {
    const stored = await this.messages.findDigest(this.db, messageId);
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
