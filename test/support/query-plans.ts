import { Executor, StatementOptions } from '@rdx/persistence';

/** A statement as a repository sent it. */
export interface Statement {
  sql: string;
  params: readonly unknown[];
  options?: StatementOptions;
}

/** Runs statements on `tx` and keeps them, to be explained afterwards. */
export class RecordingExecutor implements Executor {
  readonly statements: Statement[] = [];
  constructor(private readonly tx: Executor) {}
  get dialect() {
    return this.tx.dialect;
  }
  query<T>(sql: string, params: readonly unknown[] = [], options?: StatementOptions): Promise<T[]> {
    this.statements.push({ sql, params, options });
    return this.tx.query<T>(sql, params, options);
  }
  execute(sql: string, params: readonly unknown[] = [], options?: StatementOptions): Promise<number> {
    this.statements.push({ sql, params, options });
    return this.tx.execute(sql, params, options);
  }
}

/** A node of PostgreSQL's plan (`EXPLAIN (FORMAT JSON)`; the buffers with `ANALYZE, BUFFERS`). */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** The sequential and bitmap scans of a plan, as "<scan> on <table>". */
export const scansOf = (node: PlanNode): string[] => [
  ...(node['Relation Name'] !== undefined && /Seq Scan|Bitmap Heap Scan/.test(node['Node Type'])
    ? [`${node['Node Type']} on ${node['Relation Name']}`]
    : []),
  ...(node.Plans ?? []).flatMap(scansOf),
];

/** The plan's node that reads `relation`. */
export const nodeOn = (node: PlanNode, relation: string): PlanNode | undefined =>
  node['Relation Name'] === relation
    ? node
    : (node.Plans ?? []).map((child) => nodeOn(child, relation)).find((found) => found !== undefined);

/** Shared buffers a node touched, its children's included. */
export const buffersOf = (node: PlanNode): number =>
  (node['Shared Hit Blocks'] ?? 0) + (node['Shared Read Blocks'] ?? 0);

/** Runs `statement` under `EXPLAIN (ANALYZE, BUFFERS)` on `ex` and returns its plan. */
export async function explainAnalysed(ex: Executor, { sql, params, options }: Statement): Promise<PlanNode> {
  const [row] = await ex.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
    params,
    options,
  );
  return row['QUERY PLAN'][0].Plan;
}
