// The quadrature TreeSHAP against the exact (Lundberg) algorithm where XGBoost has no fixture: paths with
// more distinct features than one pass of quadrature points covers, and DART tree weights.
import { EvaluatorError, parseModel, rowsToFloat32 } from '../src/index';
import { gaussLegendre } from '../src/gauss-legendre';
import { readModelSpec } from '../src/model-spec';
import { baseMargins } from '../src/objectives';
import { buildShapLayout } from '../src/tree-shap-layout';
import { ExactTreeShap } from './exact-tree-shap';
import { listAllModelFixtures, modelJson } from './fixtures';

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit LCG). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A full binary tree of the given depth as XGBoost's JSON stores it; features cycle with random repeats. */
function syntheticTree(depth: number, numFeatures: number, rand: () => number): Record<string, unknown> {
  const n = 2 ** (depth + 1) - 1;
  const left: number[] = [];
  const right: number[] = [];
  const feature: number[] = [];
  const condition: number[] = [];
  const defaultLeft: number[] = [];
  const hessian = new Array<number>(n).fill(0);
  hessian[0] = 1000;
  for (let i = 0; i < n; i++) {
    const level = Math.floor(Math.log2(i + 1));
    const internal = level < depth;
    left.push(internal ? 2 * i + 1 : -1);
    right.push(internal ? 2 * i + 2 : -1);
    feature.push(internal ? (rand() < 0.2 ? Math.floor(rand() * numFeatures) : level % numFeatures) : 0);
    condition.push(internal ? Math.fround(rand() * 2 - 1) : Math.fround(rand() - 0.5));
    defaultLeft.push(rand() < 0.5 ? 1 : 0);
    if (internal) {
      const share = 0.05 + 0.9 * rand();
      hessian[2 * i + 1] = hessian[i]! * share;
      hessian[2 * i + 2] = hessian[i]! * (1 - share);
    }
  }
  return {
    tree_param: { num_nodes: String(n), num_feature: String(numFeatures), size_leaf_vector: '1' },
    left_children: left,
    right_children: right,
    split_indices: feature,
    split_conditions: condition,
    default_left: defaultLeft,
    sum_hessian: hessian,
  };
}

function modelDocument(trees: Record<string, unknown>[], numFeatures: number): Record<string, unknown> {
  return {
    version: [3, 0, 0],
    learner: {
      learner_model_param: { base_score: '5E-1', num_class: '0', num_feature: String(numFeatures) },
      objective: { name: 'reg:squarederror' },
      gradient_booster: { name: 'gbtree', model: { trees, tree_info: trees.map(() => 0) } },
    },
  };
}

function randomRows(count: number, numFeatures: number, rand: () => number): (number | null)[][] {
  return Array.from({ length: count }, () =>
    Array.from({ length: numFeatures }, () => (rand() < 0.1 ? null : Math.fround(rand() * 2 - 1))),
  );
}

/** Largest |quadrature − exact| over the rows, and the largest |exact| for scale. */
function compareWithExact(
  doc: unknown,
  rows: (number | null)[][],
  engine: 'wasm' | 'js',
): { diff: number; scale: number } {
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  const spec = readModelSpec(doc);
  const F = spec.numFeatures;
  const width = spec.numGroups * (F + 1);
  const x = rowsToFloat32(rows, F);
  const exact = new ExactTreeShap(spec);
  const expected = new Float64Array(rows.length * width);
  for (let r = 0; r < rows.length; r++)
    exact.explain(x, r * F, baseMargins(spec.objective, spec.baseScores), expected, r * width);

  const got = parseModel(bytes, { engine }).predictContribsBatch(x, rows.length);

  let diff = 0;
  let scale = 0;
  for (let i = 0; i < got.length; i++) {
    diff = Math.max(diff, Math.abs(got[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return { diff, scale };
}

describe('the Gauss-Legendre rule on [0, 1]', () => {
  it.each([1, 2, 4, 8, 12])('with %i points integrates every power below twice the points exactly', (n) => {
    const { nodes, weights } = gaussLegendre(n);

    for (let k = 0; k < 2 * n; k++) {
      let sum = 0;
      for (let q = 0; q < n; q++) sum += weights[q]! * nodes[q]! ** k;
      expect(Math.abs(sum - 1 / (k + 1))).toBeLessThan(1e-14);
    }
    expect(nodes.every((t) => t > 0 && t < 1)).toBe(true);
  });
});

describe('quadrature TreeSHAP against the exact algorithm', () => {
  const rand = random(20260);
  const deep = modelDocument([syntheticTree(12, 14, rand), syntheticTree(9, 14, rand)], 14);
  const rows = randomRows(24, 14, rand);

  it('takes two passes of four points for paths of up to 12 distinct features', () => {
    const layout = buildShapLayout(readModelSpec(deep));

    expect(layout.points).toBe(8);
    expect(layout.passes).toBe(2);
  });

  it.each(['wasm', 'js'] as const)(
    'matches it on depth-12 trees with repeated features and missing values (%s)',
    (engine) => {
      const { diff, scale } = compareWithExact(deep, rows, engine);

      expect(diff).toBeLessThan(1e-6 * Math.max(1, scale));
    },
  );

  it('gives the same bits from the WebAssembly and JavaScript kernels on two-pass trees', () => {
    const bytes = new TextEncoder().encode(JSON.stringify(deep));
    const x = rowsToFloat32(rows, 14);

    const wasm = parseModel(bytes, { engine: 'wasm' }).predictContribsBatch(x, rows.length);
    const js = parseModel(bytes, { engine: 'js' }).predictContribsBatch(x, rows.length);

    expect(Array.from(wasm)).toEqual(Array.from(js));
  });

  it('matches it on DART trees, each tree scaled by its weight_drop', () => {
    const doc = modelJson('forest-multi') as { learner: { gradient_booster: Record<string, unknown> } };
    const gbtree = doc.learner.gradient_booster;
    const numTrees = (gbtree['model'] as { trees: unknown[] }).trees.length;
    doc.learner.gradient_booster = {
      name: 'dart',
      gbtree,
      weight_drop: Array.from({ length: numTrees }, (_, t) => 0.5 + (t % 5) / 10),
    };
    const fixture = listAllModelFixtures().find((f) => f.path === 'forest-multi')!;

    const { diff, scale } = compareWithExact(doc, fixture.expected.rows, 'wasm');

    expect(diff).toBeLessThan(1e-6 * Math.max(1, scale));
  });

  it.each(listAllModelFixtures().map((f) => [f.path] as const))(
    'matches it within 1e-6 of the values on the %s fixture',
    (path) => {
      const fixture = listAllModelFixtures().find((f) => f.path === path)!;

      const { diff, scale } = compareWithExact(modelJson(path), fixture.expected.rows, 'wasm');

      expect(diff).toBeLessThan(1e-6 * Math.max(1, scale));
    },
  );
});

describe('explaining one group', () => {
  it('refuses a group the model does not have', () => {
    const model = parseModel(new TextEncoder().encode(JSON.stringify(modelJson('multi-softprob'))));
    const x = new Float32Array(2 * model.numFeatures);

    expect(() => model.predictContribsBatch(x, 2, undefined, { group: model.numGroups })).toThrow(EvaluatorError);
    expect(() => model.predictContribsBatch(x, 2, undefined, { group: Int32Array.of(0, -1) })).toThrow(
      /row 1: group -1/,
    );
    expect(() => model.predictContribsBatch(x, 2, undefined, { group: Int32Array.of(0) })).toThrow(
      /a group for each of 2 rows/,
    );
  });
});
