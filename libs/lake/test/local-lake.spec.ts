import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES, eventOf, fakeLogger, sampleRows } from './fixtures';
import { openLocalLake, type LocalLakeOptions } from '../src';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-lake-'));
  writeFileSync(join(dir, 'lake'), 'a file where the lake folder should be');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const x = sampleRows(5, 2);
const lakeOf = (required: boolean, logger = fakeLogger()) =>
  openLocalLake({
    dir: join(dir, 'lake'),
    featureNames: FEATURE_NAMES,
    sync: 'interval',
    syncMs: 10,
    required,
    run: 'abc',
    worker: 1,
    keeper: false,
    publishMs: 1_000,
    retentionDays: 0,
    logger,
  } satisfies LocalLakeOptions);

describe('openLocalLake', () => {
  it('refuses a lead it cannot record and reports itself unavailable (LAKE_REQUIRED=on)', async () => {
    const lake = lakeOf(true);

    expect(() => lake.record(eventOf(x, 0, 2))).toThrow(expect.objectContaining({ code: 'LAKE_SPOOL_UNWRITABLE' }));
    expect(lake.unavailable()).toMatch(/cannot be written/);
    await lake.close();
  });

  it('scores a lead it cannot record with LAKE_REQUIRED=off, counting and logging it, never silently', async () => {
    const logger = fakeLogger();
    const lake = lakeOf(false, logger);

    void lake.record(eventOf(x, 0, 2));
    void lake.record(eventOf(x, 2, 3));

    expect(lake.unavailable()).toBeUndefined();
    expect(lake.stats()).toMatchObject({ unrecorded: 5, unavailable: true });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ code: 'LAKE_REQUIRED_OFF' }),
    );
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('NOT recorded'),
      expect.objectContaining({ code: 'LAKE_LEADS_UNRECORDED' }),
    );
    await lake.close();
  });
});
