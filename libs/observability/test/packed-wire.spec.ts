import { fromWire, toWire, transferables } from '../src/packed-wire';
import { packRecords } from '../src/parquet-columns';
import { mixedRecords } from './fixtures';

describe('the worker wire form of a packed batch', () => {
  it('unpacks to the same columns, runs of equal strings and nulls included', () => {
    const records = mixedRecords(300).map((r, i) => ({ ...r, request_id: `req-${Math.floor(i / 7)}`, lead_id: i % 5 < 2 ? null : i % 5 === 2 ? '' : `lead-✓-${i % 3}` }));
    const packed = packRecords(records);
    const back = fromWire(toWire(packed));
    expect(back).toEqual(packed);
  });

  it('keeps one string per run, so equal neighbours compare by reference', () => {
    const packed = packRecords(mixedRecords(40).map((r) => ({ ...r, model_name: `demo-${'x'.repeat(3)}` })));
    const wire = toWire(packed);
    expect(wire.modelName.runs).toEqual(Uint32Array.from([40]));
    const names = fromWire(wire).modelName;
    expect(names.every((n) => n === names[0])).toBe(true);
  });

  it('transfers only buffers made for the worker unless the batch is owned', () => {
    const packed = packRecords(mixedRecords(10));
    const wire = toWire(packed);
    expect(transferables(wire, false)).not.toContain(packed.features.buffer);
    expect(transferables(wire, true)).toContain(packed.features.buffer);
  });
});
