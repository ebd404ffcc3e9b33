import { loadModel, type LoadedModel } from './model-loader';
import { readModelFiles, statSignature, type ModelFiles } from './model-source';

export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export type CheckResult = 'unchanged' | 'loaded' | 'failed';

/**
 * Holds the model being served and hot-reloads it: every interval it compares the files' size+mtime,
 * then their sha256, and only then parses + self-tests the new model, swapping it in one assignment.
 * Requests take `current` once, so in-flight ones finish on the model they started with;
 * a broken new model is logged and ignored while the old one keeps serving.
 *
 * @example
 * const holder = new ModelHolder({ dir: '/opt/ml/model', reloadIntervalMs: 1000, log });
 * await holder.check(); holder.start();
 */
export class ModelHolder {
  current: LoadedModel | undefined;
  lastError: string | undefined;
  private signature = '';
  private failedHash = '';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CheckResult> | undefined;

  constructor(private readonly opts: { dir: string; reloadIntervalMs: number; log: Logger }) {}

  /** Looks for a changed model once; concurrent calls share one check. */
  check(): Promise<CheckResult> {
    this.running ??= this.checkNow().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Starts polling (no-op when the interval is 0). The timer does not keep the process alive. */
  start(): void {
    if (this.opts.reloadIntervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.check(), this.opts.reloadIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async checkNow(): Promise<CheckResult> {
    const signature = await statSignature(this.opts.dir);
    if (signature === this.signature) return 'unchanged';
    this.signature = signature;
    let files: ModelFiles;
    try {
      files = await readModelFiles(this.opts.dir);
    } catch (err) {
      return this.fail('', err);
    }
    if (files.contentHash === this.current?.contentHash) return 'unchanged';
    if (files.contentHash === this.failedHash) return 'failed';
    let loaded: LoadedModel;
    try {
      loaded = loadModel(files);
    } catch (err) {
      return this.fail(files.contentHash, err);
    }
    const previous = this.current;
    this.current = loaded;
    this.lastError = undefined;
    this.opts.log('info', previous ? 'model reloaded' : 'model loaded', {
      origin: files.origin,
      name: loaded.name,
      version: loaded.version,
      objective: loaded.model.objective,
      numTrees: loaded.model.numTrees,
      ...(previous ? { previousVersion: previous.version } : {}),
    });
    return 'loaded';
  }

  private fail(contentHash: string, err: unknown): CheckResult {
    this.failedHash = contentHash;
    this.lastError = (err as Error).message;
    const serving = this.current?.version;
    this.opts.log(
      serving ? 'warn' : 'error',
      serving ? 'new model rejected; still serving the previous one' : 'model not loaded',
      {
        error: this.lastError,
        code: (err as { code?: string }).code,
        ...(serving ? { serving } : {}),
      },
    );
    return 'failed';
  }
}
