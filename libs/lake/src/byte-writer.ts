/**
 * Growable little-endian byte buffer and a minimal Thrift compact-protocol struct writer: just what the
 * lake's Parquet encoder needs (i32, i64, binary, list, struct fields). Field ids must ascend within a struct.
 */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(capacity = 1 << 16) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }

  /** Unsigned LEB128 varint of a non-negative integer up to 2^53. */
  varint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The bytes of a typed array, as stored (the encoder checks the platform is little-endian). */
  typed(a: ArrayBufferView, byteLength = a.byteLength): void {
    this.bytes(new Uint8Array(a.buffer, a.byteOffset, byteLength));
  }

  /** UTF-8 bytes with no length prefix; returns their count. */
  utf8(s: string): number {
    this.ensure(s.length * 3);
    const n = this.utf8At(s, this.pos);
    this.pos += n;
    return n;
  }

  /** Parquet PLAIN BYTE_ARRAY: 4-byte little-endian length, then the UTF-8 bytes. */
  lengthPrefixed(s: string): void {
    this.ensure(4 + s.length * 3);
    const n = this.utf8At(s, this.pos + 4);
    this.buf.writeUInt32LE(n, this.pos);
    this.pos += 4 + n;
  }

  /** Writes `s` as UTF-8 at `at` (room ensured by the caller); returns the byte count. */
  private utf8At(s: string, at: number): number {
    const len = s.length;
    const buf = this.buf;
    // Short ASCII strings (ids, model names) byte by byte: cheaper than a native utf8 write call each.
    let i = 0;
    if (len <= 64) {
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[at + i] = c;
      }
    }
    return i === len ? len : buf.write(s, at, 'utf8');
  }

  /** Appends `times` more copies of the bytes written since `from` (a repeated value), doubling each copy. */
  repeatLast(from: number, times: number): void {
    const len = this.pos - from;
    if (times <= 0 || len === 0) return;
    this.ensure(len * times);
    const end = this.pos + len * times;
    let have = len;
    while (this.pos < end) {
      const n = Math.min(have, end - this.pos);
      this.buf.copyWithin(this.pos, from, from + n);
      this.pos += n;
      have += n;
    }
  }

  /** One RLE run of the RLE/bit-packed hybrid for values < 256: header varint, then the value byte. */
  rleRun(count: number, value: number): void {
    this.varint(count * 2);
    this.u8(value);
  }

  /** Reserves a 4-byte length slot; `endLength(slot)` fills it with the bytes written since. */
  beginLength(): number {
    this.ensure(4);
    this.pos += 4;
    return this.pos;
  }

  endLength(start: number): void {
    this.buf.writeUInt32LE(this.pos - start, start - 4);
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** Thrift compact-protocol element types. */
export const T = { I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

/** Thrift compact-protocol writer over a {@link ByteWriter}. */
export class ThriftWriter {
  private last = 0;
  private readonly stack: number[] = [];

  constructor(readonly w: ByteWriter) {}

  private header(id: number, type: number): void {
    const delta = id - this.last;
    if (delta > 0 && delta <= 15) this.w.u8((delta << 4) | type);
    else {
      this.w.u8(type);
      this.w.varint(((id << 1) ^ (id >> 31)) >>> 0);
    }
    this.last = id;
  }

  private zigzag(v: number): void {
    // Non-negative values only here (sizes, offsets, enums): zigzag(v) = 2v.
    this.w.varint(v * 2);
  }

  i32(id: number, v: number): void {
    this.header(id, T.I32);
    this.zigzag(v);
  }

  i64(id: number, v: number): void {
    this.header(id, T.I64);
    this.zigzag(v);
  }

  string(id: number, s: string): void {
    this.header(id, T.BINARY);
    this.w.varint(Buffer.byteLength(s, 'utf8'));
    this.w.utf8(s);
  }

  /** A list field header; then write `size` elements (`listI32`, `listString`, or `begin()`/`end()` structs). */
  list(id: number, elemType: number, size: number): void {
    this.header(id, T.LIST);
    if (size < 15) this.w.u8((size << 4) | elemType);
    else {
      this.w.u8(0xf0 | elemType);
      this.w.varint(size);
    }
  }

  elemI32(v: number): void {
    this.zigzag(v);
  }

  elemString(s: string): void {
    this.w.varint(Buffer.byteLength(s, 'utf8'));
    this.w.utf8(s);
  }

  /** Bytes encoded earlier by a writer in the same state, ending with field `lastId` of the current struct. */
  raw(bytes: Uint8Array, lastId: number): void {
    this.w.bytes(bytes);
    this.last = lastId;
  }

  /** Starts a struct-typed field (`id`) or, without id, a struct list element. */
  begin(id?: number): void {
    if (id !== undefined) this.header(id, T.STRUCT);
    this.stack.push(this.last);
    this.last = 0;
  }

  end(): void {
    this.w.u8(0);
    this.last = this.stack.pop() ?? 0;
  }
}
