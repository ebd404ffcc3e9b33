import { createHash } from 'node:crypto';
import path from 'node:path';
import { featureSpecsFromJson, type FeatureSpecJson } from '@lead-scoring/feature-schema';
import { MODEL_FILE, type ScoreMapping } from '@lead-scoring/model-bundle';
import type { Model } from '@lead-scoring/xgboost-evaluator';
import { DeployError } from '../errors';
import { buildBaseline } from './baseline';
import { chooseScoreMapping, scoresOf } from './choose-mapping';
import { applyFeatureOverrides, type FeatureOverrides } from './feature-overrides';
import { inferFeatureSpec, profileColumn } from './infer-features';
import { predictSample } from './predict-sample';
import { buildReference, pickReferenceRows } from './reference';
import type { SampleTable } from './sample-table';

/** What the manifest is made from. */
export interface ManifestInputs {
  readonly name: string;
  readonly version: string;
  readonly createdAt: string;
  readonly modelFile: string;
  readonly model: Model;
  readonly modelBytes: Uint8Array;
  /** The sample, its columns already checked to be the model's features in column order. */
  readonly sample: SampleTable;
  readonly featureNames: readonly string[];
  readonly overrides?: { readonly file: string; readonly specs: FeatureOverrides } | undefined;
  readonly thresholds?: readonly number[] | undefined;
}

// Both formats open with '{'; JSON follows it with a quote, whitespace or '}', UBJSON with a type marker
// (the evaluator's own detection, which has already accepted these bytes).
function modelFormat(bytes: Uint8Array): 'json' | 'ubj' {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 64)).replace(/^[ \t\r\n]+/, '');
  return /^\{[ \t\r\n"}]/.test(text) ? 'json' : 'ubj';
}

function inferredSpecs(inputs: ManifestInputs): FeatureSpecJson[] {
  const specs = inputs.featureNames.map((name, j) => inferFeatureSpec(name, profileColumn(inputs.sample.columns[j]!)));
  try {
    featureSpecsFromJson(specs);
  } catch (cause) {
    throw new DeployError('SAMPLE_INVALID', `the feature names cannot make a contract: ${(cause as Error).message}`, {
      cause,
    });
  }
  return inputs.overrides ? applyFeatureOverrides(specs, inputs.overrides.specs, inputs.overrides.file) : specs;
}

function checkFinite(predictions: Float64Array, width: number): void {
  const bad = predictions.findIndex((p) => !Number.isFinite(p));
  if (bad >= 0)
    throw new DeployError(
      'MODEL_INVALID',
      `the model gives a non-finite prediction (${predictions[bad]}) for sample row ${Math.floor(bad / width) + 1}`,
    );
}

/**
 * The manifest of a new bundle, as a plain object in the key order it is written: identity, model file facts,
 * features (full specs, model column order), score mapping, what it was made from (`init`), the drift baseline
 * and the reference predictions.
 *
 * @example const manifest = buildManifest({ name: 'fit-12', version: '1.0.0', ... });
 */
export function buildManifest(inputs: ManifestInputs): Record<string, unknown> {
  const { model, sample } = inputs;
  const features = inferredSpecs(inputs);
  const width = model.predictionWidth;
  const predictions = predictSample(model, sample);
  checkFinite(predictions, width);
  const score_mapping: ScoreMapping = chooseScoreMapping(model, predictions, inputs.thresholds);
  const scores = scoresOf({ score_mapping }, predictions, width);
  return {
    name: inputs.name,
    version: inputs.version,
    created_at: inputs.createdAt,
    framework: { name: 'xgboost', version: model.version.join('.') },
    model_file: MODEL_FILE,
    model_format: modelFormat(inputs.modelBytes),
    sha256: createHash('sha256').update(inputs.modelBytes).digest('hex'),
    objective: model.objective,
    // XGBoost stores num_class 0 for binary models (the evaluator reports 2).
    num_class: model.objective.startsWith('binary:') ? 0 : model.numClass,
    features,
    score_mapping,
    init: {
      model: path.basename(inputs.modelFile),
      sample: path.basename(sample.file),
      rows: sample.rows,
      ...(sample.truncated ? { truncated: true } : {}),
    },
    baseline: buildBaseline(sample, inputs.featureNames, scores),
    reference: buildReference(model, sample, pickReferenceRows(sample, scores)),
  };
}
