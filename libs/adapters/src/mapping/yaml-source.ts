import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { MappingError } from './mapping.model';

/**
 * One node of a mapping file with the keys that lead to it and its line, so that every error
 * names the file, the line and the key. The accessors check the node's shape and fail with a
 * {@link MappingError} when it is not what the mapping language takes.
 */
export class Located {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    readonly node: unknown,
    /** The keys that lead here: `fields.location.area.map`, `person.names[1]`. */
    readonly key: string,
    readonly line: number,
  ) {}

  fail(reason: string): never {
    throw new MappingError(this.file, this.line, this.key, reason);
  }

  isMap(): boolean {
    return isMap(this.node);
  }

  isSeq(): boolean {
    return isSeq(this.node);
  }

  /**
   * A map's entries by key, in the file's order; an unknown key or one written twice fails on
   * that key's line. Keys are taken as text (`true:` is the key "true").
   */
  entries(allowed?: readonly string[], what = 'a map'): Map<string, Located> {
    if (!isMap(this.node)) this.fail(`must be ${what}`);
    const found = new Map<string, Located>();
    for (const pair of this.node.items) {
      const keyNode = pair.key;
      const line = this.lineOf(keyNode);
      const name = isScalar(keyNode) ? String(keyNode.value) : '';
      const key = this.key === '' ? name : `${this.key}.${name}`;
      const here = new Located(this.file, this.lines, keyNode, key, line);
      if (!isScalar(keyNode) || keyNode.value === null) here.fail('a key must be plain text');
      if (found.has(name)) here.fail('written twice');
      if (allowed !== undefined && !allowed.includes(name))
        here.fail(`unknown key; the keys here are ${allowed.join(', ')}`);
      found.set(name, new Located(this.file, this.lines, pair.value, key, line));
    }
    return found;
  }

  /** A map's keys as YAML read them (a code table's codes): fails on a code YAML did not read as text. */
  keyNodes(): { code: string; at: Located }[] {
    if (!isMap(this.node)) this.fail('must be a map of codes to values');
    return this.node.items.map((pair) => {
      const keyNode = pair.key;
      const line = this.lineOf(keyNode);
      const shown = isScalar(keyNode) ? (keyNode.source ?? String(keyNode.value)) : '?';
      const at: Located = new Located(this.file, this.lines, pair.value, `${this.key}.${shown}`, line);
      const code = isScalar(keyNode) ? keyNode.value : keyNode;
      if (typeof code !== 'string') at.fail(`YAML reads the code ${shown} as ${describe(code)}: quote it`);
      return { code, at };
    });
  }

  /** A sequence's items; `single` also takes one plain value as a list of one. */
  items(single = false): Located[] {
    if (isSeq(this.node)) {
      return this.node.items.map(
        (item, i) => new Located(this.file, this.lines, item, `${this.key}[${i}]`, this.lineOf(item)),
      );
    }
    if (single && isScalar(this.node)) return [this];
    return this.fail('must be a list');
  }

  /** A plain value as YAML read it (text, number, boolean). */
  scalar(): string | number | boolean {
    if (!isScalar(this.node)) return this.fail('must be a plain value');
    const value = this.node.value;
    if (typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return this.fail(`must be a plain value, not ${describe(value)}`);
  }

  /**
   * Text, not empty (`blank` takes white space, as a separator may be); a value YAML read as a
   * number or a boolean fails with a hint to quote it.
   */
  text(blank = false): string {
    const value = this.scalar();
    if (typeof value !== 'string') {
      const source = isScalar(this.node) ? (this.node.source ?? String(value)) : String(value);
      return this.fail(`YAML reads ${source} as ${describe(value)}: quote it`);
    }
    if ((blank ? value : value.trim()) === '') return this.fail('must not be empty');
    return value;
  }

  boolean(): boolean {
    const value = this.scalar();
    if (typeof value !== 'boolean') return this.fail('must be true or false');
    return value;
  }

  private lineOf(node: unknown): number {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range === undefined ? this.line : this.lines.linePos(range[0]).line;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (isMap(value)) return 'a map';
  if (isSeq(value)) return 'a list';
  return typeof value;
}

/** Parses a mapping file's text; a YAML syntax error fails on its line. */
export function parseMappingSource(file: string, source: string): Located {
  const lines = new LineCounter();
  const document = parseDocument(source, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const [error] = document.errors;
  if (error !== undefined) {
    const line = lines.linePos(error.pos[0]).line;
    throw new MappingError(file, line, '', `not YAML: ${error.message.split('\n')[0]}`);
  }
  return new Located(file, lines, document.contents, '', 1);
}
