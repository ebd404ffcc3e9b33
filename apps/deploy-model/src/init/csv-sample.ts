import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { DeployError, unreadable } from '../errors';
import { parseDecimal } from './numeric';
import { ColumnBuilder, MAX_SAMPLE_ROWS, type SampleTable } from './sample-table';

/** Field texts read as a missing value: what pandas, numpy and SQL exports write for one. */
const MISSING = new Set(['', 'NaN', 'nan', 'null']);

/**
 * Reads a field as a number, NaN when missing; `undefined` when it is neither.
 *
 * @example parseField(' 1.5 ') // 1.5
 */
export function parseField(raw: string): number | undefined {
  const text = raw.trim();
  return MISSING.has(text) ? Number.NaN : parseDecimal(text);
}

function checkHeader(header: readonly string[], file: string): string[] {
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  names.forEach((name, c) => {
    if (name === '') {
      throw new DeployError('SAMPLE_INVALID', `${file}: column ${c + 1} of the header has no name`, {
        hint: 'a pandas index column? write the sample with to_csv(..., index=False)',
      });
    }
    if (seen.has(name)) throw new DeployError('SAMPLE_INVALID', `${file}: the header names "${name}" twice`);
    seen.add(name);
  });
  return names;
}

/**
 * Reads a CSV training sample: a header of column names, then one row a line (RFC 4180 quoting, an empty
 * field or `NaN`/`nan`/`null` = missing). Reads at most `maxRows` rows (default {@link MAX_SAMPLE_ROWS}), streaming.
 *
 * @example const table = await readCsvSample('models/examples/fit-12/sample.csv'); table.names[0] // 'seats_requested'
 */
export async function readCsvSample(file: string, maxRows = MAX_SAMPLE_ROWS): Promise<SampleTable> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the sample file
  const input = createReadStream(file);
  const parser = parse({ bom: true, info: true, skip_empty_lines: true });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  let names: string[] | undefined;
  let builder: ColumnBuilder | undefined;
  let truncated = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!names || !builder) {
        names = checkHeader(record, file);
        builder = new ColumnBuilder(names.length);
        continue;
      }
      if (builder.rows === maxRows) {
        truncated = true;
        break;
      }
      builder.push(
        record.map((raw, c) => {
          const value = parseField(raw);
          if (value !== undefined) return value;
          throw new DeployError(
            'SAMPLE_INVALID',
            `${file}: line ${info.lines}, column ${c + 1} (${names![c]}) is "${raw}"; expected a number or an empty field`,
          );
        }),
      );
    }
  } catch (cause) {
    if (cause instanceof DeployError) throw cause;
    if (cause instanceof CsvError)
      throw new DeployError('SAMPLE_INVALID', `${file} is not valid CSV: ${cause.message}`, { cause });
    throw unreadable('sample', file, cause);
  } finally {
    input.destroy();
  }
  if (!names || !builder)
    throw new DeployError('SAMPLE_EMPTY', `${file} is empty: a sample needs a header and at least one row`);
  return { file, names, columns: builder.finish(), rows: builder.rows, truncated };
}
