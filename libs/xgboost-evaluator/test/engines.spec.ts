import { parseModel, rowsToFloat32 } from '../src';
import { buildForest } from '../src/forest';
import { readModelSpec } from '../src/model-spec';
import { baseMargins } from '../src/objectives';
import { WasmMarginKernel } from '../src/wasm-kernel';
import { chooseLayout } from '../src/wasm-layout';
import { listAllModelFixtures, modelBytes, modelJson } from './fixtures';

// The WebAssembly kernels are the default; the JavaScript ones serve runtimes without WebAssembly.
// Both must give the same bits, for every row count (the margin walk takes rows four at a time in blocks
// of 64 and one row on its own path, TreeSHAP sixteen per block), and so must both tree layouts of the
// WebAssembly margin kernel.
describe.each(listAllModelFixtures().map((f) => [f.path, f] as const))('the %s model', (path, fixture) => {
  const bytes = modelBytes(path, 'json');
  const wasm = parseModel(bytes, { engine: 'wasm' });
  const js = parseModel(bytes, { engine: 'js' });

  it('gives identical margins from the WebAssembly and JavaScript kernels for 1 to 130 rows', () => {
    // 130 rows span three 64-row blocks.
    const rows = Array.from({ length: 130 }, (_, i) => fixture.expected.rows[i % fixture.expected.rows.length]!);
    for (const n of [1, 3, 4, 5, fixture.expected.rows.length, rows.length]) {
      const x = rowsToFloat32(rows.slice(0, n), fixture.expected.num_features);

      expect(Array.from(wasm.predictMarginBatch(x, n))).toEqual(Array.from(js.predictMarginBatch(x, n)));
    }
  });

  it('gives identical margins from the complete and pointer tree layouts of the WebAssembly kernel', () => {
    const spec = readModelSpec(modelJson(path));
    const forest = buildForest(spec);
    const base = baseMargins(spec.objective, spec.baseScores);
    const rows = Array.from({ length: 70 }, (_, i) => fixture.expected.rows[i % fixture.expected.rows.length]!);
    for (const n of [1, 2, 5, rows.length]) {
      const x = rowsToFloat32(rows.slice(0, n), fixture.expected.num_features);
      const [complete, pointer] = (['complete', 'pointer'] as const).map((layout) => {
        const out = new Float64Array(n * spec.numGroups);
        new WasmMarginKernel(forest, base, layout).run(x, n, out);
        return Array.from(out);
      });

      expect(pointer).toEqual(complete);
      expect(complete).toEqual(Array.from(js.predictMarginBatch(x, n)));
    }
  });

  it('gives identical contributions from the WebAssembly and JavaScript kernels, all groups and one group per row', () => {
    const rows = Array.from({ length: 40 }, (_, i) => fixture.expected.rows[i % fixture.expected.rows.length]!);
    for (const n of [1, 17, rows.length]) {
      const x = rowsToFloat32(rows.slice(0, n), fixture.expected.num_features);
      const groups = Int32Array.from({ length: n }, (_, r) => r % wasm.numGroups);

      expect(Array.from(wasm.predictContribsBatch(x, n))).toEqual(Array.from(js.predictContribsBatch(x, n)));
      expect(Array.from(wasm.predictContribsBatch(x, n, undefined, { group: groups }))).toEqual(
        Array.from(js.predictContribsBatch(x, n, undefined, { group: groups })),
      );
    }
  });
});

describe('the tree layout choice', () => {
  it('packs shallow, full trees as complete trees, and by pointers a forest deeper than 12 levels or mostly padding', () => {
    const shallow = buildForest(readModelSpec(modelJson('multi-softprob')));
    const deep = buildForest(readModelSpec(modelJson('deep')));

    expect(chooseLayout(shallow)).toBe('complete');
    expect(chooseLayout({ ...deep, maxDepth: 13 })).toBe('pointer');
    expect(chooseLayout({ ...deep, totalNodes: deep.totalNodes / 8 })).toBe('pointer');
  });
});
