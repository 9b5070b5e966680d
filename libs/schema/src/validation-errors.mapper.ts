import { getMetadataStorage, type ValidationError } from 'class-validator';
import type { SchemaViolation } from './message-type.definition';
import { RDX_CONSTRAINTS } from './schema.decorators';

/** Flattens class-validator's error tree into violations with JSON paths rooted at "data". */
export function toViolations(errors: ValidationError[], root = 'data'): SchemaViolation[] {
  const messages = new Map<string, string[]>();
  visit(errors, root, false, messages);
  return [...messages].map(([path, list]) => ({ path, message: list.join('; ') }));
}

// class-transformer silently skips every key that names something all objects inherit (__proto__,
// constructor, valueOf, toString, ...), so class-validator never sees them; they are refused here, as the
// JSON Schema refuses them, instead of vanishing.
const KEYS_PLAIN_TO_INSTANCE_DROPS = Object.getOwnPropertyNames(Object.prototype);

/** Reports every `__proto__` or `constructor` key in plain JSON, which no message type defines. */
export function droppedKeyViolations(data: unknown, root = 'data'): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  // Iterative, so that hostile nesting depth cannot overflow the stack.
  const pending: [unknown, string][] = [[data, root]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value !== 'object' || value === null) continue;
    const isArray = Array.isArray(value);
    for (const key of Object.keys(value)) {
      const child = childPath(path, key, isArray);
      if (!isArray && KEYS_PLAIN_TO_INSTANCE_DROPS.includes(key)) {
        violations.push({ path: child, message: `property ${key} should not exist` });
      }
      pending.push([(value as Record<string, unknown>)[key], child]);
    }
  }
  return violations;
}

function visit(
  errors: ValidationError[],
  parentPath: string,
  parentIsArray: boolean,
  out: Map<string, string[]>,
) {
  for (const error of errors) {
    const path =
      error.property === undefined ? parentPath : childPath(parentPath, error.property, parentIsArray);
    for (const [constraint, message] of Object.entries(relevantConstraints(error))) {
      const failing = failingItems(error, constraint);
      if (failing.length === 0) add(out, path, parentIsArray ? forOneItem(message) : message);
      for (const index of failing) add(out, `${path}[${index}]`, forOneItem(message));
    }
    visit(error.children ?? [], path, Array.isArray(error.value), out);
  }
}

// A property that @RequiredWhen demands but is absent fails its other decorators too ("must be an array"...);
// only "is required when" tells the sender what to do.
function relevantConstraints({ constraints = {} }: ValidationError): Record<string, string> {
  const required = constraints[RDX_CONSTRAINTS.requiredWhen];
  return required === undefined ? constraints : { [RDX_CONSTRAINTS.requiredWhen]: required };
}

function childPath(parent: string, property: string, parentIsArray: boolean): string {
  if (parentIsArray && /^[0-9]+$/.test(property)) return `${parent}[${property}]`;
  // An unknown property may be named anything; quoting keeps the path unambiguous.
  return /^[A-Za-z_$][\w$]*$/.test(property)
    ? `${parent}.${property}`
    : `${parent}[${JSON.stringify(property)}]`;
}

// class-validator reports an `{ each: true }` failure on the whole array; the sender needs the element, so
// the one failed constraint is run again on each item, with the same instance class-validator used.
function failingItems(error: ValidationError, constraint: string): number[] {
  const { target, value, property } = error;
  if (!Array.isArray(value) || !target || Array.isArray(target)) return [];
  const storage = getMetadataStorage();
  for (const metadata of storage.getTargetValidationMetadatas(target.constructor, '', true, false)) {
    if (metadata.propertyName !== property || !metadata.each || !metadata.constraintCls) continue;
    const validator = storage.getTargetValidatorConstraints(metadata.constraintCls)[0];
    if (validator?.name !== constraint) continue;
    return value.flatMap((item: unknown, index) => {
      const args = { targetName: target.constructor.name, property, object: target, value: item };
      return validator.instance.validate(item, { ...args, constraints: metadata.constraints }) === true
        ? []
        : [index];
    });
  }
  return [];
}

function forOneItem(message: string): string {
  return message.replace(/^each value in /, '');
}

function add(out: Map<string, string[]>, path: string, message: string): void {
  const list = out.get(path);
  if (list) list.push(message);
  else out.set(path, [message]);
}
