import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { baselineFeature } from '../src/init/baseline';
import { classScores, quintileThresholds } from '../src/init/choose-mapping';
import { parseField, readCsvSample } from '../src/init/csv-sample';
import { inferFeatureSpec, profileColumn } from '../src/init/infer-features';
import { checkModelName, checkVersion, createdAt, parseThresholds } from '../src/init/init-options';
import { linearQuantile, round6, shortestFloat32 } from '../src/init/numeric';
import { tempDir } from './helpers/temp';

const col = (...values: (number | null)[]): Float64Array =>
  Float64Array.from(values, (v) => (v === null ? Number.NaN : v));

describe('init helpers', () => {
  it('computes deciles as numpy.quantile does (values printed by numpy 1.24)', () => {
    const sorted = Float64Array.of(1, 2, 3, 4, 10);

    const deciles = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => linearQuantile(sorted, i / 10));

    expect(deciles).toEqual([1.4, 1.8, 2.2, 2.6, 3.0, 3.4, 3.8, 5.200000000000001, 7.6000000000000005]);
    expect([0.1, 0.7].map((q) => linearQuantile(Float64Array.of(0.1, 0.2, 0.3), q))).toEqual([
      0.12000000000000001, 0.24,
    ]);
  });

  it("rounds to 6 decimals as Python's round does, exact ties to the even digit", () => {
    expect([0.0078125, 0.0234375, -0.0078125, 2.5e-7, 1.0000005, 141.39999999999998].map(round6)).toEqual([
      0.007812, 0.023438, -0.007812, 0, 1.000001, 141.4,
    ]);
  });

  it('writes values as the shortest decimal of their float32, as numpy does', () => {
    expect([0.1, 1 / 3, 16777217, 0.4927, 1e-7, 123.456789].map(shortestFloat32)).toEqual([
      0.1, 0.33333334, 16777216, 0.4927, 1e-7, 123.45679,
    ]);
  });

  it('reads CSV fields: numbers, missing markers, and nothing else', () => {
    expect(['1', ' -2.5 ', '1e3', '.5', '', 'NaN', 'nan', 'null'].map(parseField)).toEqual([
      1,
      -2.5,
      1000,
      0.5,
      NaN,
      NaN,
      NaN,
      NaN,
    ]);
    expect(['0x10', 'Infinity', 'abc', '1,5', '--1', '1e', '.'].map(parseField)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('reads a CSV sample with a BOM, quoted fields, CRLF line ends and a blank last line', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'quoted.csv');
    writeFileSync(file, '\ufeff"visits","ratio, smoothed"\r\n"3",0.5\r\n,"NaN"\r\n\r\n');

    const table = await readCsvSample(file);

    rmSync(dir, { recursive: true, force: true });
    expect(table.names).toEqual(['visits', 'ratio, smoothed']);
    expect(table.columns.map((c) => [...c])).toEqual([
      [3, NaN],
      [0.5, NaN],
    ]);
  });

  it('refuses a CSV row with another field count, naming its line', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ragged.csv');
    writeFileSync(file, 'a,b\n1,2\n3\n');

    const err = await readCsvSample(file).catch((e: unknown) => e);

    rmSync(dir, { recursive: true, force: true });
    expect(err).toMatchObject({ code: 'SAMPLE_INVALID', message: expect.stringMatching(/line 3/) });
  });

  it('infers a flag, a count, a ratio, a number and an all-missing column', () => {
    const spec = (values: (number | null)[]) => inferFeatureSpec('f', profileColumn(col(...values)));

    expect(spec([0, 1, 1])).toMatchObject({ kind: 'flag', min: 0, max: 1, integer: true, allow_missing: false });
    expect(spec([0, 0, null])).toMatchObject({ kind: 'flag', min: 0, max: 1, allow_missing: true });
    expect(spec([0, 3, 12])).toMatchObject({ kind: 'count', min: 0, max: 12, integer: true });
    expect(spec([0.25, 1, 0])).toMatchObject({ kind: 'ratio', min: 0, max: 1, integer: false });
    expect(spec([-3, 2])).toMatchObject({ kind: 'number', min: -3, max: 2, integer: true });
    expect(spec([null, null])).toEqual({
      name: 'f',
      description: '',
      unit: '',
      kind: 'number',
      integer: false,
      allow_missing: true,
    });
  });

  it("bins a baseline on its distinct rounded decile edges (numpy's values), v <= edge going to the lower bin", () => {
    const b = baselineFeature(col(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null, null));

    expect(b.edges).toEqual([1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1]);
    expect(b.proportions).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(b.missing_rate).toBe(0.166667);
    expect(baselineFeature(col(4, 4, 4, 5))).toEqual({
      edges: [4, 4.1, 4.4, 4.7],
      proportions: [0.75, 0, 0, 0, 0.25],
      missing_rate: 0,
    });
  });

  it('gives a column with no present value edges [0], proportions [0, 0] and missing_rate 1', () => {
    expect(baselineFeature(col(null, null))).toEqual({ edges: [0], proportions: [0, 0], missing_rate: 1 });
  });

  it('spreads K classes evenly over the scores 1..5', () => {
    expect([2, 3, 4, 6].map(classScores)).toEqual([
      [1, 5],
      [1, 3, 5],
      [1, 2, 4, 5],
      [1, 2, 3, 3, 4, 5],
    ]);
  });

  it("puts thresholds at the quintiles (numpy's values), keeping ties", () => {
    expect(quintileThresholds(Float64Array.of(0.5, 0.1, 0.3, 0.2, 0.4, 0.6))).toEqual([0.2, 0.3, 0.4, 0.5]);
    expect(quintileThresholds(Float64Array.of(1, 1, 1, 1, 2))).toEqual([1, 1, 1, 1.2000000000000002]);
  });

  it('accepts SageMaker-safe names, semver versions and four ascending thresholds', () => {
    expect(checkModelName('lead-score-2')).toBe('lead-score-2');
    for (const bad of ['', 'Lead', 'lead_score', '-lead', 'lead--score', 'a'.repeat(49)])
      expect(() => checkModelName(bad)).toThrow(/--name/);
    expect(['1.0.0', '0.1.2-rc.1', '2.0.0+build.007', '1.0.0-0.3.7', '1.0.0-x-y.1'].map(checkVersion)).toHaveLength(5);
    for (const bad of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-', '1.0.0-rc..1', '1.0.0-01', '1.0.0+'])
      expect(() => checkVersion(bad)).toThrow(/--version/);
    expect(parseThresholds('0.1, 0.1, 0.5,0.9')).toEqual([0.1, 0.1, 0.5, 0.9]);
    for (const bad of ['0.1,0.2,0.3', '0.4,0.3,0.5,0.6', '0.1,x,0.3,0.4', '0.1,0.2,0.3,0.4,0.5'])
      expect(() => parseThresholds(bad)).toThrow(/--thresholds/);
  });

  it('writes created_at in whole UTC seconds, from SOURCE_DATE_EPOCH when given', () => {
    expect(createdAt(1767225600)).toBe('2026-01-01T00:00:00Z');
    expect(createdAt(undefined, () => new Date('2026-03-04T05:06:07.891Z'))).toBe('2026-03-04T05:06:07Z');
  });
});
