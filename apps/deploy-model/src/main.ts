import { isMainThread } from 'node:worker_threads';
import { runCli } from './cli';
import { isRescoreWorker } from './rescore/worker-role';

// This file is also the entry of rescore's worker threads, so the esbuild bundle stays a single file.
if (!isMainThread && isRescoreWorker()) {
  // Messages the pool sends meanwhile wait in the port until the worker listens.
  void import('./rescore/rescore-worker').then((worker) => worker.startRescoreWorker());
} else {
  void runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
