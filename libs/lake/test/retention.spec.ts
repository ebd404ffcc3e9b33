import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyRetention } from '../src/retention';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'retention-'));
  for (const dt of ['2024-04-29', '2024-04-30', '2024-05-01', '2024-05-31'])
    mkdirSync(join(dir, 'scores', `dt=${dt}`, 'hour=07'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('applyRetention', () => {
  it('removes the day partitions older than the retention days and keeps the rest', async () => {
    const removed = await applyRetention(dir, 30, Date.UTC(2024, 4, 31, 12));

    expect(removed.sort()).toEqual(['2024-04-29', '2024-04-30']);
    expect(readdirSync(join(dir, 'scores')).sort()).toEqual(['dt=2024-05-01', 'dt=2024-05-31']);
  });

  it('keeps everything with 0 days', async () => {
    expect(await applyRetention(dir, 0, Date.UTC(2030, 0, 1))).toEqual([]);
  });
});
