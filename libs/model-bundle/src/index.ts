export { BundleError, BundleErrorCode } from './errors';
export {
  ManifestSchema,
  ScoreMappingSchema,
  BaselineSchema,
  BaselineFeatureSchema,
  ReferenceSchema,
  baselineBinIndex,
} from './manifest';
export type { Manifest, ScoreMapping, Baseline, BaselineFeature } from './manifest';
export { loadBundle, bundleFromBytes, MANIFEST_FILE, MODEL_FILE } from './load-bundle';
export { readBundleArchive, MAX_ARCHIVE_ENTRY_BYTES } from './bundle-archive';
export type { ModelBundle } from './load-bundle';
export { DEMO_BUNDLE_DIR, findDemoBundleDir } from './demo-dir';
export { mapScore, predictedClass } from './score-mapping';
export type { ScoreValue } from './score-mapping';
export { checkReference } from './reference';
export type { ReferenceCheck } from './reference';
