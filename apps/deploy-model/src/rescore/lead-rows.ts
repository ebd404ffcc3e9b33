import { valueRangeProblem, valueTypeProblem, type FeatureContract } from '@lead-scoring/feature-schema';

/** The longest id kept, in UTF-16 units: the API's and the lake's `lead_id` limit. */
export const MAX_ID_LENGTH = 128;

/** An invalid row of a chunk: its 1-based position in the chunk, its id (when it had one) and why. */
export interface RejectedRow {
  readonly row: number;
  readonly id: string | null;
  readonly reason: string;
}

/** How out-of-range values are treated, as the API's `VALIDATION`: scored and flagged, or rejected. */
export type RangePolicy = 'lenient' | 'strict';

/**
 * Collects the rows of one chunk the way the API validates leads: each value goes through the contract's
 * checks as it is read, valid rows are written straight into a row-major Float32Array (NaN = missing), an
 * invalid row is recorded with every problem it has and leaves no trace in `x`.
 *
 * @example
 * const rows = new LeadRows(contract, { capacity: 2, keep: 0, policy: 'lenient' });
 * rows.begin(); rows.number(0, 3); rows.end(); // rows.valid === 1
 */
export class LeadRows {
  readonly x: Float32Array;
  /** Valid rows written to `x`. */
  valid = 0;
  /** Rows read, valid or not. */
  total = 0;
  /** Valid rows that carry an out-of-range flag. */
  flagged = 0;
  /** Per valid row, its id as text; null where it is a range of `idSource` (see `idStart`) or absent. */
  readonly ids: (string | null)[] = [];
  /**
   * The CSV block ids were read from, and per valid row where its id lies in it (-1: see `ids`). Copying the bytes
   * to the output spares a string per row: with those strings alive for a whole chunk, a worker spent a sixth of
   * its time in garbage collection.
   */
  idSource: Uint8Array | null = null;
  idStart = new Int32Array(0);
  idEnd = new Int32Array(0);
  /** Per valid row, its 1-based position among the rows read. */
  readonly positions: number[] = [];
  /** Per kept column, its text in each valid row. */
  readonly kept: (string | null)[][];
  /** Per valid row, its out-of-range flags (`feature: problem; ...`), or null. */
  readonly warnings: (string | null)[] = [];
  readonly rejected: RejectedRow[] = [];

  private readonly nf: number;
  private readonly mins: Float64Array;
  private readonly maxs: Float64Array;
  private readonly integer: Uint8Array;
  private readonly nullable: Uint8Array;
  private readonly policy: RangePolicy;
  private problems: string[] = [];
  private flags: string[] | null = null;
  private id: string | null = null;
  private rangeStart = -1;
  private rangeEnd = -1;
  private readonly complete: boolean;
  private keepRow: (string | null)[];

  constructor(
    private readonly contract: FeatureContract,
    opts: { capacity: number; keep: number; policy: RangePolicy; x?: Float32Array | undefined; complete?: boolean },
  ) {
    const { features } = contract;
    this.nf = contract.size;
    const size = opts.capacity * this.nf;
    this.x = opts.x !== undefined && opts.x.length >= size ? opts.x : new Float32Array(size);
    this.mins = Float64Array.from(features, (s) => s.min);
    this.maxs = Float64Array.from(features, (s) => s.max);
    this.integer = Uint8Array.from(features, (s) => (s.integer ? 1 : 0));
    this.nullable = Uint8Array.from(features, (s) => (s.allowMissing ? 1 : 0));
    this.policy = opts.policy;
    this.complete = opts.complete === true;
    this.kept = Array.from({ length: opts.keep }, () => []);
    this.keepRow = new Array<string | null>(opts.keep).fill(null);
  }

  /**
   * Starts a row: every feature missing until a value is read (unless `complete`: every feature has a column, so a
   * valid row sets them all and the slot need not be cleared).
   */
  begin(): void {
    if (!this.complete) {
      const o = this.valid * this.nf;
      this.x.fill(Number.NaN, o, o + this.nf);
    }
    this.problems.length = 0;
    this.flags = null;
    this.id = null;
    this.rangeStart = -1;
    this.keepRow.fill(null);
  }

