import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { GatewaySigner } from '@rdx/crypto';
import { MessageRecord, ParticipantKind } from '@rdx/persistence';
import { SchemaRegistry } from '@rdx/schema';

type JsonSchema = Record<string, unknown>;

/** The kind of recipient a `x-rdx-recipients` mark reserves a field for. */
const RECIPIENTS_KEYWORD = 'x-rdx-recipients';

/**
 * The paths of a type's fields that only some kinds of participant may receive, read from its
 * JSON Schema marks: `data.suspectIdentifiers`, `data.persons[].x`, ...
 */
export function restrictedFields(schema: JsonSchema): { path: string; kind: string }[] {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const found: { path: string; kind: string }[] = [];
  const walk = (node: JsonSchema, path: string, seen: Set<string>) => {
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace('#/$defs/', '');
      if (!seen.has(name) && defs[name] !== undefined) walk(defs[name], path, new Set([...seen, name]));
    }
    if (typeof node[RECIPIENTS_KEYWORD] === 'string')
      found.push({ path, kind: node[RECIPIENTS_KEYWORD] as string });
    for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
      walk(child, `${path}.${name}`, seen);
    }
    if (typeof node.items === 'object' && node.items !== null)
      walk(node.items as JsonSchema, `${path}[]`, seen);
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      for (const branch of (node[keyword] ?? []) as JsonSchema[]) walk(branch, path, seen);
    }
  };
  walk(schema, 'data', new Set());
  return found;
}

/** Removes `path` (as restrictedFields writes it, from `data`) from an envelope; true when something was there. */
function remove(root: Record<string, unknown>, path: string): boolean {
  const steps = path.split('.');
  const visit = (node: unknown, i: number): boolean => {
    if (node === null || typeof node !== 'object') return false;
    const step = steps[i];
    const many = step.endsWith('[]');
    const key = many ? step.slice(0, -2) : step;
    const record = node as Record<string, unknown>;
    if (!(key in record)) return false;
    if (i === steps.length - 1 && !many) return delete record[key];
    const next = record[key];
    if (many) {
      if (!Array.isArray(next)) return false;
      return next.map((item) => (i === steps.length - 1 ? false : visit(item, i + 1))).some(Boolean);
    }
    return visit(next, i + 1);
  };
  return visit(root, 0);
}

/**
 * Where the sharing policy strips fields for a recipient, the original signature no longer
 * covers what it gets. It gets instead a copy signed by the gateway (`typ: rdx-redacted+jws`)
 * that names the original's digest and sender key and lists the paths removed, so it can check
 * who vouches for what, and ask the sender for the original's receipt if it must.
 */
@Injectable()
export class Redaction {
  private readonly restricted = new Map<string, { path: string; kind: string }[]>();
  private redactable: string[] | undefined;

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(GatewaySigner) private readonly gateway: GatewaySigner,
  ) {}

  /** The redacted copy for a recipient of `kind`, or undefined when it may have the original. */
  async copyFor(
    message: MessageRecord,
    recipient: string,
    kind: ParticipantKind,
  ): Promise<string | undefined> {
    const fields = this.fieldsOf(message.type).filter((field) => field.kind !== kind);
    if (fields.length === 0 || message.jws === '') return undefined;
    const event = JSON.parse(Buffer.from(message.jws.split('.')[1], 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const removed = fields.map((field) => field.path).filter((path) => remove(event, path));
    if (removed.length === 0) return undefined;
    return this.gateway.sign(
      {
        iss: this.config.gatewayId,
        messageId: message.id,
        recipient,
        original: { digest: message.digest, kid: message.kid },
        removed,
        event,
      },
      'rdx-redacted+jws',
    );
  }

  /** The message types with a field reserved for some kinds of participant. */
  typesWithRestrictedFields(): string[] {
    return (this.redactable ??= this.schemas
      .list()
      .map(({ type }) => type)
      .filter((type) => this.fieldsOf(type).length > 0));
  }

  private fieldsOf(type: string): { path: string; kind: string }[] {
    let fields = this.restricted.get(type);
    if (fields === undefined) {
      const schema = this.schemas.jsonSchema(type) as JsonSchema | undefined;
      fields = schema === undefined ? [] : restrictedFields(schema);
      this.restricted.set(type, fields);
    }
    return fields;
  }
}
