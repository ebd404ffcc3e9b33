/**
 * CPU per lead of each lake step: records from an event, packing, encoding (the sink's own encoder).
 * Run: npx tsx --tsconfig tsconfig.base.json libs/observability/bench/lake-path-cost.ts
 */
import { FEATURE_NAMES, NUM_FEATURES, eventOf, sampleRows } from '../test/fixtures';
import { lakeRecordsFromEvent, type LakeRecord } from '../src';
import { packRecords } from '../src/parquet-columns';
import { encodeLakeParquet } from '../src/parquet-plain-encoder';

const N = 2000;
const x = sampleRows(N, 1);
const events = Array.from({ length: N / 50 }, (_, i) => eventOf(x, i * 50, 50));
function time(name: string, f: () => void): void {
  const t: number[] = [];
  for (let rep = 0; rep < 15; rep++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  const best = Math.min(...t.slice(3));
  console.log(`${name.padEnd(22)} ${((best * 1000) / N).toFixed(2)} µs/lead`);
}
let recs: LakeRecord[] = [];
time('lakeRecordsFromEvent', () => {
  recs = [];
  for (const e of events) for (const r of lakeRecordsFromEvent(e, NUM_FEATURES)) recs.push(r);
});
time('packRecords', () => void packRecords(recs, NUM_FEATURES));
const packed = packRecords(recs, NUM_FEATURES);
time('encodeLakeParquet', () => void encodeLakeParquet(packed, FEATURE_NAMES, 'w'));
time('structuredClone(job)', () => void structuredClone(packed));
