import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { FEATURE_NAMES, eventOf, quiet, sampleRows } from './fixtures';
import { SpoolWriter, listLakeFiles } from '../src';
import { LakeKeeper, type LakeKeeperOptions } from '../src/keeper';
import { duckdb } from '@lead-scoring/testing';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 4, 1, 7, 10);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keeper-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const x = sampleRows(200, 11);
const spoolOf = (writer = 'run1-1'): SpoolWriter =>
  new SpoolWriter({ dir, writer, featureNames: FEATURE_NAMES, sync: 'interval', syncMs: 10, logger: quiet });
const keeperOf = (over: Partial<LakeKeeperOptions> = {}): LakeKeeper =>
  new LakeKeeper({ dir, run: 'run2', logger: quiet, retentionDays: 0, ...over });
const spoolFiles = (): string[] => readdirSync(join(dir, 'spool')).sort();

async function leadIds(): Promise<string[]> {
  const rows = await duckdb(`select lead_id from read_parquet('${dir}/scores/*/*/*.parquet') order by lead_id`);
  return rows.map((r) => String(r['lead_id']));
}
const expected = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `lead-${from + i}`).sort();

describe('LakeKeeper', () => {
  it('publishes the segments of a finished hour as one file per hour, then removes them', async () => {
    const spool = spoolOf();
    for (let i = 0; i < 100; i += 10) void spool.append(eventOf(x, i, 10, { ts: T0 + (i < 50 ? 0 : HOUR) }));
    await spool.close();
    const keeper = keeperOf({ now: () => T0 + 3 * HOUR });
    await keeper.recover();

    const cycle = await keeper.cycle();

    expect(cycle).toMatchObject({ files: 2, rows: 100 });
    expect((await listLakeFiles(dir)).map((f) => f.hour)).toEqual(['07', '08']);
    expect(spoolFiles()).toEqual([]);
    expect(await leadIds()).toEqual(expected(0, 100));
  });

  it('keeps the current hour in the spool until its oldest lead has waited publishMs', async () => {
    let now = Date.now();
    const spool = spoolOf('run2-1');
    void spool.append(eventOf(x, 0, 5, { ts: now }));
    await spool.close();
    // A grace of two hours keeps the hour "current" whenever the test runs.
    const keeper = keeperOf({ now: () => now, publishMs: 60_000, graceMs: 2 * HOUR });
    await keeper.recover();

    const early = await keeper.cycle();
    now += 61_000;
    const late = await keeper.cycle();

    expect([early.files, late.files]).toEqual([0, 1]);
  });

  it("leaves a live writer's open segment alone, and publishes it once that writer has exited", async () => {
    const live = spoolOf('run2-1');
    void live.append(eventOf(x, 0, 3, { ts: T0 }));
    const keeper = keeperOf({ now: () => T0 + 3 * HOUR });
    await keeper.recover();

    const before = await keeper.cycle();
    keeper.writerExited('run2-1');
    const after = await keeper.cycle();

    expect([before.rows, after.rows]).toEqual([0, 3]);
    await live.close();
  });

  it('publishes at once the open segment an earlier run left, ignoring its torn last frame', async () => {
    const crashed = spoolOf('run1-1');
    void crashed.append(eventOf(x, 0, 4, { ts: T0 }));
    void crashed.append(eventOf(x, 4, 4, { ts: T0 }));
    const [open] = spoolFiles();
    writeFileSync(join(dir, 'spool', open!), Buffer.from([0x4c, 0x41, 0x4b, 0x31, 0xff]), { flag: 'a' });
    const keeper = keeperOf({ now: () => T0 + 3 * HOUR });
    await keeper.recover();

    const cycle = await keeper.cycle();

    expect(cycle.rows).toBe(8);
    expect(await leadIds()).toEqual(expected(0, 8));
    await crashed.close().catch(() => undefined);
  });

  it('publishes each lead exactly once when a crash came between the file rename and the segment removal', async () => {
    const spool = spoolOf();
    void spool.append(eventOf(x, 0, 20, { ts: T0 }));
    await spool.close();
    const [segment] = spoolFiles();
    copyFileSync(join(dir, 'spool', segment!), join(dir, 'segment.copy'));
    const keeper = keeperOf({ now: () => T0 + 3 * HOUR });
    await keeper.recover();
    await keeper.cycle();
    // The state a crash right after the rename leaves: the file in place, its segment and journal still there.
    const [file] = await listLakeFiles(dir);
    copyFileSync(join(dir, 'segment.copy'), join(dir, 'spool', segment!));
    writeFileSync(
      join(dir, 'spool', `publish-${segment!.replace(/\.wal$/, '')}.json`),
      JSON.stringify({ file: relative(dir, file!.path), segments: [segment] }),
    );

    const restarted = keeperOf({ now: () => T0 + 3 * HOUR });
    await restarted.recover();
    await restarted.cycle({ all: true });

    expect(spoolFiles()).toEqual([]);
    expect(await leadIds()).toEqual(expected(0, 20));
  });

  it('never shows readers a half-written file, and clears one a crash left at start', async () => {
    mkdirSync(join(dir, 'scores', 'dt=2024-05-01', 'hour=07'), { recursive: true });
    const spool = spoolOf();
    void spool.append(eventOf(x, 0, 2, { ts: T0 }));
    await spool.close();
    const keeper = keeperOf({ now: () => T0 + 3 * HOUR });
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'tmp', '.part-half.parquet.tmp'), 'PAR1 half a file');

    const listedBefore = await listLakeFiles(dir);
    await keeper.recover();
    await keeper.cycle();

    expect(listedBefore).toEqual([]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(await leadIds()).toEqual(expected(0, 2));
  });
});
