import type { LeadRows } from './lead-rows';

/** Rows of a columnar input (Parquet), cut by the reader: one block of values per feature column. */
export interface ColumnBlock {
  readonly nRows: number;
  /** `layout.features.length × nRows` values, column after column; NaN = null or NaN in the file. */
  readonly values: Float64Array;
  /** The id column's values (null where the file has none), or null when rows are numbered. */
  readonly ids: (string | null)[] | null;
  /** Per kept column, its values as text. */
  readonly kept: (string | null)[][];
}

/** What a worker needs to know of a columnar input's columns. */
export interface ColumnsLayout {
  /** The feature of each value block. */
  readonly features: readonly number[];
  readonly idName: string;
}

/**
 * Reads a block of columnar rows into `rows`, value by value through the contract's checks.
 *
 * @example decodeColumnBlock({ nRows: 1, values: Float64Array.of(3), ids: ['crm-1'], kept: [] }, layout, rows)
 */
export function decodeColumnBlock(block: ColumnBlock, layout: ColumnsLayout, rows: LeadRows): void {
  const { nRows, values, ids, kept } = block;
  const features = layout.features;
  const nc = features.length;
  for (let r = 0; r < nRows; r++) {
    rows.begin();
    for (let c = 0; c < nc; c++) {
      const v = values[c * nRows + r]!;
      if (v === v) rows.number(features[c]!, v);
      else rows.missing(features[c]!, 'null or NaN');
    }
    if (ids !== null) {
      const id = ids[r];
      if (id === null || id === undefined) rows.invalid(layout.idName, 'is null');
      else rows.setId(id, layout.idName);
    }
    for (let k = 0; k < kept.length; k++) rows.setKept(k, kept[k]![r] ?? null);
    rows.end();
  }
}
