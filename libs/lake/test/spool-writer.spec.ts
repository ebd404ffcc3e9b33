import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES, eventOf, fakeLogger, quiet, sampleRows } from './fixtures';
import { SpoolWriter, type SpoolWriterOptions } from '../src';
import { readFrames } from '../src/spool-frame';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 4, 1, 7, 59, 59);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spool-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const spoolOf = (over: Partial<SpoolWriterOptions> = {}): SpoolWriter =>
  new SpoolWriter({
    dir,
    writer: 'abc-1',
    featureNames: FEATURE_NAMES,
    sync: 'interval',
    syncMs: 10,
    logger: quiet,
    ...over,
  });
const files = (): string[] => readdirSync(join(dir, 'spool')).sort();
const x = sampleRows(10, 3);

describe('SpoolWriter', () => {
  it('writes a schema frame, then one frame per request, and seals its segment on close', async () => {
    const spool = spoolOf();

    void spool.append(eventOf(x, 0, 4, { ts: T0 }));
    void spool.append(eventOf(x, 4, 6, { ts: T0 }));
    await spool.close();

    expect(files()).toEqual(['2024050107-abc-1-000000.wal']);
    const scan = readFrames(readFileSync(join(dir, 'spool', files()[0]!)));
    expect([scan.names, scan.requests.map((r) => r.n), scan.ignoredBytes]).toEqual([FEATURE_NAMES, [4, 6], 0]);
    expect(spool.stats()).toMatchObject({ requests: 2, leads: 10, failures: 0 });
  });

  it('starts a new segment with each new hour of the leads', async () => {
    const spool = spoolOf();

    void spool.append(eventOf(x, 0, 1, { ts: T0 }));
    void spool.append(eventOf(x, 1, 1, { ts: T0 + 2_000 }));
    await spool.close();

    expect(files()).toEqual(['2024050107-abc-1-000000.wal', '2024050108-abc-1-000001.wal']);
  });

  it('seals a segment once it is older than segmentMs, so the keeper can publish it', async () => {
    const spool = spoolOf({ segmentMs: 20 });

    void spool.append(eventOf(x, 0, 1, { ts: Date.now() }));
    await new Promise((r) => setTimeout(r, 150));

    expect(files().map((f) => f.slice(-4))).toEqual(['.wal']);
    await spool.close();
  });

  it('answers only after an fsync with sync always, concurrent requests sharing it', async () => {
    const spool = spoolOf({ sync: 'always', syncMs: 60_000 });

    const synced = [spool.append(eventOf(x, 0, 1, { ts: T0 })), spool.append(eventOf(x, 1, 1, { ts: T0 }))];

    expect(synced.every((p) => p instanceof Promise)).toBe(true);
    await Promise.all(synced as Promise<void>[]);
    await spool.close();
  });

  it('refuses to record and says why while its folder cannot be written, and recovers by itself', async () => {
    const blocked = join(dir, 'lake');
    writeFileSync(blocked, 'not a folder');
    const logger = fakeLogger();
    const spool = new SpoolWriter({
      dir: blocked,
      writer: 'abc-1',
      featureNames: FEATURE_NAMES,
      sync: 'interval',
      syncMs: 10,
      probeMs: 20,
      logger,
    });

    expect(() => spool.append(eventOf(x, 0, 1, { ts: T0 }))).toThrow(
      expect.objectContaining({ code: 'LAKE_SPOOL_UNWRITABLE' }),
    );
    expect(spool.unavailable()).toMatch(/cannot be written/);
    rmSync(blocked);
    await new Promise((r) => setTimeout(r, 200));
    void spool.append(eventOf(x, 0, 1, { ts: T0 + HOUR }));
    await spool.close();

    expect(spool.unavailable()).toBeUndefined();
    expect(logger.error).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ code: 'LAKE_SPOOL_UNWRITABLE' }),
    );
    expect(readdirSync(join(blocked, 'spool')).filter((f) => f.endsWith('.wal'))).toHaveLength(1);
  });
});
