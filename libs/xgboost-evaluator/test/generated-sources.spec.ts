// The committed generated sources are what their sources build to today: each WebAssembly kernel is its
// .wat as wabt assembles it, the pool's worker script is pool-worker.ts as esbuild bundles it.
// After editing a source, run `npx nx run xgboost-evaluator:generate`.
import { assembleKernel, bundlePoolWorker, KERNELS } from '../scripts/generate-sources';
import { MARGIN_WASM } from '../src/margin-wasm';
import { POOL_WORKER_SOURCE } from '../src/pool-worker-source';
import { TREE_SHAP_WASM } from '../src/tree-shap-wasm';

const COMMITTED: Record<(typeof KERNELS)[number]['constant'], string> = { MARGIN_WASM, TREE_SHAP_WASM };

describe.each(KERNELS.map((k) => [k.wat, k] as const))('the committed %s kernel', (_wat, kernel) => {
  it('is the .wat file as wabt assembles it (after an edit: npx nx run xgboost-evaluator:generate)', async () => {
    const assembled = await assembleKernel(kernel.wat);

    expect(Buffer.from(COMMITTED[kernel.constant], 'base64').equals(Buffer.from(assembled))).toBe(true);
  });
});

describe('the committed pool worker script', () => {
  it('is pool-worker.ts and the evaluator sources as esbuild bundles them today (after an edit: npx nx run xgboost-evaluator:generate)', async () => {
    const bundled = Buffer.from(await bundlePoolWorker()).toString('utf8');

    expect(Buffer.from(POOL_WORKER_SOURCE, 'base64').toString('utf8') === bundled).toBe(true);
  });
});
