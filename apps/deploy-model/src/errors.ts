/** Stable error codes of the deploy-model CLI. Never rename: scripts and runbooks match on them. */
export const DeployErrorCode = {
  USAGE: 'USAGE',
  INPUT_NOT_FOUND: 'INPUT_NOT_FOUND',
  INPUT_INVALID: 'INPUT_INVALID',
  INPUT_SHAPE: 'INPUT_SHAPE',
  OUTPUT_WRITE_FAILED: 'OUTPUT_WRITE_FAILED',
  MODEL_INVALID: 'MODEL_INVALID',
  BUNDLE_INVALID: 'BUNDLE_INVALID',
  REFERENCE_MISMATCH: 'REFERENCE_MISMATCH',
  CONFIG_INVALID: 'CONFIG_INVALID',
  ENV_UNKNOWN: 'ENV_UNKNOWN',
  AWS_CREDENTIALS_MISSING: 'AWS_CREDENTIALS_MISSING',
  AWS_ACCESS_DENIED: 'AWS_ACCESS_DENIED',
  AWS_CALL_FAILED: 'AWS_CALL_FAILED',
  ARTIFACT_CONFLICT: 'ARTIFACT_CONFLICT',
  ENDPOINT_NOT_FOUND: 'ENDPOINT_NOT_FOUND',
  ENDPOINT_BUSY: 'ENDPOINT_BUSY',
  ENDPOINT_FAILED: 'ENDPOINT_FAILED',
  DEPLOYMENT_ROLLED_BACK: 'DEPLOYMENT_ROLLED_BACK',
  WAIT_TIMEOUT: 'WAIT_TIMEOUT',
  INTERRUPTED: 'INTERRUPTED',
  NO_PREVIOUS_CONFIG: 'NO_PREVIOUS_CONFIG',
  LOCAL_INSTALL_FAILED: 'LOCAL_INSTALL_FAILED',
  /** init: `--out` exists and is not an empty folder. */
  OUT_NOT_EMPTY: 'OUT_NOT_EMPTY',
  /** init: the sample is not CSV/Parquet with numeric columns, or its header is malformed. */
  SAMPLE_INVALID: 'SAMPLE_INVALID',
  /** init: the sample has no row. */
  SAMPLE_EMPTY: 'SAMPLE_EMPTY',
  /** init: the sample's column names differ from the model's feature names. */
  SAMPLE_COLUMNS_MISMATCH: 'SAMPLE_COLUMNS_MISMATCH',
  /** init: the sample has the model's feature names in another order. */
  SAMPLE_COLUMN_ORDER: 'SAMPLE_COLUMN_ORDER',
  /** init: the sample has columns the model does not use. */
  SAMPLE_EXTRA_COLUMNS: 'SAMPLE_EXTRA_COLUMNS',
  /** init: the model (without feature names) has another number of features than the sample has columns. */
  SAMPLE_FEATURE_COUNT: 'SAMPLE_FEATURE_COUNT',
  /** init: the `--features` file is not valid, names an unknown feature, or makes a spec invalid. */
  FEATURES_FILE_INVALID: 'FEATURES_FILE_INVALID',
  /** drift-report: a bad date or range, an unreadable lake or manifest. */
  DRIFT_INPUT_INVALID: 'DRIFT_INPUT_INVALID',
  /** drift-report: no scored lead in the range (exit 2). */
  DRIFT_NO_DATA: 'DRIFT_NO_DATA',
  /** drift-report --fail-on-alert: a feature or the scores are at alert level (exit 3). */
  DRIFT_ALERT: 'DRIFT_ALERT',
  /** lake-resend: the environment has no `lake` settings (bucket, stream, fallback prefix). */
  LAKE_NOT_CONFIGURED: 'LAKE_NOT_CONFIGURED',
  /** lake-resend: some objects stay under the fallback prefix (records Firehose still refused, or lines that are not JSON records). */
  LAKE_RESEND_INCOMPLETE: 'LAKE_RESEND_INCOMPLETE',
  /** rescore: the input has no column for a feature that may not be missing (the message names them). */
  FEATURE_COLUMNS_MISSING: 'FEATURE_COLUMNS_MISSING',
  /** rescore: a scoring worker failed; nothing is left at --output. */
  RESCORE_FAILED: 'RESCORE_FAILED',
  /** batch: the environment has no SageMaker model for the bundle's version (deploy it first). */
  MODEL_NOT_DEPLOYED: 'MODEL_NOT_DEPLOYED',
  /** batch: the Transform job ended Failed or Stopped (its FailureReason is shown). */
  TRANSFORM_JOB_FAILED: 'TRANSFORM_JOB_FAILED',
  /** batch: one record (line) is larger than the job's MaxPayloadInMB, which Batch Transform cannot send. */
  RECORD_TOO_LARGE: 'RECORD_TOO_LARGE',
  /** batch --target local: the model server answered a mini-batch with an error. */
  MODEL_SERVER_REFUSED: 'MODEL_SERVER_REFUSED',
  /** shadow-report: a bad --since, an unreadable lake (folder or s3://), or a bundle that does not fit. */
  SHADOW_INPUT_INVALID: 'SHADOW_INPUT_INVALID',
  /** shadow-report: no lead in range was scored by a shadow model (exit 2). */
  SHADOW_NO_DATA: 'SHADOW_NO_DATA',
  /** deploy --shadow / promote: the challenger cannot score production's requests (features it needs are not there). */
  SHADOW_CONTRACT_MISMATCH: 'SHADOW_CONTRACT_MISMATCH',
  /** promote: there is no shadow model to promote (an empty shadow folder, no shadow variable or variant). */
  NO_SHADOW: 'NO_SHADOW',
} as const;

export type DeployErrorCode = (typeof DeployErrorCode)[keyof typeof DeployErrorCode];

/**
 * Process exit code for each error: 2 for bad usage, 130 for Ctrl-C, 1 otherwise; drift-report keeps its own
 * (2 no data in range, 3 an alert with --fail-on-alert) so scripts built on it keep working.
 */
export function exitCodeOf(code: DeployErrorCode): number {
  if (
    code === DeployErrorCode.USAGE ||
    code === DeployErrorCode.DRIFT_NO_DATA ||
    code === DeployErrorCode.SHADOW_NO_DATA
  )
    return 2;
  if (code === DeployErrorCode.DRIFT_ALERT) return 3;
  if (code === DeployErrorCode.INTERRUPTED) return 130;
  return 1;
}

/**
 * Base error of the CLI: a stable `code`, a message meant for an operator, an optional `hint`
 * (what to do next) and the original `cause` kept.
 *
 * @example throw new DeployError('ENV_UNKNOWN', 'no environment "qa" in environments.json');
 */
export class DeployError extends Error {
  readonly code: DeployErrorCode;
  readonly hint: string | undefined;

  constructor(code: DeployErrorCode, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeployError';
    this.code = code;
    this.hint = options?.hint;
  }
}

/**
 * The INPUT_NOT_FOUND error for a file the operator named that could not be opened or read.
 *
 * @example throw unreadable('sample', 'train.csv', err); // "cannot read sample train.csv: ENOENT"
 */
export function unreadable(what: string, file: string, cause: unknown): DeployError {
  const reason = (cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : String(cause));
  return new DeployError('INPUT_NOT_FOUND', `cannot read ${what} ${file}: ${reason}`, { cause });
}
