// A prediction pool's worker: parses the model once, then answers slices of calls. Not imported by the
// library: scripts/generate-sources.ts bundles it with everything it imports into pool-worker-source.ts,
// which pool.ts starts as an eval worker.
import { parentPort, workerData } from 'node:worker_threads';
import { EvaluatorError } from './errors';
import { parseModel } from './load-model';
import type { WorkerError, WorkerInit, WorkerReply, WorkerRequest } from './pool-protocol';
import type { Model } from './types';

function toWorkerError(error: unknown): WorkerError {
  if (error instanceof EvaluatorError) return { code: error.code, message: error.message };
  return { code: undefined, message: error instanceof Error ? error.message : String(error) };
}

function answer(model: Model, request: WorkerRequest): void {
  const { nRows, options } = request;
  const x = new Float32Array(request.input, 0, nRows * model.numFeatures);
  if (request.kind === 'predict') {
    model.predictBatch(x, nRows, new Float64Array(request.output, 0, nRows * model.predictionWidth));
    return;
  }
  const width = (options?.group === undefined ? model.numGroups : 1) * (model.numFeatures + 1);
  model.predictContribsBatch(x, nRows, new Float64Array(request.output, 0, nRows * width), options);
}

function serve(port: NonNullable<typeof parentPort>, init: WorkerInit): void {
  const send = (reply: WorkerReply) => port.postMessage(reply);
  let model: Model;
  try {
    model = parseModel(init.modelBytes, init.parse);
  } catch (error) {
    send({ kind: 'failed', error: toWorkerError(error) });
    return;
  }
  port.on('message', (request: WorkerRequest) => {
    try {
      answer(model, request);
      send({ kind: 'result', id: request.id });
    } catch (error) {
      send({ kind: 'error', id: request.id, error: toWorkerError(error) });
    }
  });
  send({
    kind: 'ready',
    numFeatures: model.numFeatures,
    numGroups: model.numGroups,
    predictionWidth: model.predictionWidth,
  });
}

if (parentPort) serve(parentPort, workerData as WorkerInit);
