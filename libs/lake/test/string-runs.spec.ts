import { runsOf, sliceRuns } from '../src/string-runs';

describe('string runs', () => {
  it('groups equal neighbours into runs, undefined counting as null', () => {
    const r = runsOf(['a', 'a', null, undefined, 'b', 'a'], 6);
    expect(r.values).toEqual(['a', null, 'b', 'a']);
    expect(Array.from(r.counts)).toEqual([2, 2, 1, 1]);
  });

  it('reads only the first n rows', () => {
    expect(runsOf(['x', 'x', 'y'], 2)).toEqual({ values: ['x'], counts: [2] });
    expect(runsOf([], 0)).toEqual({ values: [], counts: [] });
  });

  it.each([
    [0, 9, ['a', null, 'b'], [3, 2, 4]],
    [1, 4, ['a', null], [2, 1]],
    [3, 5, [null], [2]],
    [4, 8, [null, 'b'], [1, 3]],
    [5, 5, [], []],
    [8, 20, ['b'], [1]],
  ])('slices rows %i to %i across run boundaries', (from, to, values, counts) => {
    const r = { values: ['a', null, 'b'], counts: [3, 2, 4] };
    expect(sliceRuns(r, from, to)).toEqual({ values, counts });
  });
});
