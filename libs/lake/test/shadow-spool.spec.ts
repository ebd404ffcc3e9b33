import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScoredEvent, ShadowOutcome } from '@lead-scoring/metrics';
import { FEATURE_NAMES, eventOf, quiet, sampleRows } from './fixtures';
import { SpoolWriter, type SpoolWriterOptions } from '../src';
import { LakeKeeper } from '../src/keeper';
import { FrameBuffer, encodeShadowFrame, readFrames } from '../src/spool-frame';
import { duckdb } from '@lead-scoring/testing';

const T0 = Date.UTC(2024, 4, 1, 7, 30);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shadow-spool-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const x = sampleRows(12, 5);
const spoolOf = (over: Partial<SpoolWriterOptions> = {}): SpoolWriter =>
  new SpoolWriter({
    dir,
    writer: 'abc-1',
    featureNames: FEATURE_NAMES,
    sync: 'interval',
    syncMs: 5,
    logger: quiet,
    ...over,
  });

/** A shadow result that disagrees with the production one: score shifted by one, its own probabilities. */
function shadowOf(e: ScoredEvent): ShadowOutcome {
  return {
    model: { name: 'demo', version: '2.0.0' },
    modelMs: 0.1,
    results: e.results.map((r, i) => ({
      score: ((r.score % 5) + 1) as 1 | 2 | 3 | 4 | 5,
      probabilities: [0.5, 0.125, 0.125, 0.125, 0.125 + i / 64],
    })),
  };
}

async function publishAll(): Promise<void> {
  const keeper = new LakeKeeper({ dir, run: 'abc', logger: quiet, retentionDays: 0 });
  await keeper.recover();
  await keeper.cycle({ all: true });
}

function lakeRows(): Promise<Record<string, unknown>[]> {
  return duckdb(`select request_id, lead_id, score, shadow_model_version, shadow_score, shadow_probabilities, shadow_probability
    from read_parquet('${dir}/scores/*/*/*.parquet') order by lead_id`);
}

describe('shadow results in the spool', () => {
  it('publishes each lead with the shadow result spooled after its request, column by column', async () => {
    const spool = spoolOf();
    const events = [eventOf(x, 0, 4, { ts: T0 }), eventOf(x, 4, 3, { ts: T0 })];

    for (const e of events) void spool.append(e, { shadow: true });
    for (const e of events) expect(spool.appendShadow(e, shadowOf(e))).toBe(true);
    await spool.close();
    await publishAll();

    const rows = await lakeRows();
    const expected = events.flatMap((e) => shadowOf(e).results);
    expect(rows.map((r) => [r['shadow_model_version'], r['shadow_score'], r['shadow_probability']])).toEqual(
      expected.map((s) => ['2.0.0', s.score, null]),
    );
    expect(rows.map((r) => r['shadow_probabilities'])).toEqual(expected.map((s) => s.probabilities!.map(Math.fround)));
    expect(spool.stats()).toMatchObject({ shadowLeads: 7, shadowLost: 0 });
  });

  it('keeps a retired segment open until the shadow result of its last request is in it', async () => {
    const spool = spoolOf();
    const late = eventOf(x, 0, 2, { ts: T0 });

    void spool.append(late, { shadow: true });
    void spool.append(eventOf(x, 2, 1, { ts: T0 + 3_600_000 }), { shadow: true }); // the next hour retires the first segment
    await sleep(50);
    const whileWaiting = readdirSync(join(dir, 'spool')).filter((f) => f.startsWith('2024050107'));
    spool.appendShadow(late, shadowOf(late));
    await sleep(50);
    const afterwards = readdirSync(join(dir, 'spool')).filter((f) => f.startsWith('2024050107'));

    expect([whileWaiting, afterwards]).toEqual([['2024050107-abc-1-000000.open'], ['2024050107-abc-1-000000.wal']]);
    const scan = readFrames(readFileSync(join(dir, 'spool', afterwards[0]!)));
    expect(scan.requests[0]!.shadow?.modelVersion).toBe('2.0.0');
    await spool.close();
  });

  it('seals the segment without the shadow result once the hold is over, leaving those shadow columns null', async () => {
    const spool = spoolOf({ shadowHoldMs: 30 });
    const e = eventOf(x, 0, 3, { ts: T0 });

    void spool.append(e, { shadow: true });
    void spool.append(eventOf(x, 3, 1, { ts: T0 + 3_600_000 }));
    await sleep(120);
    const written = spool.appendShadow(e, shadowOf(e));
    await spool.close();
    await publishAll();

    expect(written).toBe(false);
    const rows = await lakeRows();
    expect(rows.filter((r) => r['request_id'] === e.requestId).map((r) => r['shadow_score'])).toEqual([
      null,
      null,
      null,
    ]);
    expect(spool.stats()).toMatchObject({ shadowLeads: 0, shadowLost: 3 });
  });

  it('ignores a shadow frame whose request is not in the segment', () => {
    const out = new FrameBuffer();
    const e = eventOf(x, 0, 2, { ts: T0 });
    const len = encodeShadowFrame(out, 'no-such-request', shadowOf(e));

    const scan = readFrames(Buffer.from(out.buf.subarray(0, len)));

    expect([scan.requests.length, scan.orphanShadows, scan.ignoredBytes]).toEqual([0, 1, 0]);
  });
});
