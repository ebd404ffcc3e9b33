import { parseModel, rowsToFloat32 } from '../src';
import { listAllModelFixtures, modelBytes } from './fixtures';

// The WebAssembly kernels are the default; the JavaScript ones serve runtimes without WebAssembly.
// Both must give the same bits, for every row count (the margin walk takes rows four at a time, TreeSHAP
// sixteen per block).
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
