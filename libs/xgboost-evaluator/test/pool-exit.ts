// Run by pool.spec.ts in a child process: scores with a two-worker pool, then closes it or leaves it
// idle. The process must exit by itself in both cases (no worker keeps it alive).
import { readFileSync } from 'node:fs';
import { createPredictionPool } from '../src/index';

async function main(): Promise<void> {
  const [modelPath, mode] = process.argv.slice(2) as [string, 'close' | 'idle'];
  const pool = await createPredictionPool(readFileSync(modelPath), { threads: 2 });
  const result = await pool.predictBatch(new Float32Array(100 * 10), 100);
  if (mode === 'close') await pool.close();
  console.log(`scored ${result.length / 5} rows, pool ${mode === 'close' ? 'closed' : 'left idle'}`);
}

void main();
