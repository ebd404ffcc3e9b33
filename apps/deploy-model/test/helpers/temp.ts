import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh temp folder (callers remove it). */
export function tempDir(prefix = 'deploy-model-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}
