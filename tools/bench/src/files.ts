import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes of the files under `dir` (recursively) whose names end with `suffix`; 0 when `dir` does not exist. */
export function filesBytes(dir: string, suffix: string): number {
  let bytes = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (e.isDirectory()) bytes += filesBytes(join(dir, e.name), suffix);
    else if (e.name.endsWith(suffix)) bytes += statSync(join(dir, e.name)).size;
  }
  return bytes;
}
