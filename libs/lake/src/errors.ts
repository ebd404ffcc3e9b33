/**
 * Stable error codes of the lake lib. Never rename or reuse one: logs and runbooks match on them.
 */
export const LakeErrorCode = {
  /** A lake sink could not deliver some records; `undelivered` lists exactly which. */
  LAKE_SINK_FAILED: 'LAKE_SINK_FAILED',
  /** A Parquet file of the lake could not be read. */
  LAKE_READ_FAILED: 'LAKE_READ_FAILED',
  /** A lake folder or a date range to read does not exist or is malformed. */
  LAKE_RANGE_INVALID: 'LAKE_RANGE_INVALID',
  /** The spool cannot be written (disk full, a missing or unwritable folder): scored leads cannot be recorded. */
  LAKE_SPOOL_UNWRITABLE: 'LAKE_SPOOL_UNWRITABLE',
  /** A spool frame is torn or fails its checksum; it and what follows it in that segment are ignored. */
  LAKE_FRAME_INVALID: 'LAKE_FRAME_INVALID',
  /** Spool segments could not be turned into a lake file (they stay in the spool and are tried again). */
  LAKE_PUBLISH_FAILED: 'LAKE_PUBLISH_FAILED',
} as const;

export type LakeErrorCode = (typeof LakeErrorCode)[keyof typeof LakeErrorCode];

/**
 * A lake failure with a stable `code`; the original `cause` is kept.
 *
 * @example
 * if (err instanceof LakeError && err.code === 'LAKE_RANGE_INVALID') exit(1);
 */
export class LakeError extends Error {
  readonly code: LakeErrorCode;

  constructor(code: LakeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LakeError';
    this.code = code;
  }
}

/**
 * A sink write that delivered only part of a batch. `undelivered` holds exactly the records to retry,
 * so a retry never duplicates the ones already delivered.
 *
 * @example
 * catch (e) { const retry = e instanceof LakeSinkError ? e.undelivered : batch; }
 */
export class LakeSinkError<T = unknown> extends LakeError {
  readonly undelivered: readonly T[];

  constructor(message: string, undelivered: readonly T[], options?: { cause?: unknown }) {
    super(LakeErrorCode.LAKE_SINK_FAILED, message, options);
    this.name = 'LakeSinkError';
    this.undelivered = undelivered;
  }
}
