import { readFile } from 'node:fs/promises';
import {
  EvaluatorError,
  parseModel,
  type Model,
  type OutputKind,
  type PredictionOutput,
} from '@lead-scoring/xgboost-evaluator';
import { DeployError, unreadable } from '../errors';
import { checkRowLengths, readRowsFile } from './read-rows';

/** The output kinds `predict --output` accepts. */
export const OUTPUT_KINDS: readonly OutputKind[] = ['prediction', 'margin', 'contribs'];

/**
 * Reads and parses an XGBoost model file (JSON or UBJSON), keeping its bytes; every failure becomes a DeployError
 * (INPUT_NOT_FOUND, or MODEL_INVALID carrying the evaluator's code, e.g. MODEL_UNSUPPORTED_OBJECTIVE).
 *
 * @example const { model, bytes } = await readModelFileBytes('models/examples/fit-12/model.json');
 */
export async function readModelFileBytes(file: string): Promise<{ model: Model; bytes: Uint8Array }> {
  let bytes: Uint8Array;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the model file
    bytes = await readFile(file);
  } catch (cause) {
    throw unreadable('model', file, cause);
  }
  try {
    return { model: parseModel(bytes), bytes };
  } catch (cause) {
    if (cause instanceof EvaluatorError)
      throw new DeployError('MODEL_INVALID', `${file}: ${cause.code}: ${cause.message}`, { cause });
    throw new DeployError('MODEL_INVALID', `${file}: ${(cause as Error).message}`, { cause });
  }
}

/** Reads and parses an XGBoost model file (JSON or UBJSON), turning every failure into a DeployError. */
export async function readModelFile(file: string): Promise<Model> {
  return (await readModelFileBytes(file)).model;
}

/**
 * Scores a rows file with a model file; the result is shaped as XGBoost's Python `predict` returns it.
 *
 * @example await runPredict({ model: 'm.ubj', input: 'rows.csv', output: 'prediction' }) // { predictions: [0.36, ...] }
 */
export async function runPredict(opts: {
  model: string;
  input: string;
  output: OutputKind;
}): Promise<{ predictions: PredictionOutput }> {
  const model = await readModelFile(opts.model);
  const rows = await readRowsFile(opts.input);
  checkRowLengths(rows, model.numFeatures);
  try {
    return { predictions: model.predict(rows, opts.output) };
  } catch (cause) {
    if (cause instanceof EvaluatorError)
      throw new DeployError('INPUT_SHAPE', `${cause.code}: ${cause.message}`, { cause });
    throw cause;
  }
}
