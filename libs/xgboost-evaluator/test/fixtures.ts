// Reads the fixtures written by tools/xgboost/make_fixtures.py: real XGBoost 1.7.4 output in
// fixtures/, real XGBoost 3.4.1 output (`--xgboost3`) in fixtures/xgb3/, same file names in both.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(__dirname, 'fixtures');

/** A fixture set: '' for the XGBoost 1.7.4 one, 'xgb3' for the XGBoost 3.4.1 one. */
export type FixtureSet = '' | 'xgb3';

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
  /** The model's path under fixtures/ without extension: `multi-softprob` or `xgb3/multi-softprob`. */
  path: string;
  expected: Expected;
  /** Formats saved for this model (the derived XGBoost 2.x form exists as JSON only). */
  formats: ModelFormat[];
}

/** Every model fixture of one set, sorted by name. */
export function listModelFixtures(set: FixtureSet = ''): ModelFixture[] {
  const dir = join(FIXTURE_DIR, set);
  const files = readdirSync(dir);
  return files
    .filter((f) => f.endsWith('.expected.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.expected.json'.length);
      const expected = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Expected;
      const formats = (['json', 'ubj'] as const).filter((fmt) => files.includes(`${name}.model.${fmt}`));
      return { path: set ? `${set}/${name}` : name, expected, formats };
    });
}

/** The model fixtures of both sets: XGBoost 1.7.4's, then XGBoost 3.4.1's. */
export function listAllModelFixtures(): ModelFixture[] {
  return [...listModelFixtures(''), ...listModelFixtures('xgb3')];
}

/** A model file by its {@link ModelFixture.path}, e.g. `modelBytes('xgb3/multi-softprob', 'ubj')`. */
export function modelBytes(path: string, format: ModelFormat): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURE_DIR, `${path}.model.${format}`)));
}

/** The JSON document of a model file, for tests that look at what XGBoost stored. */
export function modelJson(path: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${path}.model.json`), 'utf8')) as unknown;
}

/** A file the evaluator must refuse, from a set's unsupported/ folder. */
export function unsupportedBytes(file: string, set: FixtureSet = ''): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURE_DIR, set, 'unsupported', file)));
}

/** Fixture rows as the evaluator's convenient API takes them (null = missing, real infinities). */
export function decodeRows(rows: readonly (readonly FixtureValue[])[]): (number | null)[][] {
  return rows.map((row) => row.map((v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)));
}
