import {
  createFeatureContract,
  createLeadValidator,
  featureValueProblem,
  requestSchemas,
} from '@lead-scoring/feature-schema';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { buildBodyPool } from '../src/payload/bodies';
import { readBundleFeatures } from '../src/payload/bundle-features';
import { createRng } from '../src/payload/rng';
import { breakRow, generateRow, invalidKindsFor, type FeatureValue } from '../src/payload/rows';

const FEATURES = demoFeatures();
const CONTRACT = createFeatureContract(FEATURES);
const { ScoreRequestSchema } = requestSchemas(CONTRACT, 'strict');

function problems(row: readonly FeatureValue[]): string[] {
  if (row.length !== FEATURES.length) return [`length ${row.length}`];
  return FEATURES.flatMap((spec, i) => {
    const p = featureValueProblem(spec, row[i]);
    return p === undefined ? [] : [`${spec.name}: ${p}`];
  });
}

describe('payload generator', () => {
  it('draws only rows that pass every feature range, with some missing values', () => {
    const rng = createRng(7);
    const rows = Array.from({ length: 2000 }, () => generateRow(FEATURES, rng));

    expect(rows.flatMap(problems)).toEqual([]);
    expect(rows.flat().filter((v) => v === null).length).toBeGreaterThan(0);
  });

  it("covers each feature's range rather than a corner of it", () => {
    const rng = createRng(3);
    const rows = Array.from({ length: 2000 }, () => generateRow(FEATURES, rng));

    FEATURES.forEach((_spec, i) => {
      const values = rows.map((r) => r[i]).filter((v): v is number => typeof v === 'number');
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0);
    });
  });

  it('draws valid values for features with unbounded ranges', () => {
    const open = readBundleFeatures(undefined).map((s) => ({ ...s, min: -Infinity, max: Infinity }));
    const rng = createRng(5);
    const rows = Array.from({ length: 200 }, () => generateRow(open, rng));

    expect(rows.flat().filter((v) => typeof v === 'number' && !Number.isFinite(v))).toEqual([]);
  });

  it('is reproducible from the seed and differs between seeds', () => {
    const a = buildBodyPool({ specs: FEATURES, seed: 42, rows: 3, format: 'array', poolSize: 4 });
    const b = buildBodyPool({ specs: FEATURES, seed: 42, rows: 3, format: 'array', poolSize: 4 });
    const c = buildBodyPool({ specs: FEATURES, seed: 43, rows: 3, format: 'array', poolSize: 4 });

    expect(a.valid.map(String)).toEqual(b.valid.map(String));
    expect(a.valid.map(String)).not.toEqual(c.valid.map(String));
  });

  it.each(['array', 'named'] as const)(
    'builds %s-form bodies that the API request schema accepts, even strict',
    (format) => {
      const pool = buildBodyPool({ specs: FEATURES, seed: 1, rows: 5, format, poolSize: 16 });

      expect(pool.valid).toHaveLength(16);
      for (const body of pool.valid) {
        const parsed = ScoreRequestSchema.safeParse(JSON.parse(body.toString()));
        expect(parsed.success ? 'ok' : JSON.stringify(parsed.error.issues[0])).toBe('ok');
      }
    },
  );

  it.each(['array', 'named'] as const)(
    'builds %s-form invalid bodies whose every lead the API rejects, so the request is a 4xx',
    (format) => {
      const pool = buildBodyPool({ specs: FEATURES, seed: 1, rows: 3, format, poolSize: 16 });
      const validator = createLeadValidator(CONTRACT, { maxRows: 100 });

      expect(pool.invalid.length).toBeGreaterThanOrEqual(4);
      for (const body of pool.invalid)
        expect(() => validator.validate(JSON.parse(body.toString()))).toThrow(/Every lead of the request is invalid/);
    },
  );

  it.each(invalidKindsFor(FEATURES))('breaks a valid row in exactly one way: %s', (kind) => {
    const rng = createRng(11);
    for (let n = 0; n < 200; n++) {
      const broken = breakRow(FEATURES, generateRow(FEATURES, rng), kind, rng);
      expect(problems(broken)).toHaveLength(1);
    }
  });

  it('writes CSV for SageMaker: one line per row, empty fields for missing, short rows when invalid', () => {
    const pool = buildBodyPool({ specs: FEATURES, seed: 5, rows: 4, format: 'csv', poolSize: 8 });
    const lines = pool.valid.flatMap((b) => b.toString().split('\n'));

    expect(pool.contentType).toBe('text/csv');
    expect(lines).toHaveLength(32);
    lines.forEach((line) => expect(line.split(',')).toHaveLength(50));
    expect(lines.some((l) => l.includes(',,') || l.startsWith(',') || l.endsWith(','))).toBe(true);
    pool.invalid.forEach((b) =>
      expect(
        b
          .toString()
          .split('\n')
          .some((l) => l.split(',').length !== 50),
      ).toBe(true),
    );
  });
});

describe('readBundleFeatures', () => {
  it('reads the demo bundle when no folder is given', () => {
    expect(readBundleFeatures(undefined)).toEqual(FEATURES);
  });

  it('refuses a folder without a manifest with INVALID_BUNDLE', () => {
    expect(() => readBundleFeatures('/nonexistent')).toThrow(expect.objectContaining({ code: 'INVALID_BUNDLE' }));
  });
});
