import type { LakeRecord } from './lake-record';

/**
 * Where the buffered writer's records go. `write` resolves once every record is durably accepted, or rejects; a
 * `LakeSinkError` rejection lists exactly the undelivered records (any other error means none were).
 */
export interface LakeSink {
  readonly name: string;
  /** Largest batch one `write` call should receive. */
  readonly maxBatchRecords: number;
  write(records: readonly LakeRecord[]): Promise<void>;
  close?(): Promise<void>;
}
