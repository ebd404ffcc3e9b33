import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DeployError, unreadable } from '../errors';

/** One input row: `null` = missing. */
export type InputRow = (number | null)[];

/**
 * Parses a JSON array of rows (`null` = missing).
 *
 * @example parseJsonRows('[[1, null, 3]]') // [[1, null, 3]]
 */
export function parseJsonRows(text: string, source = 'input'): InputRow[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new DeployError('INPUT_INVALID', `${source} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (!Array.isArray(json)) throw new DeployError('INPUT_INVALID', `${source} must be a JSON array of rows`);
  return json.map((row: unknown, r) => {
    if (!Array.isArray(row)) throw new DeployError('INPUT_INVALID', `${source}: row ${r} is not an array`);
    return row.map((v: unknown, c) => {
      if (v === null || (typeof v === 'number' && Number.isFinite(v))) return v;
      throw new DeployError(
        'INPUT_INVALID',
        `${source}: row ${r}, column ${c} is ${JSON.stringify(v)}; expected a number or null`,
      );
    });
  });
}

const MISSING_TOKENS = new Set(['', 'nan', 'NaN', 'NA']);

/**
 * Parses headerless CSV: one row a line, comma-separated numbers, an empty field = missing.
 *
 * @example parseCsvRows('1,,3\n') // [[1, null, 3]]
 */
export function parseCsvRows(text: string, source = 'input'): InputRow[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  return lines.map((line, r) =>
    line.split(',').map((raw, c) => {
      const field = raw.trim();
      if (MISSING_TOKENS.has(field)) return null;
      const value = Number(field);
      if (!Number.isFinite(value)) {
        throw new DeployError(
          'INPUT_INVALID',
          `${source}: line ${r + 1}, field ${c + 1} is "${field}"; expected a number or an empty field`,
        );
      }
      return value;
    }),
  );
}

/** Checks every row has `numFeatures` values, naming the first one that does not. */
export function checkRowLengths(rows: readonly InputRow[], numFeatures: number): void {
  const bad = rows.findIndex((row) => row.length !== numFeatures);
  if (bad >= 0) {
    throw new DeployError(
      'INPUT_SHAPE',
      `row ${bad} has ${rows[bad]?.length ?? 0} values; the model expects ${numFeatures}`,
    );
  }
}

/** Reads rows from a `.json` or `.csv` file (other extensions: JSON when the text starts with `[`). */
export async function readRowsFile(file: string): Promise<InputRow[]> {
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the input file
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw unreadable('input', file, cause);
  }
  const ext = path.extname(file).toLowerCase();
  const isJson = ext === '.json' || (ext !== '.csv' && text.trimStart().startsWith('['));
  return isJson ? parseJsonRows(text, file) : parseCsvRows(text, file);
}
