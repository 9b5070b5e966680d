import { suppressSmallCells } from './small-cells';

const S = { suppressed: true } as const;

describe('suppressSmallCells', () => {
  it('shows counts of 0 and from the threshold up as they are', () => {
    expect(suppressSmallCells([0, 11, 250], 261)).toEqual({ cells: [0, 11, 250], total: 261 });
  });

  it('suppresses every count from 1 to threshold - 1', () => {
    expect(suppressSmallCells([1, 10, 5, 40], 56)).toEqual({ cells: [S, S, S, 40], total: 56 });
  });

  it('suppresses a second cell when one alone could be recovered by subtraction from the total', () => {
    // 68 - 40 - 25 = 3: without the second suppression, the small cell is given away.
    expect(suppressSmallCells([40, 3, 25], 68)).toEqual({ cells: [40, S, S], total: 68 });
  });

  it('picks the smallest non-zero cell shown as the second, leaving zeros', () => {
    expect(suppressSmallCells([0, 30, 7, 12, 0], 49)).toEqual({ cells: [0, 30, S, S, 0], total: 49 });
  });

  it('suppresses the total when no other cell could hide the one suppressed', () => {
    expect(suppressSmallCells([4, 0], 15)).toEqual({ cells: [S, 0], total: S });
    expect(suppressSmallCells([4], 4)).toEqual({ cells: [S], total: S });
  });

  it('suppresses a small total, and an empty table shows 0', () => {
    expect(suppressSmallCells([], 7)).toEqual({ cells: [], total: S });
    expect(suppressSmallCells([], 0)).toEqual({ cells: [], total: 0 });
  });

  it('follows a raised threshold', () => {
    expect(suppressSmallCells([15, 30, 25], 70, 20)).toEqual({ cells: [S, 30, S], total: 70 });
  });

  it('protects a table cut down from one already suppressed', () => {
    expect(suppressSmallCells([S, 50, 12], 70)).toEqual({ cells: [S, 50, S], total: 70 });
    expect(suppressSmallCells([S, S, 12], 70)).toEqual({ cells: [S, S, 12], total: 70 });
  });
});
