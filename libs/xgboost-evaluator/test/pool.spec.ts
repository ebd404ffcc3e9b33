// The prediction pool: the same bits as the model in one thread, bad input answered with an
// EvaluatorError, and a clean shutdown (a process whose pool is closed, or idle, exits by itself).
import { join } from 'node:path';
import { runCli } from '@lead-scoring/testing';
import { createPredictionPool, EvaluatorError, parseModel, rowsToFloat32, type PredictionPool } from '../src/index';
import { modelBytes, modelJson } from './fixtures';

jest.setTimeout(60_000);

/** `n` rows of the model's width, about one value in eleven missing. */
function rowsOf(path: string, n: number): { x: Float32Array; numFeatures: number } {
  const expected = modelJson(path) as { learner: { learner_model_param: { num_feature: string } } };
  const numFeatures = Number(expected.learner.learner_model_param.num_feature);
  const x = new Float32Array(n * numFeatures);
  for (let i = 0; i < x.length; i++) x[i] = i % 11 === 0 ? NaN : Math.sin(i * 0.37) * 4;
  return { x, numFeatures };
}

describe.each(['multi-softprob', 'binary-logistic', 'xgb3/multi-softprob'])(
  'a pool of two workers on the %s model',
  (path) => {
    const bytes = modelBytes(path, 'json');
    const model = parseModel(bytes);
    let pool: PredictionPool;

    beforeAll(async () => {
      pool = await createPredictionPool(bytes, { threads: 2 });
    });
    afterAll(() => pool.close());

    it('has the threads it was asked for', () => {
      expect(pool.threads).toBe(2);
    });

    it('gives the predictions of Model.predictBatch, bit for bit, for 0 to 1,000 rows', async () => {
      for (const n of [0, 1, 3, 130, 257, 1000]) {
        const { x } = rowsOf(path, n);

        expect(Array.from(await pool.predictBatch(x, n))).toEqual(Array.from(model.predictBatch(x, n)));
      }
    });

    it('gives the contributions of Model.predictContribsBatch, all groups and one group per row', async () => {
      const n = 300;
      const { x } = rowsOf(path, n);
      const group = Int32Array.from({ length: n }, (_, r) => r % model.numGroups);

      expect(Array.from(await pool.predictContribsBatch(x, n))).toEqual(Array.from(model.predictContribsBatch(x, n)));
      expect(Array.from(await pool.predictContribsBatch(x, n, { group }))).toEqual(
        Array.from(model.predictContribsBatch(x, n, undefined, { group })),
      );
    });

    it('answers concurrent calls each with its own rows', async () => {
      const batches = [50, 400, 7, 900].map((n) => ({ n, ...rowsOf(path, n) }));

      const results = await Promise.all(batches.map(({ x, n }) => pool.predictBatch(x, n)));

      results.forEach((result, i) =>
        expect(Array.from(result)).toEqual(Array.from(model.predictBatch(batches[i]!.x, batches[i]!.n))),
      );
    });
  },
);

describe('a pool given bad input', () => {
  const bytes = modelBytes('multi-softprob', 'json');
  let pool: PredictionPool;

  beforeAll(async () => {
    pool = await createPredictionPool(bytes, { threads: 2 });
  });
  afterAll(() => pool.close());

  it('rejects rows of the wrong length with INPUT_SHAPE, then keeps serving', async () => {
    const x = rowsToFloat32([[1, 2, 3]], 3);

    await expect(pool.predictBatch(x, 1)).rejects.toMatchObject({ name: 'EvaluatorError', code: 'INPUT_SHAPE' });
    await expect(pool.predictBatch(x, -1)).rejects.toMatchObject({ code: 'INPUT_SHAPE' });
    await expect(pool.predictBatch(x, 1.5)).rejects.toMatchObject({ code: 'INPUT_SHAPE' });
    await expect(pool.predictContribsBatch(x, 1)).rejects.toMatchObject({ code: 'INPUT_SHAPE' });
    const { x: good } = rowsOf('multi-softprob', 4);
    expect((await pool.predictBatch(good, 4)).length).toBe(4 * 5);
  });

  it("rejects a group the model does not have with the model's own error", async () => {
    const { x } = rowsOf('multi-softprob', 2);

    await expect(pool.predictContribsBatch(x, 2, { group: 9 })).rejects.toBeInstanceOf(EvaluatorError);
    await expect(pool.predictContribsBatch(x, 2, { group: Int32Array.of(0) })).rejects.toMatchObject({
      code: 'INPUT_SHAPE',
    });
  });
});

describe('creating a pool', () => {
  it('rejects a model that does not parse with the error parseModel gives', async () => {
    await expect(
      createPredictionPool(new TextEncoder().encode('{"learner": 1}'), { threads: 1 }),
    ).rejects.toMatchObject({
      name: 'EvaluatorError',
      code: 'MODEL_INVALID',
    });
  });

  it('rejects a thread count that is not a whole number >= 1', async () => {
    const bytes = modelBytes('binary-logistic', 'json');
    for (const threads of [0, -1, 1.5, NaN]) {
      await expect(createPredictionPool(bytes, { threads })).rejects.toMatchObject({ code: 'POOL_OPTIONS_INVALID' });
    }
  });
});

describe('closing a pool', () => {
  it('rejects pending and later calls with POOL_CLOSED', async () => {
    const pool = await createPredictionPool(modelBytes('many-trees', 'json'), { threads: 2 });
    const { x } = rowsOf('many-trees', 20_000);
    const pending = expect(pool.predictBatch(x, 20_000)).rejects.toMatchObject({ code: 'POOL_CLOSED' });

    await pool.close();

    await pending;
    await expect(pool.predictBatch(x, 1)).rejects.toMatchObject({ code: 'POOL_CLOSED' });
  });

  it.each(['close', 'idle'])(
    'leaves nothing running: a process with a pool it leaves %s exits by itself',
    async (mode) => {
      const result = await runCli(join(__dirname, 'pool-exit.ts'), [
        join(__dirname, 'fixtures', 'multi-softprob.model.json'),
        mode,
      ]);

      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toBe(`scored 100 rows, pool ${mode === 'close' ? 'closed' : 'left idle'}\n`);
    },
  );
});
