// Reads the fixtures written by tools/xgboost/make_fixtures.py (real XGBoost 1.7.4 output).
/* eslint-disable security/detect-non-literal-fs-filename -- paths are fixed fixture files under __dirname */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(__dirname, 'fixtures');
export const UNSUPPORTED_DIR = join(FIXTURE_DIR, 'unsupported');

/** JSON has no NaN/Infinity: the fixtures write missing as null and infinities as strings. */
export type FixtureValue = number | null | 'Infinity' | '-Infinity';

/** What XGBoost's Python API returned for one model: `<name>.expected.json`. */
export interface Expected {
  name: string;
  objective: string;
  num_features: number;
  num_class: number;
  num_trees: number;
  feature_names: string[] | null;
  xgboost_version: string;
  rows: (number | null)[][];
  margin: number[] | number[][];
  prediction: number[] | number[][];
  contribs: number[][] | number[][][];
  inf_rows: FixtureValue[][];
  inf_margin: number[] | number[][];
  inf_prediction: number[] | number[][];
  derived_from?: string;
}

export type ModelFormat = 'json' | 'ubj';

export interface ModelFixture {
  expected: Expected;
  /** Formats saved for this model (the derived XGBoost 2.x form exists as JSON only). */
  formats: ModelFormat[];
}

/** Every model fixture, sorted by name. */
export function listModelFixtures(): ModelFixture[] {
  const files = readdirSync(FIXTURE_DIR);
  return files
    .filter((f) => f.endsWith('.expected.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.expected.json'.length);
      const expected = JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as Expected;
      const formats = (['json', 'ubj'] as const).filter((fmt) => files.includes(`${name}.model.${fmt}`));
      return { expected, formats };
    });
}

export function loadExpected(name: string): Expected {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.expected.json`), 'utf8')) as Expected;
}

export function modelBytes(name: string, format: ModelFormat): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURE_DIR, `${name}.model.${format}`)));
}

export function unsupportedBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(UNSUPPORTED_DIR, file)));
}

/** Fixture rows as the evaluator's convenient API takes them (null = missing, real infinities). */
export function decodeRows(rows: readonly (readonly FixtureValue[])[]): (number | null)[][] {
  return rows.map((row) =>
    row.map((v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)),
  );
}
