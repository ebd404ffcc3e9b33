import type { LakeRecord } from './lake-record';
import type { PackedBatch } from './parquet-columns';

/**
 * Where lake records go. `write` resolves once every record is durably accepted, or rejects; a
 * `LakeSinkError` rejection lists exactly the undelivered records (any other error means none were).
 */
export interface LakeSink {
  readonly name: string;
  /** Largest batch one `write` call should receive. */
  readonly maxBatchRecords: number;
  write(records: readonly LakeRecord[]): Promise<void>;
  /**
   * Optional columnar path: same contract as `write` for the rows of a packed batch (a `LakeSinkError`
   * lists the undelivered rows as records). The batch's arrays belong to the caller: copy what is kept.
   */
  writePacked?(batch: PackedBatch): Promise<void>;
  close?(): Promise<void>;
}
