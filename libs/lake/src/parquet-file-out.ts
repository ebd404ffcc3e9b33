import { writeSync, writevSync } from 'node:fs';
import type { ByteWriter } from './byte-writer';

/**
 * The bytes of a Parquet file being encoded: page headers and small bodies go into a ByteWriter; large
 * value arrays (the feature columns, in FeatureColumns' memory) are referenced in place when the file
 * is streamed, so each byte is copied once, by the kernel's write, instead of three times.
 */
export class FileOut {
  /** File offset of `w`'s byte 0. */
  private base = 0;
  /** Bytes referenced in place since the last flush. */
  private referenced = 0;
  private readonly pieces: Uint8Array[] = [];
  /** Start in `w` of the bytes not yet in `pieces`. */
  private mark = 0;

  constructor(readonly w: ByteWriter, private readonly streaming: boolean) {}

  /** File offset of the next byte. */
  offset(): number {
    return this.base + this.w.pos + this.referenced;
  }

  /** Appends `bytes`: referenced in place when streaming (they must not change until the next flush), else copied. */
  append(bytes: Uint8Array): void {
    if (!this.streaming) return this.w.bytes(bytes);
    this.pieces.push(this.w.buf.subarray(this.mark, this.w.pos), bytes);
    this.mark = this.w.pos;
    this.referenced += bytes.length;
  }

  /** The bytes since the last flush, in order (valid until encoding goes on); starts over. */
  flush(): Uint8Array[] {
    const out = [...this.pieces, this.w.buf.subarray(this.mark, this.w.pos)];
    this.base += this.w.pos + this.referenced;
    this.pieces.length = 0;
    this.referenced = 0;
    this.mark = 0;
    this.w.pos = 0;
    return out;
  }
}

/**
 * Blocking write of all of `pieces` with writev (no copy into one buffer), at most 256 pieces per call
 * (IOV_MAX is 1,024); a short write finishes piece by piece.
 */
export function writePieces(fd: number, pieces: readonly Uint8Array[]): void {
  for (let i = 0; i < pieces.length; i += 256) {
    const batch = pieces.slice(i, i + 256);
    let done = writevSync(fd, batch);
    for (const p of batch) {
      if (done >= p.length) {
        done -= p.length;
        continue;
      }
      for (let at = done; at < p.length; ) at += writeSync(fd, p, at, p.length - at);
      done = 0;
    }
  }
}