  /** A finite or infinite number read for feature `j`. */
  number(j: number, v: number): void {
    if (v >= this.mins[j]! && v <= this.maxs[j]! && (this.integer[j] === 0 || Number.isSafeInteger(v))) {
      this.x[this.valid * this.nf + j] = v;
      return;
    }
    const spec = this.contract.features[j]!;
    const typeProblem = valueTypeProblem(spec, v);
    if (typeProblem !== undefined) {
      this.problems.push(`${spec.name}: ${typeProblem}`);
      return;
    }
    const range = valueRangeProblem(spec, v);
    if (range !== undefined) {
      if (this.policy === 'strict') {
        this.problems.push(`${spec.name}: ${range.problem}`);
        return;
      }
      (this.flags ??= []).push(`${spec.name}: ${range.problem}`);
    }
    this.x[this.valid * this.nf + j] = v;
  }

  /** A missing value (empty field, null, NaN) for feature `j`; `how` says how it was written, for the reason. */
  missing(j: number, how: string): void {
    if (this.nullable[j] === 0) this.problems.push(`${this.contract.names[j]!}: must not be missing (${how})`);
    else this.x[this.valid * this.nf + j] = Number.NaN;
  }

  /** Any other problem of the row, e.g. a value that is not a number; `subject` is a feature or column name. */
  invalid(subject: string, problem: string): void {
    this.problems.push(subject === '' ? problem : `${subject}: ${problem}`);
  }

  /** The row's id; `column` names it in a reason when it is empty or too long. */
  setId(id: string, column: string): void {
    if (id.length === 0) this.problems.push(`${column}: is empty`);
    else if (id.length > MAX_ID_LENGTH) this.problems.push(`${column}: is longer than ${MAX_ID_LENGTH} characters`);
    else this.id = id;
  }

  /** The row's id as bytes [start, end) of `idSource` (UTF-8, without a `"`, so a CSV field as it is). */
  setIdRange(start: number, end: number, column: string): void {
    if (end - start > MAX_ID_LENGTH || end === start) {
      this.setId(
        Buffer.from(this.idSource!.buffer, this.idSource!.byteOffset + start, end - start).toString('utf8'),
        column,
      );
      return;
    }
    this.rangeStart = start;
    this.rangeEnd = end;
  }

  /** The id of valid row `r` as text (null when it has none). */
  idText(r: number): string | null {
    const start = this.idStart.length > r ? this.idStart[r]! : -1;
    if (start < 0) return this.ids[r] ?? null;
    return Buffer.from(this.idSource!.buffer, this.idSource!.byteOffset, this.idSource!.byteLength).toString(
      'utf8',
      start,
      this.idEnd[r]!,
    );
  }

  /** The text of kept column `k` in this row. */
  setKept(k: number, text: string | null): void {
    this.keepRow[k] = text;
  }

  /** Closes the row: a valid one takes its slot in `x`, an invalid one is recorded. */
  end(): void {
    this.total++;
    if (this.problems.length > 0) {
      const id =
        this.rangeStart >= 0
          ? Buffer.from(this.idSource!.buffer, this.idSource!.byteOffset, this.idSource!.byteLength).toString(
              'utf8',
              this.rangeStart,
              this.rangeEnd,
            )
          : this.id;
      this.rejected.push({ row: this.total, id, reason: this.problems.join('; ') });
      return;
    }
    if (this.rangeStart >= 0) {
      if (this.idStart.length <= this.valid) this.growRanges();
      this.idStart[this.valid] = this.rangeStart;
      this.idEnd[this.valid] = this.rangeEnd;
    } else if (this.idStart.length > this.valid) this.idStart[this.valid] = -1;
    this.ids.push(this.id);
    this.positions.push(this.total);
    this.warnings.push(this.flags === null ? null : this.flags.join('; '));
    if (this.flags !== null) this.flagged++;
    for (let k = 0; k < this.kept.length; k++) this.kept[k]!.push(this.keepRow[k]!);
    this.valid++;
  }

  private growRanges(): void {
    const size = Math.max(1024, this.idStart.length * 2);
    const start = new Int32Array(size).fill(-1);
    start.set(this.idStart);
    const end = new Int32Array(size);
    end.set(this.idEnd);
    this.idStart = start;
    this.idEnd = end;
  }
}
