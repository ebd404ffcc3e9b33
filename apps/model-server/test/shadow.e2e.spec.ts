import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadBundle } from '@lead-scoring/model-bundle';
import { toLeadScores } from '@lead-scoring/scoring-client';
import { freePort, startTsx, waitFor200, type Child } from '@lead-scoring/testing';
import {
  demoModelDir,
  eventually,
  manifestFor,
  removeDir,
  sampleRows,
  tempDir,
  toCsv,
  variantModelBytes,
} from './support';

jest.setTimeout(180_000);

describe('the model server with SHADOW_MODEL_DIR', () => {
  let server: Child | undefined;
  const dirs: string[] = [];
  afterAll(async () => {
    await server?.stop();
    for (const d of dirs) await removeDir(d);
  });

  it('scores every invocation again with the shadow model and counts the agreement matrix a direct evaluation gives', async () => {
    const production = await demoModelDir();
    const shadow = await tempDir();
    dirs.push(production, shadow);
    const variant = await variantModelBytes();
    await writeFile(join(shadow, 'xgboost-model'), variant);
    await writeFile(join(shadow, 'manifest.json'), await manifestFor(variant, '2.0.0'));
    const port = await freePort();
    server = startTsx('apps/model-server/src/main.ts', {
      SM_MODEL_DIR: production,
      SHADOW_MODEL_DIR: shadow,
      PORT: String(port),
      HOST: '127.0.0.1',
      MODEL_RELOAD_INTERVAL_MS: '0',
    });
    await waitFor200(`http://127.0.0.1:${port}/ping`, server, 120_000);
    const rows = sampleRows(120, 3);

    for (let i = 0; i < rows.length; i += 40) {
      const res = await fetch(`http://127.0.0.1:${port}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: toCsv(rows.slice(i, i + 40)),
      });
      expect(res.status).toBe(200);
    }
    let text = '';
    await eventually(async () => {
      text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return /lead_scoring_shadow_probability_diff_count 120/.test(text);
    });

    const [p, s] = [await loadBundle(production), await loadBundle(shadow)];
    const x = Float32Array.from(rows.flat(), (v) => (v === null ? NaN : v));
    const scoresOf = (b: typeof p) =>
      toLeadScores({
        manifest: b.manifest,
        objective: b.model.objective,
        predictions: b.model.predictBatch(x, rows.length),
        nRows: rows.length,
        width: b.model.predictionWidth,
      });
    const [ps, ss] = [scoresOf(p), scoresOf(s)];
    const expected = new Map<string, number>();
    ps.forEach((r, i) =>
      expected.set(`${r.score},${ss[i]!.score}`, (expected.get(`${r.score},${ss[i]!.score}`) ?? 0) + 1),
    );
    for (const [cell, n] of expected) {
      const [a, b] = cell.split(',');
      expect(text).toContain(`lead_scoring_shadow_agreement_total{production="${a}",shadow="${b}"} ${n}`);
    }
  });
});
