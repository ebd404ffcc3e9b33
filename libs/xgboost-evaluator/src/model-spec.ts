import { EvaluatorError, EvaluatorErrorCode as Code } from './errors';
import { isSupportedObjective } from './objectives';
import type { ObjectiveName } from './types';

/** One tree as XGBoost stores it (node arrays indexed by node id; -1 children mark a leaf). */
export interface TreeSpec {
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  splitIndex: ArrayLike<number>;
  splitCondition: ArrayLike<number>;
  defaultLeft: ArrayLike<number | boolean>;
  sumHessian: ArrayLike<number>;
  numNodes: number;
}

/** The parts of an XGBoost model that prediction needs, checked and normalised. */
export interface ModelSpec {
  version: [number, number, number];
  objective: ObjectiveName;
  numFeatures: number;
  numClass: number;
  numGroups: number;
  /**
   * base_score per output group as stored (before the objective's `ProbToMargin`): `numGroups`
   * values, a scalar broadcast to every group.
   */
  baseScores: Float64Array;
  featureNames: string[] | undefined;
  trees: TreeSpec[];
  treeGroup: Int32Array;
  /** Per-tree weights (DART's weight_drop), or undefined when every tree counts fully. */
  treeWeights: Float64Array | undefined;
}

type Obj = Record<string, unknown>;

function invalid(message: string): never {
  throw new EvaluatorError(Code.INVALID, `Invalid XGBoost model: ${message}`);
}

function obj(value: unknown, what: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(`${what} must be an object`);
  return value as Obj;
}

function arr(value: unknown, what: string): ArrayLike<number> {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return value as unknown as ArrayLike<number>;
  return invalid(`${what} must be an array`);
}

