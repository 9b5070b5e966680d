import { readFileSync } from 'node:fs';
import { PARTICIPANT_KINDS, ParticipantKind } from '@rdx/persistence';
import { SchemaRegistry } from '@rdx/schema';
import { PURPOSES } from './subscription.view';

/** A sharing policy file that cannot be used: the message names the file, the line and the bad entry. */
export class SharingPolicyError extends Error {
  override readonly name = 'SharingPolicyError';
}

interface PolicyFile {
  version: 1;
  publishers: Record<string, ParticipantKind[]>;
  needToKnow: string[];
  requests?: string[];
  retention: Record<string, string>;
  notForPurposes?: Record<string, string[]>;
}

const DURATION = /^(\d{1,6})(d|h|m|s)$/;
const SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;

/** `30d`, `12h`, `15m` or `90s`, in seconds. */
export function parseRetention(value: string): number | undefined {
  const match = DURATION.exec(value);
  return match === null ? undefined : Number(match[1]) * SECONDS[match[2] as keyof typeof SECONDS];
}

/**
 * The line of the file where a bad entry stands: the line of its key, or of the value inside
 * it, found in the text as written (JSON.parse keeps no positions).
 */
function lineOf(text: string | undefined, key: string | undefined, value?: unknown): number | undefined {
  if (text === undefined) return undefined;
  let at = key === undefined ? 0 : text.indexOf(JSON.stringify(key));
  if (at < 0) return undefined;
  if (value !== undefined) {
    const found = text.indexOf(JSON.stringify(value), at);
    if (found >= 0) at = found;
  }
  return text.slice(0, at).split('\n').length;
}

/**
 * The sharing policy (config/sharing-policy.json), validated at boot against the schema catalogue:
 * which kinds of participant may publish which message types, which types go only to the persons'
 * states of nationality, and how long each type's payloads are kept.
 */
export class SharingPolicy {
  private constructor(
    private readonly publishers: ReadonlyMap<string, ReadonlySet<ParticipantKind>>,
    private readonly needToKnowTypes: ReadonlySet<string>,
    private readonly retentionSeconds: ReadonlyMap<string, number>,
    private readonly excludedPurposes: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly requestTypes: ReadonlySet<string>,
  ) {}

