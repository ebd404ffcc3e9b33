import { rmSync } from 'node:fs';
import path from 'node:path';
import { exampleExpected, initExampleBundle, type ExampleModel } from '@lead-scoring/model-bundle/testing';
import { tempDir } from './helpers/bundles';
import { duckdb } from '@lead-scoring/testing';
import { csvToParquet, readCsvObjects, writeLeadsCsv, writeLeadsNdjson, type TestLead } from './helpers/rescore-files';
import { runCli } from './helpers/run-cli';

/**
 * `rescore` against XGBoost 1.7.4's own predictions (models/examples/<model>/expected.json, 64 sample rows with
 * their missing values) from every input format, with extra columns in the input and the features out of order.
 */
describe.each<ExampleModel>(['fit-12', 'intent-80'])('rescore of the %s example', (name) => {
  const expected = exampleExpected(name);
  const leads: TestLead[] = expected.rows.map((row, i) => ({
    id: `crm-${String(i).padStart(4, '0')}`,
    values: Object.fromEntries(expected.feature_names.map((f, j) => [f, row[j] ?? null])),
    owner: i % 3 === 0 ? 'Ann, Sales' : 'Bo',
  }));
  // Extra columns around the features, and the features in reverse: columns are matched by name.
  const columns = ['owner', ...[...expected.feature_names].reverse(), 'lead_id'];
  let dir: string;
  let bundle: string;

  beforeAll(async () => {
    dir = tempDir('rescore-parity-');
    bundle = await initExampleBundle(name, path.join(dir, 'bundle'));
    writeLeadsCsv(path.join(dir, 'leads.csv'), leads, columns);
    writeLeadsNdjson(path.join(dir, 'leads.ndjson'), leads);
    await csvToParquet(path.join(dir, 'leads.csv'), path.join(dir, 'leads.parquet'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const probabilities = (row: Record<string, unknown>): number[] =>
    name === 'fit-12' ? [Number(row['probability'])] : [0, 1, 2, 3, 4].map((k) => Number(row[`probability_${k}`]));
  const expectedOf = (i: number): number[] => [expected.predictions[i]!].flat();

  it.each(['csv', 'parquet', 'ndjson'])(
    "writes XGBoost's predictions for every lead of a %s input, in input order",
    async (format) => {
      const out = path.join(dir, `scores-${format}.csv`);

      const run = await runCli([
        'rescore',
        '--model',
        bundle,
        '--input',
        path.join(dir, `leads.${format}`),
        '--output',
        out,
        '--keep',
        'owner',
      ]);

      expect(run.stderr).toMatch(/64 rows read, 64 scored, 0 rejected/);
      expect(run.code).toBe(0);
      const rows = readCsvObjects(out);
      expect(rows.map((r) => r['lead_id'])).toEqual(leads.map((l) => l.id));
      rows.forEach((row, i) => {
        const want = expectedOf(i);
        probabilities(row).forEach((p, k) => expect(Math.abs(p - want[k]!)).toBeLessThanOrEqual(1e-6));
        expect(row).toMatchObject({ model_name: name, model_version: '1.0.0', warnings: '' });
      });
      // The NDJSON named form carries no extra keys; its flat lines keep theirs.
      if (format !== 'ndjson') expect(rows.map((r) => r['owner'])).toEqual(leads.map((l) => l.owner));
    },
    120_000,
  );

  it('writes Parquet output that DuckDB reads back with the same predictions', async () => {
    const out = path.join(dir, 'scores.parquet');

    const run = await runCli(['rescore', '--model', bundle, '--input', path.join(dir, 'leads.csv'), '--output', out]);

    expect(run.code).toBe(0);
    const rows = await duckdb(`select * from read_parquet('${out}')`);
    expect(rows.map((r) => r['lead_id'])).toEqual(leads.map((l) => l.id));
    rows.forEach((row, i) =>
      probabilities(row).forEach((p, k) => expect(Math.abs(p - expectedOf(i)[k]!)).toBeLessThanOrEqual(1e-6)),
    );
  }, 120_000);

  it("gives the strongest reason codes of XGBoost's pred_contribs for the predicted class, as the API does", async () => {
    const out = path.join(dir, 'explained.csv');

    const run = await runCli([
      'rescore',
      '--model',
      bundle,
      '--input',
      path.join(dir, 'leads.parquet'),
      '--output',
      out,
      '--explain',
      '3',
    ]);

    expect(run.code).toBe(0);
    readCsvObjects(out).forEach((row, i) => {
      const p = expectedOf(i);
      const group = p.length > 1 ? p.indexOf(Math.max(...p)) : 0;
      const contribs = (
        p.length > 1 ? (expected.contribs[i] as number[][])[group]! : (expected.contribs[i] as number[])
      ).slice(0, -1);
      const top = contribs
        .map((c, j) => [j, c] as const)
        .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0] - b[0])
        .slice(0, 3);
      top.forEach(([j, c], k) => {
        expect(row[`reason_${k + 1}_feature`]).toBe(expected.feature_names[j]);
        expect(Math.abs(Number(row[`reason_${k + 1}_contribution`]) - c)).toBeLessThanOrEqual(1e-4);
      });
    });
  }, 120_000);
});
