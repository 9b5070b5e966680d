import { Inject, Injectable } from '@nestjs/common';
import { FieldError, RdxError } from '@rdx/errors';
import {
  Executor,
  ParticipantRecord,
  ParticipantsRepository,
  SubscriptionRecord,
  SubscriptionsRepository,
  Withheld,
} from '@rdx/persistence';
import { personsOf } from '@rdx/schema';
import { ADDRESSED_ONLY } from './case-links';
import { Envelope } from './envelope';
import { SharingPolicy } from './sharing-policy';
import { sourceIndexOf } from './subscription.view';

export interface Routing {
  recipients: string[];
  withheld: Withheld[];
}

const countryOf = (participantId: string) => participantId.slice(0, 2);
const isStrict = (envelope: Envelope) => envelope.tlp === 'amber+strict' || envelope.tlp === 'red';

/**
 * Decides who receives a message when it is accepted: the named recipients, then matching
 * subscribers (never for amber+strict or red), narrowed by need-to-know and the victim's wishes.
 */
@Injectable()
export class RecipientResolver {
  constructor(
    @Inject(SharingPolicy) private readonly policy: SharingPolicy,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
  ) {}

  async resolve(ex: Executor, envelope: Envelope): Promise<Routing> {
    const [routing] = await this.resolveMany(ex, [envelope]);
    if (routing instanceof RdxError) throw routing;
    return routing;
  }

  /**
   * Routes many messages with one read of the subscriptions and one of the participants
   * concerned: a message that cannot be routed gets its error, the others their routing.
   */
  async resolveMany(ex: Executor, envelopes: readonly Envelope[]): Promise<(Routing | RdxError)[]> {
    const open = envelopes.filter((e) => !isStrict(e));
    const byType = await this.subscriptions.forTypes(ex, [...new Set(open.map((e) => e.type))]);
    const wanted = new Set<string>();
    for (const envelope of envelopes) for (const id of envelope.recipients) wanted.add(id);
    for (const envelope of open) for (const s of byType.get(envelope.type) ?? []) wanted.add(s.participantId);
    const known = new Map((await this.participants.findMany(ex, [...wanted])).map((p) => [p.id, p]));
    return envelopes.map((envelope) => {
      try {
        return this.route(envelope, byType.get(envelope.type) ?? [], known);
      } catch (error) {
        if (error instanceof RdxError) return error;
        throw error;
      }
    });
  }

  private route(
    envelope: Envelope,
    forType: readonly SubscriptionRecord[],
    known: ReadonlyMap<string, ParticipantRecord>,
  ): Routing {
    const strict = isStrict(envelope);
    const named = [...new Set(envelope.recipients)].filter((id) => id !== envelope.source);
    if (strict && named.length === 0) {
      throw new RdxError(
        'recipients-required',
        `a ${envelope.tlp} message goes only to named recipients: name at least one`,
      );
    }
    const unknown: FieldError[] = envelope.recipients
      .map((id, i) => ({ path: `recipients[${i}]`, message: `"${id}" is not a registered participant` }))
      .filter((_e, i) => envelope.recipients[i] !== envelope.source && !known.has(envelope.recipients[i]));
    if (unknown.length > 0) {
      throw new RdxError('unknown-recipient', 'some named recipients are not participants of the exchange', {
        errors: unknown,
      });
    }

    const needToKnow = this.policy.isNeedToKnow(envelope.type);
    const persons = personsOf(envelope.data);
    const homeStates = new Set(
      persons.flatMap((p) => [...p.nationalities, ...(p.verifiedNationalities ?? [])]),
    );
    const subscribers =
      strict || ADDRESSED_ONLY.has(envelope.type)
        ? []
        : this.subscribers(forType, envelope, needToKnow ? homeStates : undefined);
    const candidates = [...new Set([...named, ...subscribers])];

    const recipients: string[] = [];
    const withheld: Withheld[] = [];
    for (const id of candidates) {
      const reason = this.reasonToWithhold(id, needToKnow ? persons : [], known.get(id)!.status);
      if (reason === undefined) recipients.push(id);
      else withheld.push({ participant: id, reason });
    }
    return { recipients, withheld };
  }

  private subscribers(
    forType: readonly SubscriptionRecord[],
    envelope: Envelope,
    homeStates: Set<string> | undefined,
  ): string[] {
    const matching = sourceIndexOf(forType)
      .accepting(envelope.source)
      .filter(
        (s) =>
          s.participantId !== envelope.source &&
          (homeStates === undefined || homeStates.has(countryOf(s.participantId))) &&
          this.policy.allowsPurpose(envelope.type, s.purpose),
      );
    return [...new Set(matching.map((s) => s.participantId))].sort();
  }

  private reasonToWithhold(
    id: string,
    persons: ReturnType<typeof personsOf>,
    status: 'active' | 'suspended',
  ): string | undefined {
    if (status === 'suspended') return 'recipient-suspended';
    const country = countryOf(id);
    for (const person of persons) {
      const home = [...person.nationalities, ...(person.verifiedNationalities ?? [])];
      if (!home.includes(country)) continue;
      if (person.victimObjectsToNotification) return 'victim-objects-to-notification';
      if (person.fearsPersecutionAtHome) return 'victim-fears-persecution-at-home';
    }
    return undefined;
  }
}
