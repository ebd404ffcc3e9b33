import { access } from 'node:fs/promises';
import path from 'node:path';
import { DeployError, unreadable } from '../errors';
import { readCsvSample } from './csv-sample';
import { readParquetSample } from './parquet-sample';
import { MAX_SAMPLE_ROWS, type SampleTable } from './sample-table';

/**
 * Reads a training sample by its extension: `.csv` (with a header) or `.parquet`. Throws SAMPLE_EMPTY when it
 * holds no row. Reads the first `maxRows` rows at most (default {@link MAX_SAMPLE_ROWS}).
 *
 * @example const sample = await readSample('models/examples/fit-12/sample.csv');
 */
export async function readSample(file: string, maxRows = MAX_SAMPLE_ROWS): Promise<SampleTable> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') {
    throw new DeployError('USAGE', `--sample ${file}: expected a .csv (with a header) or .parquet file`);
  }
  try {
    await access(file);
  } catch (cause) {
    throw unreadable('sample', file, cause);
  }
  const table = ext === '.csv' ? await readCsvSample(file, maxRows) : await readParquetSample(file, maxRows);
  if (table.rows === 0)
    throw new DeployError('SAMPLE_EMPTY', `${file} has a header but no rows: a sample needs at least one row`);
  return table;
}
