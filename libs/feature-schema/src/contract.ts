import { checkSpecs, type FeatureSpec } from './feature-spec';

/** A model's input contract: its features in column order, with lookups the request path needs. */
export interface FeatureContract {
  /** The specs in model column order. */
  readonly features: readonly FeatureSpec[];
  readonly names: readonly string[];
  /** Column of each feature name. */
  readonly index: ReadonlyMap<string, number>;
  /** Number of model inputs. */
  readonly size: number;
  /** Names of the features that may not be missing (so the named form must carry them). */
  readonly required: readonly string[];
}

/**
 * Builds the contract of a feature list (checked: unique, well-formed names and ordered ranges); everything
 * per-model (validators, OpenAPI, docs table, lake columns, drift) is built from it.
 *
 * @example
 * const contract = createFeatureContract(bundle.features);
 * contract.index.get('web_visits_30d'); // 9
 */
export function createFeatureContract(specs: readonly FeatureSpec[]): FeatureContract {
  checkSpecs(specs);
  const features = Object.freeze(specs.map((s) => Object.freeze({ ...s })));
  const names = Object.freeze(features.map((s) => s.name));
  return Object.freeze({
    features,
    names,
    index: new Map(names.map((n, i) => [n, i])),
    size: features.length,
    required: Object.freeze(features.filter((s) => !s.allowMissing).map((s) => s.name)),
  });
}