  static load(file: string, registry: SchemaRegistry): SharingPolicy {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new SharingPolicyError(`${file}: cannot read the sharing policy (${(error as Error).message})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new SharingPolicyError(`${file}: not JSON (${(error as Error).message})`);
    }
    return SharingPolicy.from(parsed, registry, file, text);
  }

  static from(
    parsed: unknown,
    registry: SchemaRegistry,
    file = 'sharing policy',
    text?: string,
  ): SharingPolicy {
    const fail = (path: string, problem: string, key?: string, value?: unknown): never => {
      const line = lineOf(text, key, value);
      throw new SharingPolicyError(
        `${file}${line === undefined ? '' : ` line ${line}`}: ${path}: ${problem}`,
      );
    };
    if (typeof parsed !== 'object' || parsed === null) return fail('(root)', 'must be an object');
    const policy = parsed as Partial<PolicyFile>;
    if (policy.version !== 1) fail('version', 'must be 1', 'version');
    if (typeof policy.publishers !== 'object' || policy.publishers === null)
      fail('publishers', 'must be an object', 'publishers');

    const publishers = new Map<string, Set<ParticipantKind>>();
    for (const [type, kinds] of Object.entries(policy.publishers as Record<string, unknown>)) {
      const path = `publishers["${type}"]`;
      if (registry.get(type) === undefined) fail(path, 'is not a type of the schema catalogue', type);
      if (!Array.isArray(kinds)) return fail(path, 'must be a list of participant kinds', type);
      kinds.forEach((kind, i) => {
        if (!(PARTICIPANT_KINDS as readonly unknown[]).includes(kind)) {
          fail(
            `${path}[${i}]`,
            `"${String(kind)}" is not one of ${PARTICIPANT_KINDS.join(', ')}`,
            type,
            kind,
          );
        }
      });
      publishers.set(type, new Set(kinds as ParticipantKind[]));
    }

    if (!Array.isArray(policy.needToKnow))
      fail('needToKnow', 'must be a list of message types', 'needToKnow');
    (policy.needToKnow as unknown[]).forEach((type, i) => {
      const definition = typeof type === 'string' ? registry.get(type) : undefined;
      const path = `needToKnow[${i}]`;
      if (definition === undefined)
        fail(path, `"${String(type)}" is not a type of the schema catalogue`, 'needToKnow', type);
      else if (!definition.aboutPersons)
        fail(path, `"${String(type)}" carries no persons`, 'needToKnow', type);
    });

    // Requests: each recipient owes the sender a reply (`inreplyto`) by the request's deadline.
    if (policy.requests !== undefined && !Array.isArray(policy.requests))
      fail('requests', 'must be a list of message types', 'requests');
    (policy.requests ?? []).forEach((type, i) => {
      if (typeof type !== 'string' || registry.get(type) === undefined)
        fail(`requests[${i}]`, `"${String(type)}" is not a type of the schema catalogue`, 'requests', type);
    });

    if (typeof policy.retention !== 'object' || policy.retention === null)
      fail('retention', 'must be an object', 'retention');
    const retention = new Map<string, number>();
    for (const [type, period] of Object.entries(policy.retention as Record<string, unknown>)) {
      const path = `retention["${type}"]`;
      if (registry.get(type) === undefined) fail(path, 'is not a type of the schema catalogue', type);
      const seconds = typeof period === 'string' ? parseRetention(period) : undefined;
      if (seconds === undefined || seconds === 0)
        fail(path, `"${String(period)}" is not a period such as 365d, 12h, 15m or 90s`, type, period);
      retention.set(type, seconds!);
    }

    // ACTIP art. 14(7): data shared to protect victims is not for prosecution. A type listed here
    // never reaches a subscription declared for those purposes (named recipients are the sender's call).
    const excluded = new Map<string, Set<string>>();
    if (policy.notForPurposes !== undefined) {
      if (typeof policy.notForPurposes !== 'object' || policy.notForPurposes === null) {
        fail('notForPurposes', 'must be an object', 'notForPurposes');
      }
      for (const [type, purposes] of Object.entries(policy.notForPurposes as Record<string, unknown>)) {
        const path = `notForPurposes["${type}"]`;
        if (registry.get(type) === undefined) fail(path, 'is not a type of the schema catalogue', type);
        if (!Array.isArray(purposes)) return fail(path, 'must be a list of subscription purposes', type);
        purposes.forEach((purpose, i) => {
          if (!(PURPOSES as readonly unknown[]).includes(purpose)) {
            fail(`${path}[${i}]`, `"${String(purpose)}" is not one of ${PURPOSES.join(', ')}`, type, purpose);
          }
        });
        excluded.set(type, new Set(purposes as string[]));
      }
    }

    for (const { type } of registry.list()) {
      if (!publishers.has(type))
        fail('publishers', `says nothing of "${type}": list who may publish it (or [])`, 'publishers');
      if (!retention.has(type))
        fail('retention', `says nothing of "${type}": give how long its payloads are kept`, 'retention');
    }
    return new SharingPolicy(
      publishers,
      new Set(policy.needToKnow as string[]),
      retention,
      excluded,
      new Set(policy.requests ?? []),
    );
  }

  /** Types that go only to the persons' states of nationality (and named recipients). */
  isNeedToKnow(type: string): boolean {
    return this.needToKnowTypes.has(type);
  }

  /** Types whose recipients owe the sender a reply by a deadline (`respondby`). */
  isRequest(type: string): boolean {
    return this.requestTypes.has(type);
  }

  mayPublish(kind: ParticipantKind, type: string): boolean {
    return this.publishers.get(type)?.has(kind) ?? false;
  }

  /** Whether a subscription declared for `purpose` may receive `type`. */
  allowsPurpose(type: string, purpose: string | null): boolean {
    return purpose === null || !(this.excludedPurposes.get(type)?.has(purpose) ?? false);
  }

  /** How long each type's payloads are kept, in seconds. */
  retention(): ReadonlyMap<string, number> {
    return this.retentionSeconds;
  }
}
