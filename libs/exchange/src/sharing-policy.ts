import { readFileSync } from 'node:fs';
import { PARTICIPANT_KINDS, ParticipantKind } from '@rdx/persistence';
import { SchemaRegistry } from '@rdx/schema';

/** A sharing policy file that cannot be used: the message names the file and the bad entry. */
export class SharingPolicyError extends Error {
  override readonly name = 'SharingPolicyError';
}

interface PolicyFile {
  version: 1;
  publishers: Record<string, ParticipantKind[]>;
  needToKnow: string[];
}

/**
 * Which kinds of participant may publish which message types (config/sharing-policy.json),
 * validated at boot against the schema catalogue.
 */
export class SharingPolicy {
  private constructor(
    private readonly publishers: ReadonlyMap<string, ReadonlySet<ParticipantKind>>,
    private readonly needToKnowTypes: ReadonlySet<string>,
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
    return SharingPolicy.from(parsed, registry, file);
  }

  static from(parsed: unknown, registry: SchemaRegistry, file = 'sharing policy'): SharingPolicy {
    const fail = (path: string, problem: string): never => {
      throw new SharingPolicyError(`${file}: ${path}: ${problem}`);
    };
    if (typeof parsed !== 'object' || parsed === null) return fail('(root)', 'must be an object');
    const policy = parsed as Partial<PolicyFile>;
    if (policy.version !== 1) fail('version', 'must be 1');
    if (typeof policy.publishers !== 'object' || policy.publishers === null)
      fail('publishers', 'must be an object');
    const publishers = new Map<string, Set<ParticipantKind>>();
    for (const [type, kinds] of Object.entries(policy.publishers as Record<string, unknown>)) {
      if (registry.get(type) === undefined)
        fail(`publishers["${type}"]`, 'is not a type of the schema catalogue');
      if (!Array.isArray(kinds)) return fail(`publishers["${type}"]`, 'must be a list of participant kinds');
      kinds.forEach((kind, i) => {
        if (!(PARTICIPANT_KINDS as readonly unknown[]).includes(kind)) {
          fail(
            `publishers["${type}"][${i}]`,
            `"${String(kind)}" is not one of ${PARTICIPANT_KINDS.join(', ')}`,
          );
        }
      });
      publishers.set(type, new Set(kinds as ParticipantKind[]));
    }
    for (const { type } of registry.list()) {
      if (!publishers.has(type))
        fail('publishers', `says nothing of "${type}": list who may publish it (or [])`);
    }
    if (!Array.isArray(policy.needToKnow)) fail('needToKnow', 'must be a list of message types');
    (policy.needToKnow as unknown[]).forEach((type, i) => {
      const definition = typeof type === 'string' ? registry.get(type) : undefined;
      if (definition === undefined)
        fail(`needToKnow[${i}]`, `"${String(type)}" is not a type of the schema catalogue`);
      else if (!definition.aboutPersons) fail(`needToKnow[${i}]`, `"${String(type)}" carries no persons`);
    });
    return new SharingPolicy(publishers, new Set(policy.needToKnow as string[]));
  }

  /** Types that go only to the persons' states of nationality (and named recipients). */
  isNeedToKnow(type: string): boolean {
    return this.needToKnowTypes.has(type);
  }

  mayPublish(kind: ParticipantKind, type: string): boolean {
    return this.publishers.get(type)?.has(kind) ?? false;
  }
}
