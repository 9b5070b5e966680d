import { SMALL_CELL_THRESHOLD, type SuppressedCount } from './schema.decorators';

/** A published count: a number, or `{ suppressed: true }` in place of a small one. */
export type Suppressible = number | SuppressedCount;

const SUPPRESSED: SuppressedCount = { suppressed: true };
const isSuppressed = (count: Suppressible): count is SuppressedCount => typeof count !== 'number';

/**
 * Suppresses the small cells of one measure of a table and its total, so that none can be worked
 * out again: a count from 1 to `threshold - 1` becomes `{ suppressed: true }`; when that leaves
 * exactly one cell suppressed, the smallest non-zero cell still shown is suppressed too (else the
 * total minus the others gives it away), or the total when no such cell is left; and a small
 * total is suppressed like a cell. Counts already suppressed stay so (a table suppressed once
 * can be cut down and protected again).
 * @example suppressSmallCells([40, 3, 25], 68) // { cells: [40, {suppressed: true}, {suppressed: true}], total: 68 }
 */
export function suppressSmallCells(
  cells: readonly Suppressible[],
  total: Suppressible,
  threshold: number = SMALL_CELL_THRESHOLD,
): { cells: Suppressible[]; total: Suppressible } {
  const small = (count: Suppressible) => isSuppressed(count) || (count > 0 && count < threshold);
  const out = cells.map((count) => (small(count) ? SUPPRESSED : count));
  let outTotal = small(total) ? SUPPRESSED : total;
  if (out.filter(isSuppressed).length === 1) {
    let smallest = -1;
    out.forEach((count, i) => {
      if (isSuppressed(count) || count === 0) return;
      if (smallest === -1 || count < (out[smallest] as number)) smallest = i;
    });
    if (smallest === -1) outTotal = SUPPRESSED;
    else out[smallest] = SUPPRESSED;
  }
  return { cells: out, total: outTotal };
}
