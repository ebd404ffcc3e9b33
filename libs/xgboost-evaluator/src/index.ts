export type { ContribsOptions, Model, ObjectiveName, OutputKind, ParseOptions, PredictionOutput, Row } from './types';
export { EvaluatorError, EvaluatorErrorCode } from './errors';
export { parseModel, loadModelFile } from './load-model';
export { rowsToFloat32 } from './rows';
