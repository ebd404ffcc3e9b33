import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES, NUM_FEATURES, baselineFrom, eventOf, sampleRows } from './fixtures';
import { SpoolWriter } from '@lead-scoring/lake';
import { LakeKeeper } from '@lead-scoring/lake/keeper';
import { buildDriftReport, formatDriftTable, renderDriftHtml } from '../src';

const SHIFTED = 'web_visits_30d';
jest.setTimeout(60_000);
let dir: string;
const train = sampleRows(4000, 41);
const baseline = baselineFrom(train, 4000);

/** Writes `n` fresh leads to a lake on 2024-05-01 and 2024-05-02, with SHIFTED multiplied by 10 when asked. */
async function writeLake(n: number, shift: boolean): Promise<void> {
  const rows = sampleRows(n, 42);
  if (shift) {
    const f = FEATURE_NAMES.indexOf(SHIFTED);
    for (let r = 0; r < n; r++) rows[r * NUM_FEATURES + f] = (rows[r * NUM_FEATURES + f] ?? 0) * 10 + 50;
  }
  const quiet = { warn: () => undefined, error: () => undefined };
  const spool = new SpoolWriter({
    dir,
    writer: 'drift-1',
    featureNames: FEATURE_NAMES,
    sync: 'interval',
    syncMs: 50,
    logger: quiet,
  });
  for (let i = 0; i < n; i += 100) {
    const ts = Date.UTC(2024, 4, i < n / 2 ? 1 : 2, 12);
    void spool.append(eventOf(rows, i, Math.min(100, n - i), { ts }));
  }
  await spool.close();
  // What the server's keeper does with a sealed spool: one Parquet file per hour (no retention for 2024 dates).
  const keeper = new LakeKeeper({ dir, run: 'drift', logger: quiet, retentionDays: 0 });
  await keeper.recover();
  await keeper.cycle({ all: true });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drift-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('buildDriftReport', () => {
  it('flags exactly the deliberately shifted feature', async () => {
    await writeLake(4000, true);
    const report = await buildDriftReport({ featureNames: FEATURE_NAMES, lakeDir: dir, baseline });
    expect(report.snapshot.n).toBe(4000);
    expect(report.alert).toEqual([SHIFTED]);
    expect(report.watch).toEqual([]);
    expect(report.scoreLevel).toBe('ok');
  });

  it('flags nothing on a lake drawn from the training distribution', async () => {
    await writeLake(4000, false);
    const report = await buildDriftReport({ featureNames: FEATURE_NAMES, lakeDir: dir, baseline });
    expect(report.alert).toEqual([]);
    expect(report.watch).toEqual([]);
  });

  it('reads only the partitions within --from and --to', async () => {
    await writeLake(1000, false);
    const report = await buildDriftReport({
      featureNames: FEATURE_NAMES,
      lakeDir: dir,
      baseline,
      from: '2024-05-02',
      to: '2024-05-02',
    });
    expect(report.snapshot.n).toBe(500);
  });

  it('prints a table and renders a self-contained HTML report with SVG charts', async () => {
    await writeLake(1000, true);
    const report = await buildDriftReport({ featureNames: FEATURE_NAMES, lakeDir: dir, baseline });
    const table = formatDriftTable(report);
    expect(table).toMatch(new RegExp(`${SHIFTED}\\s+\\d+\\.\\d{4}\\s+\\S+%\\s+ALERT`));
    expect(table).toContain('Alert: web_visits_30d');
    const html = renderDriftHtml(report);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src="http|href="http/);
    expect(html).toContain(`${SHIFTED} <span class="b alert">`);
  });

  it('rejects a malformed date, a reversed range and a missing lake', async () => {
    await expect(
      buildDriftReport({ featureNames: FEATURE_NAMES, lakeDir: dir, baseline, from: '2024-13-01' }),
    ).rejects.toMatchObject({ code: 'DRIFT_REPORT_BAD_INPUT', message: expect.stringContaining('--from') });
    await expect(
      buildDriftReport({ featureNames: FEATURE_NAMES, lakeDir: dir, baseline, from: '2024-05-03', to: '2024-05-01' }),
    ).rejects.toMatchObject({ code: 'DRIFT_REPORT_BAD_INPUT' });
    await expect(
      buildDriftReport({ featureNames: FEATURE_NAMES, lakeDir: join(dir, 'nope'), baseline }),
    ).rejects.toMatchObject({ code: 'DRIFT_REPORT_BAD_INPUT' });
  });

  it('says so when no lead falls in the range', async () => {
    await writeLake(200, false);
    await expect(
      buildDriftReport({ featureNames: FEATURE_NAMES, lakeDir: dir, baseline, from: '2030-01-01' }),
    ).rejects.toMatchObject({ code: 'DRIFT_REPORT_NO_DATA' });
  });
});
