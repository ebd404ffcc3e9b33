/** Stable error codes of model bundles. Never rename: callers and runbooks match on them. */
export const BundleErrorCode = {
  /** The folder, `manifest.json` or `xgboost-model` does not exist or cannot be read. */
  NOT_FOUND: 'BUNDLE_NOT_FOUND',
  /** `manifest.json` is not JSON or does not match the manifest schema. */
  MANIFEST_INVALID: 'BUNDLE_MANIFEST_INVALID',
  /** The model file's sha256 differs from the manifest's. */
  SHA256_MISMATCH: 'BUNDLE_SHA256_MISMATCH',
  /** The model file's feature count or names differ from the manifest's features. */
  FEATURES_MISMATCH: 'BUNDLE_FEATURES_MISMATCH',
  /** The manifest's objective or class count differs from the model file's. */
  OBJECTIVE_MISMATCH: 'BUNDLE_OBJECTIVE_MISMATCH',
  /** The evaluator cannot load the model file (the EvaluatorError is the `cause`). */
  MODEL_INVALID: 'BUNDLE_MODEL_INVALID',
  /** The model's predictions on the manifest's reference rows differ from XGBoost's. */
  REFERENCE_MISMATCH: 'BUNDLE_REFERENCE_MISMATCH',
  /** A `model.tar.gz` cannot be read: not gzip/tar, or a bundle file over the size cap. */
  ARCHIVE_INVALID: 'BUNDLE_ARCHIVE_INVALID',
} as const;

export type BundleErrorCode = (typeof BundleErrorCode)[keyof typeof BundleErrorCode];

/** Why a model bundle cannot be used: a stable `code`, a message naming the file and the problem, the `cause` kept. */
export class BundleError extends Error {
  readonly code: BundleErrorCode;

  constructor(code: BundleErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BundleError';
    this.code = code;
  }
}
