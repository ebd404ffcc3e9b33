// Durable acceptance: a lead answered 200 by `npm start` is in the lake exactly once, whatever was killed when.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { exited } from './support/child-server';
import {
  killGroup,
  lakeLeadCounts,
  startLakeServer,
  stopLakeServer,
  streamLeads,
  workerPids,
  type LakeServer,
} from './support/lake-server';

jest.setTimeout(180_000);

let lake: string;
let server: LakeServer | undefined;
beforeEach(() => {
  lake = mkdtempSync(join(tmpdir(), 'lake-crash-'));
});
afterEach(() => {
  if (server) killGroup(server.child, 'SIGKILL');
  server = undefined;
  rmSync(lake, { recursive: true, force: true });
});

/** Every answered lead once in the lake, and no lead twice (a lead spooled but never answered may be there once). */
async function expectExactlyOnce(answered: readonly string[]): Promise<void> {
  const counts = await lakeLeadCounts(lake);
  const missing = answered.filter((id) => counts.get(id) !== 1);
  const twice = [...counts].filter(([, n]) => n > 1);
  expect({ answered: answered.length > 0, missing, twice }).toEqual({ answered: true, missing: [], twice: [] });
}

describe('the lake of npm start (two workers) across crashes', () => {
  it('holds every lead answered 200 exactly once after SIGKILLs of the whole server at random moments and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ afterMs: fc.integer({ min: 50, max: 1_200 }), publishNow: fc.boolean() }), {
          minLength: 2,
          maxLength: 2,
        }),
        fc.integer({ min: 1, max: 20 }),
        async (kills, leads) => {
          rmSync(lake, { recursive: true, force: true });
          const answered: string[] = [];
          for (const [k, kill] of kills.entries()) {
            // LAKE_PUBLISH_MS=0 publishes every second, so kills also land in the middle of publishes.
            server = await startLakeServer({
              WORKERS: '2',
              LAKE_DIR: lake,
              ...(kill.publishNow ? { LAKE_PUBLISH_MS: '0' } : {}),
            });
            const stream = streamLeads(server.url, `k${k}`, { concurrency: 4, leads, seed: k + 1 });
            await new Promise((r) => setTimeout(r, kill.afterMs));
            killGroup(server.child, 'SIGKILL');
            await exited(server.child);
            answered.push(...(await stream.stop()));
          }
          server = await startLakeServer({ WORKERS: '2', LAKE_DIR: lake });
          const last = streamLeads(server.url, 'after', { concurrency: 2, leads, seed: 9 });
          await new Promise((r) => setTimeout(r, 200));
          answered.push(...(await last.stop()));
          expect(await stopLakeServer(server)).toBe(0);
          server = undefined;

          await expectExactlyOnce(answered);
        },
      ),
      { numRuns: 5 },
    );
  });

  it('publishes what a SIGKILLed worker spooled, exactly once, while the server goes on', async () => {
    server = await startLakeServer({ WORKERS: '2', LAKE_DIR: lake });
    const stream = streamLeads(server.url, 'w', { concurrency: 4, leads: 10, seed: 3 });
    await new Promise((r) => setTimeout(r, 400));
    const workers = workerPids(server.child.pid!);

    process.kill(workers[0]!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 1_500));
    const answered = await stream.stop();
    expect(workers).toHaveLength(2);
    expect(await stopLakeServer(server)).toBe(0);
    server = undefined;

    await expectExactlyOnce(answered);
  });
});
