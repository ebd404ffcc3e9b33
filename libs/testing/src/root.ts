import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findRoot(): string {
  let dir = resolve(__dirname);
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the workspace root (no nx.json above this file)');
    dir = up;
  }
  return dir;
}

/** The workspace root: the nearest folder up from this file holding nx.json. */
export const ROOT = findRoot();
