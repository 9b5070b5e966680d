/** What a PromQL expression refers to: series names, label matchers by series, grouping labels. */
export interface PromqlReferences {
  /** Every series name the expression selects. */
  names: string[];
  /** Each label matcher with the series it applies to (undefined for a bare `{...}` selector). */
  matchers: { name: string | undefined; label: string }[];
  /** Labels named in `by`, `without`, `on`, `ignoring`, `group_left` and `group_right`. */
  grouping: string[];
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'by', 'without', 'on']);
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';

/**
 * The series and labels a PromQL expression (a rule's or a Grafana panel's) refers to, found by a
 * small tokenizer rather than a parser: strings, ranges, Grafana variables, label sets and grouping
 * clauses are taken out first, and what remains that looks like a name and is not called as a
 * function or a keyword is a series name. Good for the expressions RDX writes, not for any PromQL.
 *
 * @example promqlReferences('sum by (queue) (rdx_queue_entries{queue="outbox"})')
 *   // { names: ['rdx_queue_entries'], matchers: [{ name: 'rdx_queue_entries', label: 'queue' }], grouping: ['queue'] }
 */
export function promqlReferences(expr: string): PromqlReferences {
  const matchers: PromqlReferences['matchers'] = [];
  const grouping: string[] = [];
  let rest = expr
    .replace(/#[^\n]*/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+-?\d+[smhdwy]/g, ' ')
    .replace(
      new RegExp(`(${NAME})?\\s*\\{([^}]*)\\}`, 'g'),
      (_whole, name: string | undefined, body: string) => {
        for (const matcher of body.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g)) {
          matchers.push({ name, label: matcher[1] });
        }
        return ` ${name ?? ''} `;
      },
    );
  rest = rest.replace(
    /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
    (_whole, labels: string) => {
      grouping.push(
        ...labels
          .split(',')
          .map((label) => label.trim())
          .filter((label) => label !== ''),
      );
      return ' ';
    },
  );
  rest = rest.replace(/"(?:[^"\\]|\\.)*"/g, ' ').replace(/\$\{?\w+\}?/g, ' ');
  const names: string[] = [];
  for (const token of rest.matchAll(new RegExp(`(?<![\\w.])${NAME}`, 'g'))) {
    const after = rest.slice((token.index ?? 0) + token[0].length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(token[0].toLowerCase())) continue;
    names.push(token[0]);
  }
  return { names: [...new Set(names)], matchers, grouping: [...new Set(grouping)] };
}
