import { readFile } from 'node:fs/promises';
import { EvaluatorError, parseModel, type Model, type OutputKind, type PredictionOutput } from '@lead-scoring/xgboost-evaluator';
import { DeployError } from '../errors';
import { checkRowLengths, readRowsFile } from './read-rows';

/** The output kinds `predict --output` accepts. */
export const OUTPUT_KINDS: readonly OutputKind[] = ['prediction', 'margin', 'contribs'];

/** Reads and parses an XGBoost model file (JSON or UBJSON), turning every failure into a DeployError. */
export async function readModelFile(file: string): Promise<Model> {
  let bytes: Uint8Array;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the model file
    bytes = await readFile(file);
  } catch (cause) {
    throw new DeployError('INPUT_NOT_FOUND', `cannot read model ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
  try {
    return parseModel(bytes);
  } catch (cause) {
    if (cause instanceof EvaluatorError) throw new DeployError('MODEL_INVALID', `${file}: ${cause.code}: ${cause.message}`, { cause });
    throw new DeployError('MODEL_INVALID', `${file}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Scores a rows file with a model file; the result is shaped as XGBoost's Python `predict` returns it.
 *
 * @example await runPredict({ model: 'm.ubj', input: 'rows.csv', output: 'prediction' }) // { predictions: [0.36, ...] }
 */
export async function runPredict(opts: { model: string; input: string; output: OutputKind }): Promise<{ predictions: PredictionOutput }> {
  const model = await readModelFile(opts.model);
  const rows = await readRowsFile(opts.input);
  checkRowLengths(rows, model.numFeatures);
  try {
    return { predictions: model.predict(rows, opts.output) };
  } catch (cause) {
    if (cause instanceof EvaluatorError) throw new DeployError('INPUT_SHAPE', `${cause.code}: ${cause.message}`, { cause });
    throw cause;
  }
}
