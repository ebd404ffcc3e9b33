import { listLakeFiles } from '@lead-scoring/lake';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/** Every row of every Parquet file under a lake directory, read with hyparquet (a reader other than the writer). */
export async function readLakeRows(lakeDir: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const f of await listLakeFiles(lakeDir))
    rows.push(...(await parquetReadObjects({ file: await asyncBufferFromFile(f.path), compressors })));
  return rows;
}
