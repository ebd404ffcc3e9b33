import { FEATURE_NAMES, NUM_FEATURES, expectRowsOf, mixedRecords } from './fixtures';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { lakeSchema, packedColumns, packRecords } from '../src/parquet-columns';
import { ByteWriter } from '../src/byte-writer';
import { encodeLakeParquet } from '../src/parquet-plain-encoder';

const toArrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe('encodeLakeParquet', () => {
  it('writes rows hyparquet decodes field by field to the input values, nulls included', async () => {
    const recs = mixedRecords(500);
    const bytes = encodeLakeParquet(packRecords(recs, NUM_FEATURES), FEATURE_NAMES, 'w1');
    const rows = (await parquetReadObjects({ file: toArrayBuffer(bytes) })) as Record<string, unknown>[];
    expectRowsOf(rows, recs);
  });

  it('decodes to the same rows, schema and row count as the hyparquet-writer file it replaces', async () => {
    const packed = packRecords(mixedRecords(300), NUM_FEATURES);
    const ours = toArrayBuffer(encodeLakeParquet(packed, FEATURE_NAMES, 'w1'));
    const theirs = parquetWriteBuffer({ columnData: packedColumns(packed, FEATURE_NAMES), schema: lakeSchema(FEATURE_NAMES), codec: 'UNCOMPRESSED' });
    expect(await parquetReadObjects({ file: ours })).toEqual(await parquetReadObjects({ file: theirs }));
    const strip = (s: ReturnType<typeof parquetMetadata>['schema']): unknown[] =>
      s.map((e) => ({ name: e.name, type: e.type, rep: e.repetition_type, conv: e.converted_type, children: e.num_children }));
    const [a, b] = [parquetMetadata(ours), parquetMetadata(theirs)];
    expect(strip(a.schema)).toEqual(strip(b.schema));
    expect(a.num_rows).toBe(300n);
    expect(a.key_value_metadata).toEqual([{ key: 'lead_scoring.writer', value: 'w1' }]);
  });

  it('starts and ends with the PAR1 magic and handles a single row', async () => {
    const bytes = encodeLakeParquet(packRecords(mixedRecords(1), NUM_FEATURES), FEATURE_NAMES, 'w');
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('PAR1');
    expect(Buffer.from(bytes.subarray(bytes.length - 4)).toString()).toBe('PAR1');
    expect(await parquetReadObjects({ file: toArrayBuffer(bytes) })).toHaveLength(1);
  });

  it('rejects feature names that do not match the packed width', () => {
    expect(() => encodeLakeParquet(packRecords(mixedRecords(2), NUM_FEATURES), FEATURE_NAMES.slice(1), 'w')).toThrow(/feature names/);
  });

  it.each([
    [1, 5], [7, 5], [8, 5], [13, 3], [16, 8], [2051, 5],
  ])('reads back %i rows that all carry %i class probabilities (bit-packed repetition levels)', async (n, width) => {
    const recs = mixedRecords(n).map((r, i) => ({
      ...r, probability: null, probabilities: Array.from({ length: width }, (_, j) => (i * width + j) / 1024),
    }));
    const rows = (await parquetReadObjects({ file: toArrayBuffer(encodeLakeParquet(packRecords(recs, NUM_FEATURES), FEATURE_NAMES, 'w')) })) as Record<string, unknown>[];
    expect(rows.map((r) => r['probabilities'])).toEqual(recs.map((r) => r.probabilities));
  });

  it('treats every NaN bit pattern as missing and keeps infinities, signed zeros and subnormals', async () => {
    const recs = mixedRecords(3);
    const bits = new Int32Array(recs[1]!.features.buffer, recs[1]!.features.byteOffset, FEATURE_NAMES.length);
    const patterns = [0x7fc00000, 0xffc00000, 0x7f800001, 0xffffffff, 0x7f800000, 0xff800000, 0x80000000, 0x00000001, 0x807fffff];
    patterns.forEach((p, f) => (bits[f] = p | 0));
    const rows = (await parquetReadObjects({ file: toArrayBuffer(encodeLakeParquet(packRecords(recs, NUM_FEATURES), FEATURE_NAMES, 'w')) })) as Record<string, unknown>[];
    const f32 = (p: number): number => new Float32Array(new Int32Array([p | 0]).buffer)[0]!;
    expect(patterns.map((_, f) => rows[1]![FEATURE_NAMES[f]!])).toEqual([null, null, null, null, Infinity, -Infinity, -0, f32(1), f32(0x807fffff)]);
  });

  it('names the feature columns of each file after the names it was given, one name list after another', () => {
    const packed = packRecords(mixedRecords(20), NUM_FEATURES);
    const renamed = FEATURE_NAMES.map((n) => `${n}_v2`);
    for (const names of [FEATURE_NAMES, renamed, FEATURE_NAMES]) {
      const meta = parquetMetadata(toArrayBuffer(encodeLakeParquet(packed, names, 'w')));
      expect(meta.schema.slice(-names.length).map((e) => e.name)).toEqual(names);
      expect(meta.row_groups[0]!.columns.slice(-names.length).map((c) => c.meta_data?.path_in_schema[0])).toEqual(names);
    }
  });

  it('streams a file a row group at a time, byte for byte the file it writes in one buffer', () => {
    const packed = packRecords(mixedRecords(4500), NUM_FEATURES);
    const whole = Buffer.from(encodeLakeParquet(packed, FEATURE_NAMES, 'w'));
    const emitted: Buffer[] = [];
    const rest = encodeLakeParquet(packed, FEATURE_NAMES, 'w', new ByteWriter(1024), (pieces) => emitted.push(Buffer.concat(pieces)));
    expect(emitted).toHaveLength(4); // row groups of 2,048, 2,048 and 404 rows, then the footer
    expect(rest).toHaveLength(0);
    expect(Buffer.concat(emitted)).toEqual(whole);
  });

  it('starts a new row at each null probabilities list, whatever the batches encoded before', async () => {
    const lists = mixedRecords(64).map((r) => ({ ...r, probabilities: [0.5, 0.5, 0, 0], probability: null }));
    encodeLakeParquet(packRecords(lists, NUM_FEATURES), FEATURE_NAMES, 'w'); // leaves repetition levels of 1 in the scratch
    const recs = mixedRecords(64);
    const rows = (await parquetReadObjects({ file: toArrayBuffer(encodeLakeParquet(packRecords(recs, NUM_FEATURES), FEATURE_NAMES, 'w')) })) as Record<string, unknown>[];
    expectRowsOf(rows, recs);
  });
});
