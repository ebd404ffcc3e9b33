import { FEATURE_NAMES } from '@lead-scoring/feature-schema';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { lakeSchema, packedColumns, packRecords } from '../src/parquet-columns';
import { encodeLakeParquet } from '../src/parquet-plain-encoder';
import { expectRowsOf, mixedRecords } from './fixtures';

const toArrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe('encodeLakeParquet', () => {
  it('writes rows hyparquet decodes field by field to the input values, nulls included', async () => {
    const recs = mixedRecords(500);
    const bytes = encodeLakeParquet(packRecords(recs), FEATURE_NAMES, 'w1');
    const rows = (await parquetReadObjects({ file: toArrayBuffer(bytes) })) as Record<string, unknown>[];
    expectRowsOf(rows, recs);
  });

  it('decodes to the same rows, schema and row count as the hyparquet-writer file it replaces', async () => {
    const packed = packRecords(mixedRecords(300));
    const ours = toArrayBuffer(encodeLakeParquet(packed, FEATURE_NAMES, 'w1'));
    const theirs = parquetWriteBuffer({ columnData: packedColumns(packed), schema: lakeSchema(), codec: 'UNCOMPRESSED' });
    expect(await parquetReadObjects({ file: ours })).toEqual(await parquetReadObjects({ file: theirs }));
    const strip = (s: ReturnType<typeof parquetMetadata>['schema']): unknown[] =>
      s.map((e) => ({ name: e.name, type: e.type, rep: e.repetition_type, conv: e.converted_type, children: e.num_children }));
    const [a, b] = [parquetMetadata(ours), parquetMetadata(theirs)];
    expect(strip(a.schema)).toEqual(strip(b.schema));
    expect(a.num_rows).toBe(300n);
    expect(a.key_value_metadata).toEqual([{ key: 'lead_scoring.writer', value: 'w1' }]);
  });

  it('starts and ends with the PAR1 magic and handles a single row', async () => {
    const bytes = encodeLakeParquet(packRecords(mixedRecords(1)), FEATURE_NAMES, 'w');
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('PAR1');
    expect(Buffer.from(bytes.subarray(bytes.length - 4)).toString()).toBe('PAR1');
    expect(await parquetReadObjects({ file: toArrayBuffer(bytes) })).toHaveLength(1);
  });

  it('rejects feature names that do not match the packed width', () => {
    expect(() => encodeLakeParquet(packRecords(mixedRecords(2)), FEATURE_NAMES.slice(1), 'w')).toThrow(/feature names/);
  });
});
