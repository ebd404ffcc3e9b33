// The lake's spool cannot be written: the API refuses (503, Retry-After) what it cannot record, /ready fails, and
// it recovers by itself once writing works again; nothing it accepted is lost.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lakeLeadCounts, startLakeServer, stopLakeServer, killGroup, type LakeServer } from './support/lake-server';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';

jest.setTimeout(120_000);

const SPECS = demoFeatures();
const NAMES = SPECS.map((s) => s.name);
const rng = mulberry32(5);
let seq = 0;

/** Posts `n` named leads; the ids and the answer. */
async function post(url: string, n = 10): Promise<{ ids: string[]; res: Response }> {
  const ids = Array.from({ length: n }, () => `d-${seq++}`);
  const leads = ids.map((lead_id) => ({
    lead_id,
    features: Object.fromEntries(NAMES.map((name, f) => [name, sampleLead(SPECS, rng)[f] ?? null])),
  }));
  const res = await fetch(`${url}/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ leads }),
  });
  return { ids, res };
}

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
    if (await check()) return true;
  return false;
}

let work: string;
let server: LakeServer | undefined;
let mounted: string | undefined;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'lake-disk-'));
});
afterEach(() => {
  if (server) killGroup(server.child, 'SIGKILL');
  server = undefined;
  if (mounted) execFileSync('umount', ['-l', mounted]);
  mounted = undefined;
  rmSync(work, { recursive: true, force: true });
});

describe('a local server whose lake spool cannot be written', () => {
  it('answers 503 with Retry-After and fails /ready while the disk is full, then recovers when space returns', async () => {
    const lake = join(work, 'lake');
    mkdirSync(lake);
    // A small disk of its own (the tests run as root), filled to the last byte once the server is up.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', lake]);
    mounted = lake;
    server = await startLakeServer({ WORKERS: '1', LAKE_DIR: lake });
    const accepted: string[] = [];
    const before = await post(server.url);
    if (before.res.status === 200) accepted.push(...before.ids);
    const filler = join(lake, 'filler');
    const fd = openSync(filler, 'w');
    try {
      const block = Buffer.alloc(64 * 1024, 1);
      for (;;) writeSync(fd, block);
    } catch {
      // ENOSPC: the disk is full
    } finally {
      closeSync(fd);
    }

    const full = await post(server.url, 50);
    const ready = await fetch(`${server.url}/ready`);
    rmSync(filler);
    const recovered = await until(async () => (await fetch(`${server!.url}/ready`)).status === 200);
    const after = await post(server.url);
    if (after.res.status === 200) accepted.push(...after.ids);
    expect(await stopLakeServer(server)).toBe(0);
    server = undefined;

    expect([before.res.status, full.res.status, full.res.headers.get('retry-after'), ready.status]).toEqual([
      200,
      503,
      '1',
      503,
    ]);
    expect(((await full.res.json()) as { error: { code: string } }).error.code).toBe('LAKE_UNAVAILABLE');
    expect([recovered, after.res.status]).toEqual([true, 200]);
    const counts = await lakeLeadCounts(lake);
    expect(accepted.filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect(full.ids.filter((id) => counts.has(id))).toEqual([]);
  });

  it('refuses to score while its folder is unwritable (a path through a file), and serves once the folder can be made', async () => {
    const blocker = join(work, 'blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    const lake = join(blocker, 'lake');
    server = await startLakeServer({ WORKERS: '1', LAKE_DIR: lake }, { listening: true });

    const refused = await post(server.url);
    const ready = await fetch(`${server.url}/ready`);
    rmSync(blocker);
    mkdirSync(blocker);
    const recovered = await until(async () => (await fetch(`${server!.url}/ready`)).status === 200);
    const accepted = await post(server.url);
    expect(await stopLakeServer(server)).toBe(0);
    server = undefined;

    expect([refused.res.status, refused.res.headers.get('retry-after'), ready.status]).toEqual([503, '1', 503]);
    expect([recovered, accepted.res.status]).toEqual([true, 200]);
    const counts = await lakeLeadCounts(lake);
    expect(accepted.ids.map((id) => counts.get(id))).toEqual(accepted.ids.map(() => 1));
  });

  it('scores anyway with LAKE_REQUIRED=off, counting the leads it could not record in /metrics', async () => {
    const blocker = join(work, 'blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    server = await startLakeServer({ WORKERS: '1', LAKE_DIR: join(blocker, 'lake'), LAKE_REQUIRED: 'off' });

    const scored = await post(server.url, 7);
    const ready = await fetch(`${server.url}/ready`);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    await stopLakeServer(server);
    server = undefined;

    expect([scored.res.status, ready.status]).toEqual([200, 200]);
    expect(metrics).toContain('lead_scoring_lake_unrecorded_leads_total 7');
    expect(metrics).toContain('lead_scoring_lake_spool_unavailable 1');
  });
});
