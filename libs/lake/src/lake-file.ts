import { closeSync, constants, ftruncateSync, openSync, writeSync } from 'node:fs';
import { writePieces } from './parquet-file-out';

/** O_DIRECT needs the buffer address, file offset and length aligned to the device's block (512 B or 4 KiB). */
const BLOCK = 4096;
const STAGING_BYTES = 4 << 20;

/** A staging area whose address is page-aligned: a WebAssembly memory is mapped at a page boundary. */
function alignedStaging(bytes: number): Uint8Array {
  return new Uint8Array(new WebAssembly.Memory({ initial: Math.ceil(bytes / 65_536) }).buffer, 0, bytes);
}

/** One file being written; `close()` completes it, `abort()` only releases it. */
export interface LakeFile {
  write(pieces: readonly Uint8Array[]): void;
  close(): void;
  abort(): void;
}

/**
 * Opens lake files for blocking, sequential writes (the Parquet thread's path). Files go out with O_DIRECT
 * through an aligned staging area, past the page cache: a buffered write copies every byte into page
 * cache pages that the kernel must allocate and later write back, and on a VM whose free memory the host
 * reclaims that cost up to ~10 µs of system time per 4 KiB page. With O_DIRECT the device reads the
 * staging area.
 * Where O_DIRECT is refused (no such flag on the platform, a file system or alignment that rejects it),
 * this and every later file are written through the page cache instead; the bytes are the same.
 * One file at a time: the files of one LakeFiles share its staging area.
 *
 * @example
 * const file = new LakeFiles().open('/lake/part-1.parquet.tmp');
 * file.write(pieces); file.close();
 */
export class LakeFiles {
  private direct: boolean;
  private staging: Uint8Array | null;
  /** A file is using the staging area. */
  private busy = false;

  /** `staging`: the area O_DIRECT writes from (default 4 MiB, page-aligned); its length must be a multiple of 4 KiB. */
  constructor(opts: { staging?: Uint8Array; direct?: boolean } = {}) {
    this.direct = (opts.direct ?? true) && constants.O_DIRECT !== undefined;
    this.staging = opts.staging ?? null;
    if (this.staging && this.staging.length % BLOCK !== 0) throw new RangeError(`staging length must be a multiple of ${BLOCK}`);
  }

  /** Whether files are still written with O_DIRECT. */
  get directIo(): boolean {
    return this.direct;
  }

  /** Creates (or truncates) `path`; throws while another file of this LakeFiles is open with O_DIRECT. */
  open(path: string): LakeFile {
    if (this.busy) throw new Error('LakeFiles: the previous file is still open (files share one staging area)');
    if (this.direct) {
      try {
        this.staging ??= alignedStaging(STAGING_BYTES);
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- a temp name the sink built under LAKE_DIR
        const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DIRECT, 0o644);
        this.busy = true;
        return new DirectFile(fd, path, this.staging, {
          refused: () => (this.direct = false),
          released: () => (this.busy = false),
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
        this.direct = false;
      }
    }
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- as above
    return bufferedFile(openSync(path, 'w'));
  }
}

function bufferedFile(fd: number): LakeFile {
  let open = true;
  const release = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  return { write: (pieces) => writePieces(fd, pieces), close: release, abort: release };
}

/** Fills the staging area and writes it out in whole blocks; the last block is padded, then cut back. */
class DirectFile implements LakeFile {
  private staged = 0;
  private written = 0;
  private fallback: LakeFile | null = null;

  constructor(
    private fd: number,
    private readonly path: string,
    private readonly staging: Uint8Array,
    private readonly owner: { refused(): void; released(): void },
  ) {}

  write(pieces: readonly Uint8Array[]): void {
    if (this.fallback) return this.fallback.write(pieces);
    const cap = this.staging.length;
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      for (let at = 0; at < p.length; ) {
        const n = Math.min(p.length - at, cap - this.staged);
        this.staging.set(n === p.length ? p : p.subarray(at, at + n), this.staged);
        this.staged += n;
        at += n;
        if (this.staged < cap) continue;
        this.writeOut(cap);
        const fallback = this.fallback as LakeFile | null; // set by writeOut when O_DIRECT was refused
        if (fallback) return fallback.write([p.subarray(at), ...pieces.slice(i + 1)]);
      }
    }
  }

  close(): void {
    try {
      if (this.fallback) return;
      const size = this.written + this.staged;
      const padded = Math.ceil(this.staged / BLOCK) * BLOCK;
      this.staging.fill(0, this.staged, padded);
      this.writeOut(padded);
      if (!this.fallback) ftruncateSync(this.fd, size);
    } finally {
      this.abort(); // a buffered file's close and abort are the same release
    }
  }

  abort(): void {
    try {
      if (this.fallback) this.fallback.abort();
      else if (this.fd >= 0) closeSync(this.fd);
    } finally {
      this.fd = -1;
      this.owner.released();
    }
  }

  /** Writes the first `n` bytes of the staging area (all it holds, padded to whole blocks). */
  private writeOut(n: number): void {
    for (let done = 0; done < n; ) {
      try {
        done += writeSync(this.fd, this.staging, done, n - done, this.written + done);
      } catch (err) {
        // Refused before anything reached the file: the same bytes go through the page cache instead.
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL' || this.written + done > 0) throw err;
        this.refuse();
        return;
      }
    }
    this.written += n;
    this.staged = 0;
  }

  private refuse(): void {
    this.owner.refused();
    closeSync(this.fd);
    this.fd = -1;
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- reopened by the name it was opened with
    this.fallback = bufferedFile(openSync(this.path, 'w'));
    this.fallback.write([this.staging.subarray(0, this.staged)]);
    this.staged = 0;
  }
}
