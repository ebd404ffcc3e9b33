import { ByteRunsBuilder, decodeByteRuns, encodeStringRuns } from '../src/byte-runs';
import { runsOf } from '../src/string-runs';

const build = (pushes: readonly [string | null, number][], into = new ByteRunsBuilder()): ByteRunsBuilder => {
  for (const [v, rows] of pushes) into.push(v, rows);
  return into;
};

describe('byte runs', () => {
  it('give back the values and row counts pushed, equal neighbours merged into one run', () => {
    const b = build([['req-1', 50], ['req-1', 3], [null, 2], [null, 1], ['', 4], ['req-2', 1], ['req-1', 1]]);
    const r = decodeByteRuns(b.snapshot());
    expect(r.values).toEqual(['req-1', null, '', 'req-2', 'req-1']);
    expect(Array.from(r.counts)).toEqual([53, 3, 4, 1, 1]);
  });

  it.each([
    ['accented Latin', 'crm-ü-é-19'],
    ['CJK', '顧客-42'],
    ['an astral character', 'lead-😀-7'],
    ['a long ASCII id past the byte-by-byte path', `id-${'x'.repeat(200)}`],
    ['a long id that ends in non-ASCII', `${'y'.repeat(100)}ß`],
  ])('round-trip %s exactly, between ASCII neighbours', (_name, value) => {
    const r = decodeByteRuns(build([['a', 1], [value, 2], ['b', 1]]).snapshot());
    expect(r.values).toEqual(['a', value, 'b']);
  });

  it('turn a lone surrogate into U+FFFD without shifting the values after it', () => {
    const r = decodeByteRuns(build([['x\uD800y', 1], ['next', 1]]).snapshot());
    expect(r.values).toEqual(['x\uFFFDy', 'next']);
  });

  it('grow past their first allocations, in runs and in bytes', () => {
    const pushes = Array.from({ length: 700 }, (_, i): [string, number] => [`request-${i}-${'z'.repeat(i % 13)}`, 1 + (i % 4)]);
    const r = decodeByteRuns(build(pushes).snapshot());
    expect(r.values).toEqual(pushes.map(([v]) => v));
    expect(Array.from(r.counts)).toEqual(pushes.map(([, n]) => n));
  });

  it('snapshot a copy: later pushes, and reuse after clear, leave it as it was', () => {
    const b = build([['first', 2], ['second', 1]]);
    const snap = b.snapshot();
    b.push('second', 5);
    b.clear();
    build([['other-1', 1], ['other-2', 1]], b);
    expect(decodeByteRuns(snap)).toEqual({ values: ['first', 'second'], counts: Uint32Array.from([2, 1]) });
    expect(decodeByteRuns(b.snapshot()).values).toEqual(['other-1', 'other-2']);
  });

  it('after clear, start a new run even for the value the last run had', () => {
    const b = build([['same', 3]]);
    b.clear();
    b.push('same', 1);
    expect(Array.from(b.snapshot().runs)).toEqual([1]);
  });

  it('encode string runs to the same bytes the builder makes', () => {
    const values = ['a', 'a', null, 'crm-ü', 'crm-ü', '', 'b'];
    const viaBuilder = build(values.map((v) => [v, 1])).snapshot();
    const viaRuns = encodeStringRuns(runsOf(values, values.length));
    expect(Buffer.from(viaRuns.bytes).equals(Buffer.from(viaBuilder.bytes))).toBe(true);
    expect(viaRuns.lengths).toEqual(viaBuilder.lengths);
    expect(viaRuns.runs).toEqual(viaBuilder.runs);
  });
});
