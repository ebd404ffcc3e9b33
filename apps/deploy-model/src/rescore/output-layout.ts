/** How a model's predictions are written, as the API names them in a result. */
export type PredictionKind = 'probabilities' | 'probability' | 'prediction';

const PROBABILITY_OBJECTIVES: ReadonlySet<string> = new Set(['binary:logistic', 'reg:logistic']);

/** The output's columns, in order: id, score, prediction(s), model, reason codes, warnings, kept columns. */
export interface OutputLayout {
  readonly idName: string;
  /** True when the id is the 1-based row number (the input has no id column). */
  readonly rowNumbers: boolean;
  readonly prediction: PredictionKind;
  /** Values per row of `predictBatch`. */
  readonly width: number;
  readonly predictionNames: readonly string[];
  /** Reason codes per row (`--explain N`): columns `reason_<i>_feature`, `_value`, `_contribution`. */
  readonly reasons: number;
  readonly keepNames: readonly string[];
  readonly model: { readonly name: string; readonly version: string };
  readonly columns: readonly string[];
}

/**
 * The prediction kind of a model, as `toLeadScores` shapes the API's results: several values per row are
 * `probabilities`, binary:logistic and reg:logistic a `probability`, any other objective a `prediction`.
 *
 * @example predictionKind('multi:softprob', 5) // 'probabilities'
 */
export function predictionKind(objective: string, width: number): PredictionKind {
  if (width > 1) return 'probabilities';
  return PROBABILITY_OBJECTIVES.has(objective) ? 'probability' : 'prediction';
}

/** Output column names that do not depend on the input (a kept column may not take one of them). */
export function fixedColumns(opts: { objective: string; width: number; reasons: number }): string[] {
  const kind = predictionKind(opts.objective, opts.width);
  const predictions =
    kind === 'probabilities' ? Array.from({ length: opts.width }, (_, k) => `probability_${k}`) : [kind];
  const reasons: string[] = [];
  for (let i = 1; i <= opts.reasons; i++)
    reasons.push(`reason_${i}_feature`, `reason_${i}_value`, `reason_${i}_contribution`);
  return ['score', ...predictions, 'model_name', 'model_version', ...reasons, 'warnings'];
}

/**
 * The output layout of one run.
 *
 * @example outputLayout({ idName: 'lead_id', rowNumbers: false, objective: 'binary:logistic', width: 1, reasons: 3, keepNames: [], model })
 */
export function outputLayout(opts: {
  idName: string;
  rowNumbers: boolean;
  objective: string;
  width: number;
  reasons: number;
  keepNames: readonly string[];
  model: { name: string; version: string };
}): OutputLayout {
  const prediction = predictionKind(opts.objective, opts.width);
  const fixed = fixedColumns(opts);
  return {
    idName: opts.idName,
    rowNumbers: opts.rowNumbers,
    prediction,
    width: opts.width,
    predictionNames: fixed.slice(1, 1 + (prediction === 'probabilities' ? opts.width : 1)),
    reasons: opts.reasons,
    keepNames: opts.keepNames,
    model: opts.model,
    columns: [opts.idName, ...fixed, ...opts.keepNames],
  };
}
