import { isIsoDate } from '@rdx/schema';

/** A JSON Schema node, as far as the mappings read one. */
export interface SchemaNode {
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  type?: string;
  enum?: readonly unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  required?: readonly string[];
}

/** The node itself, or the definition its `$ref` points at. */
export function resolveNode(node: SchemaNode, root: SchemaNode): SchemaNode {
  if (typeof node.$ref === 'string') return resolveNode(root.$defs![node.$ref.replace('#/$defs/', '')], root);
  return node;
}

/** The resolved schema of one property of an object, or undefined when it has none by that name. */
export function propertyOf(node: SchemaNode, key: string, root: SchemaNode): SchemaNode | undefined {
  const child = Object.hasOwn(node.properties ?? {}, key) ? node.properties![key] : undefined;
  return child === undefined ? undefined : resolveNode(child, root);
}

export const isObjectNode = (node: SchemaNode): boolean => node.type === 'object';
export const isArrayNode = (node: SchemaNode): boolean => node.type === 'array';
export const isScalarNode = (node: SchemaNode): boolean =>
  node.type === 'string' || node.type === 'boolean' || node.type === 'integer' || node.type === 'number';

/** Whether the object `node` requires its property `key`. */
export const requires = (node: SchemaNode, key: string): boolean => node.required?.includes(key) ?? false;

/** What a scalar node takes, in a few words (for a mapping's errors). */
export function describeNode(node: SchemaNode): string {
  if (node.enum !== undefined) {
    const shown = node.enum.slice(0, 12).map((v) => JSON.stringify(v));
    return `one of ${shown.join(', ')}${node.enum.length > 12 ? ', ...' : ''}`;
  }
  if (node.format === 'date') return 'a date';
  if (node.format === 'date-time') return 'a date and time';
  if (node.type === 'string') return node.pattern === undefined ? 'text' : `text matching ${node.pattern}`;
  return `a${node.type === 'integer' ? 'n' : ''} ${node.type ?? 'value'}`;
}

/** Why a scalar node refuses a value, or undefined when it takes it. */
export function refusal(node: SchemaNode, value: unknown): string | undefined {
  const refused = `${JSON.stringify(value)} is not ${describeNode(node)}`;
  if (node.type === 'string') {
    if (typeof value !== 'string') return refused;
    const length = [...value].length;
    if (node.maxLength !== undefined && length > node.maxLength)
      return `${JSON.stringify(value)} is too long`;
    if (node.minLength !== undefined && length < node.minLength)
      return `${JSON.stringify(value)} is too short`;
    if (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(value)) return refused;
    if (node.format === 'date' && !isIsoDate(value)) return refused;
  } else if (node.type === 'integer' || node.type === 'number') {
    if (typeof value !== 'number' || (node.type === 'integer' && !Number.isInteger(value))) return refused;
    if (node.minimum !== undefined && value < node.minimum) return `${value} is below ${node.minimum}`;
    if (node.maximum !== undefined && value > node.maximum) return `${value} is above ${node.maximum}`;
  } else if (node.type !== 'boolean' || typeof value !== 'boolean') {
    return refused;
  }
  if (node.enum !== undefined && !node.enum.includes(value)) return refused;
  return undefined;
}
