import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/*
 * A rename is durable only once the folder holding the new name is fsynced, and a new file's name only once its
 * folder is: without that a power cut can bring back the old state although the data itself reached the disk.
 */

/** fsyncs a folder (its entries: created, renamed, removed files). */
export async function fsyncDir(dir: string): Promise<void> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a folder of the lake
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Synchronous {@link fsyncDir}, for start-up and shutdown paths. */
export function fsyncDirSync(dir: string): void {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a folder of the lake
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates a folder and its missing parents, fsyncing each new entry's parent, so the folder survives a power cut.
 *
 * @example
 * await mkdirDurable('/var/lake/scores/dt=2024-05-01/hour=07');
 */
export async function mkdirDurable(dir: string): Promise<void> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a folder of the lake
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; d.length >= first.length; d = dirname(d)) await fsyncDir(dirname(d));
}

/**
 * Moves a complete, fsynced file into place: rename (atomic: a reader sees no file or the whole file), then fsync
 * the destination folder.
 *
 * @example
 * await renameDurable('/var/lake/tmp/.part-x.tmp', '/var/lake/scores/dt=2024-05-01/hour=07/part-x.parquet');
 */
export async function renameDurable(from: string, to: string): Promise<void> {
  await mkdirDurable(dirname(to));
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- files of the lake
  await rename(from, to);
  await fsyncDir(dirname(to));
}

/**
 * Writes a small file durably under its final name: temporary name, fsync, rename, fsync the folder.
 *
 * @example
 * await writeFileDurable('/var/lake/spool/publish-x.json', JSON.stringify(journal));
 */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- files of the lake
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- files of the lake
  await rename(tmp, path);
  await fsyncDir(dirname(path));
}

/** Removes files (a missing one is fine), then fsyncs each folder they were in once. */
export async function removeDurable(paths: readonly string[]): Promise<void> {
  for (const p of paths) await rm(p, { force: true });
  for (const d of new Set(paths.map((p) => dirname(p)))) await fsyncDir(d).catch(() => undefined);
}
