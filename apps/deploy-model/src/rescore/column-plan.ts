import type { FeatureContract } from '@lead-scoring/feature-schema';
import { DeployError } from '../errors';

/** The id column looked for when `--id-column` is not given. */
export const DEFAULT_ID_COLUMN = 'lead_id';
/** The output's id column when the input has none: the 1-based row number. */
export const ROW_NUMBER_COLUMN = 'row';

/** Which input columns feed which feature, which is the id and which are carried to the output. */
export interface ColumnPlan {
  /** The input's column names in file order. */
  readonly columns: readonly string[];
  /** Per input column: the feature it holds, or -1. */
  readonly featureOf: readonly number[];
  /** The id's input column, or -1: the output then numbers the rows. */
  readonly idColumn: number;
  /** The output's id column name: the input's id column, or `row`. */
  readonly idName: string;
  /** Input columns carried to the output (`--keep`), in file order. */
  readonly keepColumns: readonly number[];
  readonly keepNames: readonly string[];
  /** Features without a column that may be missing: every row has them missing. */
  readonly absentOptional: readonly string[];
}

/** What `--keep` asks for: nothing, every extra column, or the named ones. */
export type KeepRequest = false | true | readonly string[];

/**
 * Matches an input's columns to the bundle's features by name. Refuses (INPUT_INVALID) a duplicated column
 * name, an unknown `--id-column` or `--keep` column, and (FEATURE_COLUMNS_MISSING) a feature that may not be
 * missing yet has no column; a feature that may be missing and has no column is listed in `absentOptional`.
 *
 * @example planColumns({ columns: ['lead_id', 'visits'], contract, keep: false, source: 'leads.csv', reserved: [] })
 */
export function planColumns(opts: {
  columns: readonly string[];
  contract: FeatureContract;
  idColumn?: string | undefined;
  keep: KeepRequest;
  source: string;
  /** Output column names a kept column may not take. */
  reserved: readonly string[];
}): ColumnPlan {
  const { columns, contract, source } = opts;
  const at = new Map<string, number>();
  columns.forEach((name, c) => {
    if (at.has(name)) throw new DeployError('INPUT_INVALID', `${source}: column "${name}" appears twice`);
    at.set(name, c);
  });
  const idColumn = opts.idColumn === undefined ? (at.get(DEFAULT_ID_COLUMN) ?? -1) : at.get(opts.idColumn);
  if (idColumn === undefined) {
    throw new DeployError(
      'INPUT_INVALID',
      `${source} has no column "${opts.idColumn!}" (--id-column); its columns are ${list(columns)}`,
    );
  }
  if (idColumn >= 0 && contract.index.has(columns[idColumn]!)) {
    throw new DeployError(
      'USAGE',
      `--id-column ${columns[idColumn]!} is one of the model's features; name the lead id column`,
    );
  }
  const featureOf = columns.map((name) => contract.index.get(name) ?? -1);
  const absent = contract.features.filter((f) => !at.has(f.name));
  const required = absent.filter((f) => !f.allowMissing).map((f) => f.name);
  if (required.length > 0) {
    throw new DeployError(
      'FEATURE_COLUMNS_MISSING',
      `${source} has no column for ${required.length} feature(s) that may not be missing: ${list(required)}`,
      {
        hint: "columns are matched to the bundle's feature names (manifest.json); rename the columns or pick the bundle these leads were prepared for",
      },
    );
  }
  const keepColumns = keepIndexes(opts.keep, { at, columns, featureOf, idColumn, source });
  const keepNames = keepColumns.map((c) => columns[c]!);
  const taken = keepNames.find((n) => opts.reserved.includes(n));
  if (taken !== undefined)
    throw new DeployError('USAGE', `--keep ${taken}: the output already has a column of that name`);
  return {
    columns,
    featureOf,
    idColumn,
    idName: idColumn >= 0 ? columns[idColumn]! : ROW_NUMBER_COLUMN,
    keepColumns,
    keepNames,
    absentOptional: absent.map((f) => f.name),
  };
}

function keepIndexes(
  keep: KeepRequest,
  c: {
    at: Map<string, number>;
    columns: readonly string[];
    featureOf: readonly number[];
    idColumn: number;
    source: string;
  },
): number[] {
  if (keep === false) return [];
  if (keep === true) return c.columns.map((_, i) => i).filter((i) => c.featureOf[i] === -1 && i !== c.idColumn);
  return keep.map((name) => {
    const i = c.at.get(name);
    if (i === undefined)
      throw new DeployError(
        'INPUT_INVALID',
        `${c.source} has no column "${name}" (--keep); its columns are ${list(c.columns)}`,
      );
    if (i === c.idColumn) throw new DeployError('USAGE', `--keep ${name}: the id column is always written`);
    return i;
  });
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown}, … (${names.length} in all)` : shown;
}
