import { DeployError } from '../errors';
import { shortestFloat32 } from './numeric';
import { ColumnBuilder, MAX_SAMPLE_ROWS, type SampleTable } from './sample-table';

type CellReader = (value: unknown, row: number) => number;

function cellReader(file: string, name: string, physical: string | undefined): CellReader {
  // A FLOAT column holds float32s: its shortest decimal is what the data scientist wrote, and what a CSV would hold.
  const float32 = physical === 'FLOAT';
  return (value, row) => {
    if (value === null || value === undefined) return Number.NaN;
    if (typeof value === 'number') return float32 && Number.isFinite(value) ? shortestFloat32(value) : value;
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'boolean') return value ? 1 : 0;
    throw new DeployError(
      'SAMPLE_INVALID',
      `${file}: row ${row + 1}, column ${name} holds a ${typeof value}; expected a number, a boolean or null`,
    );
  };
}

/**
 * Reads a Parquet training sample with hyparquet: top-level numeric or boolean columns (booleans as 0/1),
 * null or NaN = missing. Reads at most `maxRows` rows (default {@link MAX_SAMPLE_ROWS}).
 *
 * @example const table = await readParquetSample('sample.parquet'); table.rows // 1000
 */
export async function readParquetSample(file: string, maxRows = MAX_SAMPLE_ROWS): Promise<SampleTable> {
  // hyparquet ships as an ES module only; a dynamic import keeps this CommonJS-compiled CLI loading it.
  const { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } = await import('hyparquet');
  let rows: unknown[][];
  let names: string[];
  let readers: CellReader[];
  let total: number;
  try {
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    const top = parquetSchema(metadata).children;
    const nested = top.find((c) => c.children.length > 0);
    if (nested)
      throw new DeployError(
        'SAMPLE_INVALID',
        `${file}: column ${nested.element.name} is nested; a sample has flat numeric columns`,
      );
    names = top.map((c) => c.element.name);
    readers = top.map((c) => cellReader(file, c.element.name, c.element.type));
    total = Number(metadata.num_rows);
    rows = await new Promise<unknown[][]>((resolve, reject) => {
      parquetRead({
        file: buffer,
        metadata,
        rowEnd: Math.min(total, maxRows),
        rowFormat: 'array',
        onComplete: resolve,
      }).catch(reject);
    });
  } catch (cause) {
    if (cause instanceof DeployError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      throw new DeployError('INPUT_NOT_FOUND', `cannot read sample ${file}: ${code}`, { cause });
    throw new DeployError('SAMPLE_INVALID', `${file} is not a readable Parquet file: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (names.length === 0 || rows.length === 0)
    throw new DeployError('SAMPLE_EMPTY', `${file} has no ${names.length === 0 ? 'columns' : 'rows'}`);
  const builder = new ColumnBuilder(names.length);
  const values = new Float64Array(names.length);
  rows.forEach((row, r) => {
    for (let j = 0; j < values.length; j++) values[j] = readers[j]!(row[j], r);
    builder.push(values);
  });
  return { file, names, columns: builder.finish(), rows: builder.rows, truncated: total > maxRows };
}
