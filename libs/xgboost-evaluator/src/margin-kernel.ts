import type { Forest } from './forest';
import { JsMarginKernel } from './js-margin-kernel';
import type { MarginEngine } from './margin-engine';
import { WasmMarginKernel } from './wasm-kernel';

/**
 * The fastest margin engine this runtime has: the WebAssembly kernel (margin.wat), or plain JavaScript
 * without WebAssembly. Both compute raw margins bit for bit as XGBoost's CPU predictor (float32 inputs,
 * `value < threshold` goes left, float32 sums in tree order from each group's base margin).
 * `baseMargins` has one value per group.
 *
 * @example createMarginEngine(buildForest(spec), baseMargins(spec.objective, spec.baseScores)).run(x, nRows, out)
 */
export function createMarginEngine(
  forest: Forest,
  baseMargins: ArrayLike<number>,
  engine: 'wasm' | 'js' = 'wasm',
): MarginEngine {
  if (engine === 'wasm' && typeof WebAssembly === 'object') return new WasmMarginKernel(forest, baseMargins);
  return new JsMarginKernel(forest, baseMargins);
}
