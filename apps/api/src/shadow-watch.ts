import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObsLogger } from '@lead-scoring/metrics';
import { MANIFEST_FILE, type ModelBundle } from '@lead-scoring/model-bundle';
import type { ShadowRunner } from '@lead-scoring/score-api';
import { loadShadow, type LoadedShadow } from './shadow';

/** A running watch of SHADOW_MODEL_DIR. */
export interface ShadowWatch {
  /** Looks once (the timer does the same every interval); resolves with what it did. */
  check(): Promise<'unchanged' | 'loaded' | 'removed' | 'refused'>;
  stop(): void;
}

/**
 * Follows SHADOW_MODEL_DIR on the local server, as the model server follows SM_MODEL_DIR: every `intervalMs` it
 * compares the folder's file sizes and times, and on a change loads the bundle there (`deploy-model deploy
 * --shadow` writes the model first and manifest.json last) and makes it the shadow model; a folder without
 * manifest.json means no shadow model (`promote` empties it). A bundle that cannot load, or cannot score
 * production's requests, is logged (SHADOW_REFUSED) and the current shadow model stays.
 *
 * @example
 * const watch = watchShadowDir({ dir, intervalMs: 1000, runner, production: bundle, logger });
 */
export function watchShadowDir(opts: {
  dir: string;
  intervalMs: number;
  runner: ShadowRunner;
  production: ModelBundle;
  logger: ObsLogger & { info?(message: string, ...extra: unknown[]): void };
  /** The signature of what was loaded at start, so an unchanged folder is not loaded twice. */
  initial?: string;
}): ShadowWatch {
  let signature = opts.initial ?? '';
  let running: Promise<'unchanged' | 'loaded' | 'removed' | 'refused'> | null = null;
  const checkNow = async (): Promise<'unchanged' | 'loaded' | 'removed' | 'refused'> => {
    const now = await folderSignature(opts.dir);
    if (now === signature) return 'unchanged';
    signature = now;
    if (!now.includes(`${MANIFEST_FILE}:`)) {
      if (!opts.runner.active()) return 'unchanged';
      opts.runner.setShadow(null);
      opts.logger.warn('shadow model removed; requests are no longer shadowed', {
        code: 'SHADOW_REMOVED',
        dir: opts.dir,
      });
      return 'removed';
    }
    let loaded: LoadedShadow;
    try {
      loaded = await loadShadow({ kind: 'dir', dir: opts.dir }, opts.production);
      opts.runner.setShadow(loaded);
    } catch (err) {
      opts.logger.error('new shadow model refused; the previous one (if any) stays', {
        code: 'SHADOW_REFUSED',
        dir: opts.dir,
        error: err instanceof Error ? err.message : String(err),
      });
      return 'refused';
    }
    const m = loaded.bundle.manifest;
    (opts.logger.info ?? opts.logger.warn).call(opts.logger, 'shadow model loaded', {
      code: 'SHADOW_LOADED',
      name: m.name,
      version: m.version,
      dir: opts.dir,
    });
    return 'loaded';
  };
  const check = (): Promise<'unchanged' | 'loaded' | 'removed' | 'refused'> =>
    (running ??= checkNow().finally(() => (running = null)));
  const timer = opts.intervalMs > 0 ? setInterval(() => void check(), opts.intervalMs) : null;
  timer?.unref();
  return { check, stop: () => timer && clearInterval(timer) };
}

/**
 * Names, sizes and modification times of a folder's files: what changes when a bundle is written there.
 *
 * @example
 * const before = await folderSignature('/srv/shadow');
 */
export async function folderSignature(dir: string): Promise<string> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- SHADOW_MODEL_DIR, operator configuration
  const names = await readdir(dir).catch(() => [] as string[]);
  const parts: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of SHADOW_MODEL_DIR
    const s = await stat(join(dir, name)).catch(() => null);
    if (s?.isFile()) parts.push(`${name}:${s.size}:${s.mtimeMs}`);
  }
  return parts.join('|');
}
