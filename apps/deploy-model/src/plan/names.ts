import { createHash } from 'node:crypto';

const MAX_NAME = 63;

/** Short content hash used to keep names unique and deterministic. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** Lower-case letters, digits and single hyphens: the intersection of SageMaker and S3 naming rules. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Joins parts into a SageMaker resource name (at most 63 characters); a longer name keeps its start
 * and ends with a hash of the whole, so it stays unique and the same on every run.
 *
 * @example resourceName(['lead-scoring-staging', 'lead-score', '1.2.0']) // 'lead-scoring-staging-lead-score-1-2-0'
 */
export function resourceName(parts: readonly string[]): string {
  const full = parts
    .map(slug)
    .filter((p) => p.length > 0)
    .join('-');
  if (full.length <= MAX_NAME) return full;
  return `${full.slice(0, MAX_NAME - 9).replace(/-+$/, '')}-${shortHash(full)}`;
}

/** The S3 key of a model version's artifact: `<prefix>/<model>/<version>/model.tar.gz`. */
export function artifactKey(prefix: string, modelName: string, version: string): string {
  return `${prefix}/${slug(modelName)}/${slug(version)}/model.tar.gz`;
}

/** Tag carried by every endpoint config we create: the config the endpoint ran before it (for rollback). */
export const PREVIOUS_CONFIG_TAG = 'lead-scoring:previous-endpoint-config';
/** Tags identifying what a model/config holds. */
export const MODEL_NAME_TAG = 'lead-scoring:model-name';
export const MODEL_VERSION_TAG = 'lead-scoring:model-version';
export const ARTIFACT_SHA_TAG = 'lead-scoring:artifact-sha256';
/** Tag naming the endpoint a config was made for (prune only touches configs carrying it). */
export const ENDPOINT_TAG = 'lead-scoring:endpoint';
