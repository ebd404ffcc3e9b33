import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LAKE_SPOOL, parseSegmentName, type SegmentName } from './lake-layout';
import { readFrames, type FrameScan } from './spool-frame';

/** A segment found in the spool, with its size and last write time. */
export interface SpoolSegment extends SegmentName {
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/**
 * The segments of a lake's spool, sorted by name (hour, then writer, then sequence). Other files are skipped.
 *
 * @example
 * const segments = await listSegments('./var/lake');
 */
export async function listSegments(dir: string): Promise<SpoolSegment[]> {
  const spool = join(dir, LAKE_SPOOL);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the lake's spool folder
  const files = await readdir(spool).catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' ? [] : Promise.reject(err),
  );
  const out: SpoolSegment[] = [];
  for (const file of files.sort()) {
    const name = parseSegmentName(file);
    if (!name) continue;
    const path = join(spool, file);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a segment of the spool
    const st = await stat(path).catch(() => null);
    if (st) out.push({ ...name, path, bytes: st.size, mtimeMs: st.mtimeMs });
  }
  return out;
}

/**
 * Decodes a whole segment (a torn or corrupt tail is ignored and reported in `ignoredBytes`).
 *
 * @example
 * const { names, requests } = await readSegment(segment.path);
 */
export async function readSegment(path: string): Promise<FrameScan> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a segment of the spool
  return readFrames(await readFile(path));
}

/** The feature names of a segment, from its first frame only (empty when it has none). */
export async function segmentFeatureNames(path: string): Promise<readonly string[]> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a segment of the spool
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(12);
    await handle.read(head, 0, 12, 0);
    const len = head.readUInt32LE(4);
    const frame = Buffer.alloc(Math.min(12 + len, 16 << 20));
    const { bytesRead } = await handle.read(frame, 0, frame.length, 0);
    return readFrames(frame.subarray(0, bytesRead)).names;
  } finally {
    await handle.close();
  }
}
