// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a global API declaration (no module to import): every project that compiles this lib needs it
/// <reference path="./webassembly.d.ts" />
export type { ContribsOptions, Model, ObjectiveName, OutputKind, ParseOptions, PredictionOutput, Row } from './types';
export { EvaluatorError, EvaluatorErrorCode } from './errors';
export { parseModel, loadModelFile } from './load-model';
export { rowsToFloat32 } from './rows';
export { createPredictionPool, type PredictionPool } from './pool';
