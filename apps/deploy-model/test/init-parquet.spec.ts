import { rmSync } from 'node:fs';
import path from 'node:path';
import { duckdb } from '@lead-scoring/testing';
import { readSample } from '../src/init/read-sample';
import { exampleFiles, manifestOf, runInit } from './helpers/examples';
import { tempDir } from './helpers/temp';

describe('init with a Parquet sample', () => {
  jest.setTimeout(60_000);
  let root: string;
  beforeAll(() => (root = tempDir()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(['fit12', 'intent80'] as const)(
    'gives the same manifest as the CSV sample it was made from (%s)',
    async (name) => {
      const { model, sample } = exampleFiles(name);
      const parquet = path.join(root, `${name}.parquet`);
      await duckdb(`COPY (SELECT * FROM read_csv('${sample}', header = true)) TO '${parquet}' (FORMAT parquet)`);

      const fromCsv = await runInit({ model, sample, out: path.join(root, `${name}-csv`) });
      const fromParquet = await runInit({ model, sample: parquet, out: path.join(root, `${name}-parquet`) });

      expect(fromCsv.code).toBe(0);
      expect(fromParquet.code).toBe(0);
      const csvManifest = manifestOf(path.join(root, `${name}-csv`));
      const parquetManifest = manifestOf(path.join(root, `${name}-parquet`));
      expect(parquetManifest['init']).toEqual({ ...(csvManifest['init'] as object), sample: `${name}.parquet` });
      expect({ ...parquetManifest, init: null }).toEqual({ ...csvManifest, init: null });
    },
  );

  it('reads booleans as 0/1, nulls as missing and float32 columns as their shortest decimals', async () => {
    const file = path.join(root, 'types.parquet');
    await duckdb(
      `COPY (SELECT * FROM (VALUES (true, 0.1::FLOAT, 3::INTEGER, 10::BIGINT), (false, NULL, NULL, 20), (NULL, 2.5::FLOAT, 4, NULL)) t(flag, ratio, small, big)) TO '${file}' (FORMAT parquet)`,
    );

    const table = await readSample(file);

    expect(table.names).toEqual(['flag', 'ratio', 'small', 'big']);
    expect(table.columns.map((c) => [...c])).toEqual([
      [1, 0, Number.NaN],
      [0.1, Number.NaN, 2.5],
      [3, Number.NaN, 4],
      [10, 20, Number.NaN],
    ]);
  });

  it('reads only the first rows of a sample past the cap, saying it was truncated (CSV and Parquet alike)', async () => {
    const { sample } = exampleFiles('fit12');
    const parquet = path.join(root, 'capped.parquet');
    await duckdb(`COPY (SELECT * FROM read_csv('${sample}', header = true)) TO '${parquet}' (FORMAT parquet)`);

    const [csv, pq] = [await readSample(sample, 10), await readSample(parquet, 10)];

    expect(csv).toMatchObject({ rows: 10, truncated: true });
    expect(pq).toMatchObject({ rows: 10, truncated: true });
    expect(pq.columns.map((c) => [...c])).toEqual(csv.columns.map((c) => [...c]));
    expect(await readSample(sample, 1000)).toMatchObject({ rows: 1000, truncated: false });
  });

  it('refuses a Parquet sample with a text column, naming it', async () => {
    const file = path.join(root, 'text.parquet');
    await duckdb(`COPY (SELECT 1.5 AS score, 'hot' AS label) TO '${file}' (FORMAT parquet)`);

    await expect(readSample(file)).rejects.toMatchObject({
      code: 'SAMPLE_INVALID',
      message: expect.stringMatching(/column label holds a string/),
    });
  });
});