function num(value: unknown, what: string): number {
  // XGBoost writes most scalar parameters as strings ("5E-1", "100").
  const n = typeof value === 'string' ? Number(value.trim()) : typeof value === 'number' ? value : NaN;
  if (!Number.isFinite(n)) invalid(`${what} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * base_score is a number ("5E-1") up to XGBoost 3.0 and a bracketed vector from 3.1: "[5E-1]", or one
 * value per class for multi:* ("[1.25E0,5.58E-1,...]"). A single value is broadcast to every group,
 * as XGBoost's `LearnerModelParamLegacy::HandleOldFormat` does on load.
 */
function parseBaseScores(value: unknown, numGroups: number): Float64Array {
  const text = typeof value === 'string' ? value.trim() : '';
  const isVector = text.startsWith('[');
  if (isVector && !text.endsWith(']'))
    invalid(`base_score must be a number or a bracketed list, got ${JSON.stringify(value)}`);
  const parts = isVector
    ? text
        .slice(1, -1)
        .split(',')
        .filter((p) => p.trim() !== '')
    : [value];
  if (parts.length !== 1 && parts.length !== numGroups) {
    const expected = numGroups > 1 ? `1 or ${numGroups} (one per class)` : '1';
    invalid(`base_score has ${parts.length} values, expected ${expected}`);
  }
  const scores = new Float64Array(numGroups);
  for (let g = 0; g < numGroups; g++) scores[g] = num(parts[parts.length === 1 ? 0 : g], 'base_score');
  return scores;
}

function readVersion(root: Obj): [number, number, number] {
  const v = root['version'];
  if (v === undefined) return [1, 0, 0];
  const a = arr(v, 'version');
  const version: [number, number, number] = [Number(a[0] ?? 0), Number(a[1] ?? 0), Number(a[2] ?? 0)];
  if (version[0] < 1 || version[0] > 3) {
    throw new EvaluatorError(
      Code.UNSUPPORTED_VERSION,
      `Unsupported model: written by XGBoost ${version.join('.')} (supported: 1.x to 3.x)`,
    );
  }
  return version;
}

function readTree(raw: unknown, i: number, numFeatures: number): TreeSpec {
  const t = obj(raw, `tree ${i}`);
  const param = obj(t['tree_param'], `tree ${i} tree_param`);
  if (param['size_leaf_vector'] !== undefined && num(param['size_leaf_vector'], 'size_leaf_vector') > 1) {
    throw new EvaluatorError(
      Code.UNSUPPORTED_MULTI_TARGET,
      `Unsupported model: tree ${i} has vector leaves (multi-target trees)`,
    );
  }
  const splitType = t['split_type'] === undefined ? undefined : arr(t['split_type'], 'split_type');
  if (splitType) {
    for (let n = 0; n < splitType.length; n++) {
      if (Number(splitType[n]) !== 0) {
        throw new EvaluatorError(
          Code.UNSUPPORTED_CATEGORICAL,
          `Unsupported model: tree ${i} has categorical splits (enable_categorical)`,
        );
      }
    }
  }
  const tree: TreeSpec = {
    left: arr(t['left_children'], 'left_children'),
    right: arr(t['right_children'], 'right_children'),
    splitIndex: arr(t['split_indices'], 'split_indices'),
    // XGBoost keeps these as float32; JSON prints the shortest decimal that rounds back to the
    // float, so parse → Float32Array restores the exact value that UBJSON stores directly.
    splitCondition: Float32Array.from(arr(t['split_conditions'], 'split_conditions')),
    defaultLeft: arr(t['default_left'], 'default_left'),
    sumHessian: Float32Array.from(arr(t['sum_hessian'], 'sum_hessian')),
    numNodes: num(param['num_nodes'], 'num_nodes'),
  };
  const n = tree.numNodes;
  for (const [name, a] of Object.entries(tree)) {
    if (typeof a !== 'number' && a.length !== n) invalid(`tree ${i}: ${name} has ${a.length} entries, expected ${n}`);
  }
  for (let k = 0; k < n; k++) {
    const l = tree.left[k]!;
    if (l === -1) continue;
    const r = tree.right[k]!;
    const f = tree.splitIndex[k]!;
    if (!(l > k && l < n && r > k && r < n)) invalid(`tree ${i} node ${k}: child ids out of range`);
    if (!(f >= 0 && f < numFeatures)) invalid(`tree ${i} node ${k}: split on feature ${f}, model has ${numFeatures}`);
  }
  return tree;
}

/** Checks a decoded XGBoost model document (JSON or UBJSON) and extracts what prediction needs. */
export function readModelSpec(doc: unknown): ModelSpec {
  const root = obj(doc, 'model document');
  const version = readVersion(root);
  const learner = obj(root['learner'], 'learner');
  const params = obj(learner['learner_model_param'], 'learner_model_param');
  const objective = obj(learner['objective'], 'objective');
  const objectiveName = String(objective['name']);
  const normalized = objectiveName === 'reg:linear' ? 'reg:squarederror' : objectiveName;
  if (!isSupportedObjective(normalized)) {
    throw new EvaluatorError(
      Code.UNSUPPORTED_OBJECTIVE,
      `Unsupported model: objective "${objectiveName}" is not supported`,
    );
  }
  if (params['num_target'] !== undefined && num(params['num_target'], 'num_target') > 1) {
    throw new EvaluatorError(
      Code.UNSUPPORTED_MULTI_TARGET,
      'Unsupported model: more than one target (multi-target regression)',
    );
  }
  let booster = obj(learner['gradient_booster'], 'gradient_booster');
  let treeWeights: Float64Array | undefined;
  if (booster['name'] === 'dart') {
    treeWeights = Float64Array.from(arr(booster['weight_drop'], 'weight_drop'));
    booster = obj(booster['gbtree'], 'dart gbtree');
  }
  if (booster['name'] !== 'gbtree') {
    throw new EvaluatorError(
      Code.UNSUPPORTED_BOOSTER,
      `Unsupported model: booster "${String(booster['name'])}" (only gbtree and dart are supported)`,
    );
  }
  const model = obj(booster['model'], 'gbtree model');
  const numFeatures = num(params['num_feature'], 'num_feature');
  const numClass = num(params['num_class'] ?? '0', 'num_class');
  const rawTrees = model['trees'];
  if (!Array.isArray(rawTrees)) invalid('trees must be an array');
  const trees = rawTrees.map((t, i) => readTree(t, i, numFeatures));
  const treeGroup = Int32Array.from(arr(model['tree_info'], 'tree_info'));
  if (treeGroup.length !== trees.length) invalid(`tree_info has ${treeGroup.length} entries for ${trees.length} trees`);
  if (treeWeights && treeWeights.length !== trees.length) invalid('weight_drop length differs from the tree count');
  const isMulti = normalized.startsWith('multi:');
  if (isMulti && numClass < 2) invalid(`${normalized} needs num_class >= 2, got ${numClass}`);
  const numGroups = isMulti ? numClass : 1;
  for (const g of treeGroup) if (g < 0 || g >= numGroups) invalid(`tree_info group ${g} out of range`);
  const names = learner['feature_names'];
  const featureNames = Array.isArray(names) && names.length > 0 ? names.map(String) : undefined;
  return {
    version,
    objective: normalized,
    numFeatures,
    numClass: isMulti ? numClass : normalized.startsWith('binary:') ? 2 : 0,
    numGroups,
    baseScores: parseBaseScores(params['base_score'], numGroups),
    featureNames,
    trees,
    treeGroup,
    treeWeights,
  };
}
