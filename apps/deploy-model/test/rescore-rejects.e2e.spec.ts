import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { DEMO_BUNDLE_DIR } from '@lead-scoring/model-bundle';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { tempDir } from './helpers/bundles';
import { duckdb } from '@lead-scoring/testing';
import { readCsvObjects } from './helpers/rescore-files';
import { runCli } from './helpers/run-cli';

const features = demoFeatures();
const names = features.map((f) => f.name);
const at = (name: string): number => names.indexOf(name);

/** 20 valid demo leads as CSV fields, then the damage done to some of them. */
function csvLines(): string[] {
  const rng = mulberry32(3);
  return Array.from({ length: 20 }, (_, i) => {
    const fields = sampleLead(features, rng).map((v) => (v === null ? '' : String(v)));
    if (i === 2) fields[at('pages_per_visit')] = 'abc';
    if (i === 5) fields[at('web_visits_30d')] = '';
    if (i === 8) fields.pop();
    if (i === 14) fields[at('country_tier')] = '9';
    if (i === 17) fields[at('intent_score')] = '1e999';
    return [i === 11 ? '' : `crm-${i + 1}`, ...fields].join(',');
  });
}

describe('rescore rejects', () => {
  let dir: string;
  let input: string;

  beforeAll(() => {
    dir = tempDir('rescore-rejects-');
    input = path.join(dir, 'leads.csv');
    writeFileSync(input, `lead_id,${names.join(',')}\n${csvLines().join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes exactly the invalid rows to the rejects file with their reasons, and scores the others', async () => {
    const out = path.join(dir, 'scores.csv');

    const run = await runCli(['rescore', '--model', DEMO_BUNDLE_DIR, '--input', input, '--output', out]);

    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /20 rows read, 15 scored, 5 rejected \(.*scores\.rejects\.csv\), 1 flagged out of range/,
    );
    expect(readCsvObjects(path.join(dir, 'scores.rejects.csv'))).toEqual([
      { row: '3', lead_id: 'crm-3', reason: 'pages_per_visit: must be a number or null, got a string ("abc")' },
      { row: '6', lead_id: 'crm-6', reason: 'web_visits_30d: must not be missing (empty)' },
      { row: '9', lead_id: 'crm-9', reason: `has ${names.length} fields; the header has ${names.length + 1}` },
      { row: '12', lead_id: '', reason: 'lead_id: is empty' },
      { row: '18', lead_id: 'crm-18', reason: 'intent_score: must be a finite number' },
    ]);
    const scored = readCsvObjects(out);
    expect(scored.map((r) => r['lead_id'])).toEqual(
      [1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 15, 16, 17, 19, 20].map((i) => `crm-${i}`),
    );
    expect(scored.find((r) => r['lead_id'] === 'crm-15')?.['warnings']).toBe('country_tier: must be between 1 and 4');
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 20, scored: 15, rejected: 5, flagged: 1 });
  }, 60_000);

  it('rejects an out-of-range value too with --strict', async () => {
    const out = path.join(dir, 'strict.csv');
    const rejects = path.join(dir, 'strict-rejects.csv');

    const run = await runCli([
      'rescore',
      '--model',
      DEMO_BUNDLE_DIR,
      '--input',
      input,
      '--output',
      out,
      '--rejects',
      rejects,
      '--strict',
    ]);

    expect(run.code).toBe(0);
    expect(readCsvObjects(rejects).map((r) => [r['row'], r['reason']])).toContainEqual([
      '15',
      'country_tier: must be between 1 and 4',
    ]);
    expect(readCsvObjects(out)).toHaveLength(14);
  }, 60_000);

  it('rejects NDJSON lines that are not JSON, name an unknown feature or carry a string, as the API does', async () => {
    const valid = Object.fromEntries(names.map((n, j) => [n, sampleLead(features, mulberry32(j))[j]]));
    const ndjson = path.join(dir, 'leads.ndjson');
    writeFileSync(
      ndjson,
      [
        JSON.stringify({ lead_id: 'a', features: valid }),
        '{"lead_id": "b", "features": {',
        JSON.stringify({ lead_id: 'c', features: { ...valid, seats_requested: 4 } }),
        JSON.stringify({ lead_id: 'd', ...valid, web_visits_30d: '12' }),
        '',
        JSON.stringify({ lead_id: 'e', ...valid, crm_owner: 'x' }),
      ].join('\n'),
    );
    const out = path.join(dir, 'nd.csv');

    const run = await runCli(['rescore', '--model', DEMO_BUNDLE_DIR, '--input', ndjson, '--output', out]);

    expect(run.code).toBe(0);
    expect(readCsvObjects(out).map((r) => r['lead_id'])).toEqual(['a', 'e']);
    const rejected = readCsvObjects(path.join(dir, 'nd.rejects.csv'));
    expect(rejected.map((r) => [r['row'], r['lead_id']])).toEqual([
      ['2', ''],
      ['3', 'c'],
      ['4', 'd'],
    ]);
    expect(rejected.map((r) => r['reason'])).toEqual([
      expect.stringMatching(/^is not valid JSON/),
      'seats_requested: unknown feature name',
      'web_visits_30d: must be a number, got a string',
    ]);
    expect(readFileSync(path.join(dir, 'nd.rejects.csv'), 'utf8').split('\n')[0]).toBe('row,lead_id,reason');
  }, 60_000);

  it('writes a Parquet output with its columns and no row when every row is rejected', async () => {
    const bad = path.join(dir, 'all-bad.csv');
    writeFileSync(bad, `lead_id,${names.join(',')}\nx,${names.map(() => 'n/a').join(',')}\n`);
    const out = path.join(dir, 'none.parquet');

    const run = await runCli(['rescore', '--model', DEMO_BUNDLE_DIR, '--input', bad, '--output', out]);

    expect(run.code).toBe(0);
    expect(await duckdb(`select count(*) as n from read_parquet('${out}')`)).toEqual([{ n: 0n }]);
    expect(readCsvObjects(path.join(dir, 'none.rejects.csv'))).toHaveLength(1);
  }, 60_000);
});
