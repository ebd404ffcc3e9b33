import type { Model } from '@lead-scoring/xgboost-evaluator';
import { DeployError } from '../errors';

const list = (names: readonly string[]): string => names.map((n) => JSON.stringify(n)).join(', ');

function firstDifference(model: readonly string[], sample: readonly string[]): string {
  const at = model.findIndex((n, i) => n !== sample[i]);
  return `column ${at + 1}: the model has ${JSON.stringify(model[at])}, the sample ${JSON.stringify(sample[at])}`;
}

/**
 * The model's feature names in column order: the model file's when it has them (then the sample header must
 * hold exactly them, in the same order), else the sample header's. Throws SAMPLE_COLUMNS_MISMATCH,
 * SAMPLE_COLUMN_ORDER, SAMPLE_EXTRA_COLUMNS or SAMPLE_FEATURE_COUNT, naming the first difference.
 *
 * @example featureNamesOf(model, ['seats_requested', ...]) // the model's 12 names
 */
export function featureNamesOf(model: Model, header: readonly string[], sampleFile: string): readonly string[] {
  const names = model.featureNames;
  if (!names) {
    if (header.length !== model.numFeatures) {
      throw new DeployError(
        'SAMPLE_FEATURE_COUNT',
        `the model has ${model.numFeatures} features; ${sampleFile} has ${header.length} columns`,
        {
          hint: "the sample must be the training sample: one column per model feature, in the model's column order",
        },
      );
    }
    return header;
  }
  const modelSet = new Set(names);
  const sampleSet = new Set(header);
  const extra = header.filter((h) => !modelSet.has(h));
  const missing = names.filter((n) => !sampleSet.has(n));
  if (extra.length > 0 && missing.length === 0) {
    throw new DeployError('SAMPLE_EXTRA_COLUMNS', `${sampleFile} has columns the model does not use: ${list(extra)}`, {
      hint: "a training sample holds exactly the model's features (no label, id or other column)",
    });
  }
  if (missing.length > 0) {
    const detail =
      names.length === header.length
        ? firstDifference(names, header)
        : `it lacks ${list(missing)}${extra.length > 0 ? ` and has ${list(extra)}` : ''}`;
    throw new DeployError(
      'SAMPLE_COLUMNS_MISMATCH',
      `the columns of ${sampleFile} do not match the model's feature names: ${detail}`,
      {
        hint: "the sample header must be the model's feature names, in the model's column order",
      },
    );
  }
  if (names.some((n, i) => n !== header[i])) {
    throw new DeployError(
      'SAMPLE_COLUMN_ORDER',
      `${sampleFile} has the model's feature names in another order; first difference at ${firstDifference(names, header)}`,
      {
        hint: "reorder the sample's columns to the model's column order (e.g. df[booster.feature_names])",
      },
    );
  }
  return names;
}
