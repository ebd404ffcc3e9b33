/** At most this many sample rows are read (the first ones): enough for deciles and quintiles, bounded memory. */
export const MAX_SAMPLE_ROWS = 200_000;

/** A training sample read column by column: `columns[j][i]` is row i of column j, NaN = missing. */
export interface SampleTable {
  /** The file it came from (as given). */
  readonly file: string;
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
  readonly rows: number;
  /** True when the file holds more rows than {@link MAX_SAMPLE_ROWS} and only the first ones were read. */
  readonly truncated: boolean;
}

/** Collects rows into growing Float64Array columns (one allocation per doubling, not per row). */
export class ColumnBuilder {
  private columns: Float64Array[];
  private length = 0;

  constructor(width: number) {
    this.columns = Array.from({ length: width }, () => new Float64Array(1024));
  }

  get rows(): number {
    return this.length;
  }

  /** Appends one row; `values[j]` NaN = missing. */
  push(values: ArrayLike<number>): void {
    if (this.length === this.columns[0]?.length) {
      this.columns = this.columns.map((c) => {
        const grown = new Float64Array(c.length * 2);
        grown.set(c);
        return grown;
      });
    }
    for (let j = 0; j < this.columns.length; j++) this.columns[j]![this.length] = values[j] ?? Number.NaN;
    this.length++;
  }

  /** The columns trimmed to the rows pushed (views: no copy of a sample that may be 100+ MB). */
  finish(): Float64Array[] {
    return this.columns.map((c) => c.subarray(0, this.length));
  }
}
