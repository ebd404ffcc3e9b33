import { FEATURE_NAMES, NUM_FEATURES, mixedRecords } from './fixtures';
import { fromWire, toWire, transferables } from '../src/packed-wire';
import { encodeLakeParquet } from '../src/parquet-plain-encoder';
import { packRecords } from '../src/parquet-columns';
import { LakeChunk } from '../src/lake-record';

describe('the worker wire form of a packed batch', () => {
  it('unpacks to the same columns, runs of equal strings and nulls included', () => {
    const records = mixedRecords(300).map((r, i) => ({ ...r, request_id: `req-${Math.floor(i / 7)}`, lead_id: i % 5 < 2 ? null : i % 5 === 2 ? '' : `lead-✓-${i % 3}` }));
    const packed = packRecords(records, NUM_FEATURES);
    const back = fromWire(toWire(packed));
    expect(back).toEqual(packed);
  });

  it('keeps one string per run, so equal neighbours compare by reference', () => {
    const packed = packRecords(mixedRecords(40).map((r) => ({ ...r, model_name: `demo-${'x'.repeat(3)}` })), NUM_FEATURES);
    const wire = toWire(packed);
    expect(wire.modelName.runs).toEqual(Uint32Array.from([40]));
    const names = fromWire(wire).modelName;
    expect(names.every((n) => n === names[0])).toBe(true);
  });

  it('encodes, from the runs it came with, the same file as the batch it was made from', () => {
    const records = mixedRecords(4500).map((r, i) => ({ ...r, request_id: `req-${Math.floor(i / 50)}`, lead_id: i % 97 < 40 ? null : `lead-${i}` }));
    const packed = packRecords(records, NUM_FEATURES);
    const direct = Buffer.from(encodeLakeParquet(packed, FEATURE_NAMES, 'w'));
    const viaWire = Buffer.from(encodeLakeParquet(fromWire(toWire(packed)), FEATURE_NAMES, 'w'));
    expect(viaWire.equals(direct)).toBe(true);
  });

  it('transfers only buffers made for the worker unless the batch is owned', () => {
    const packed = packRecords(mixedRecords(10), NUM_FEATURES);
    const wire = toWire(packed);
    expect(transferables(wire, false)).not.toContain(packed.features.buffer);
    expect(transferables(wire, true)).toContain(packed.features.buffer);
  });

  it('leaves a lake chunk\'s batch readable after its wire form was posted, as a failed write reads it', () => {
    const records = mixedRecords(120).map((r, i) => ({ ...r, request_id: `req-${Math.floor(i / 50)}`, lead_id: i % 4 === 0 ? null : `crm-ü-${i}` }));
    const chunk = new LakeChunk(200, FEATURE_NAMES.length, Math.max(...records.map((r) => r.probabilities?.length ?? 0)));
    for (const r of records) chunk.addRecord(r);
    const packed = chunk.packed();
    const wire = toWire(packed);
    const posted = structuredClone(wire, { transfer: transferables(wire, false) });
    expect(fromWire(posted).leadId).toEqual(records.map((r) => r.lead_id));
    expect(chunk.records().map((r) => [r.request_id, r.lead_id])).toEqual(records.map((r) => [r.request_id, r.lead_id]));
    expect(packed.requestId).toEqual(records.map((r) => r.request_id));
  });
});
