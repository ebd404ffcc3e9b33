import { EvaluatorError, EvaluatorErrorCode } from './errors';

/**
 * Decodes the UBJSON that XGBoost's `save_model("*.ubj")` writes (draft 12, with optimized
 * strongly-typed containers `[$d#L…` for the big tree arrays).
 *
 * Typed numeric arrays come back as typed arrays (Float32Array, Int32Array, …) rather than
 * JS arrays: a 500-tree model holds millions of numbers and boxing each costs most of the load time.
 */
export function decodeUbjson(bytes: Uint8Array): unknown {
  const reader = new UbjReader(bytes);
  const value = reader.value();
  if (reader.pos !== bytes.length) fail(`trailing bytes at offset ${reader.pos}`);
  return value;
}

function fail(message: string): never {
  throw new EvaluatorError(EvaluatorErrorCode.PARSE_FAILED, `UBJSON model: ${message}`);
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });
const MAX_DEPTH = 64;

class UbjReader {
  pos = 0;
  private readonly view: DataView;
  private depth = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  value(): unknown {
    return this.typed(this.marker());
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) fail(`truncated at offset ${this.pos}`);
  }

  private marker(): number {
    this.need(1);
    let m = this.bytes[this.pos++]!;
    while (m === 0x4e /* N no-op */) {
      this.need(1);
      m = this.bytes[this.pos++]!;
    }
    return m;
  }

  private typed(m: number): unknown {
    switch (String.fromCharCode(m)) {
      case 'Z':
        return null;
      case 'T':
        return true;
      case 'F':
        return false;
      case 'i':
      case 'U':
      case 'I':
      case 'l':
      case 'L':
      case 'd':
      case 'D':
        return this.number(m);
      case 'C':
        this.need(1);
        return String.fromCharCode(this.bytes[this.pos++]!);
      case 'S':
      case 'H':
        return this.string();
      case '[':
        return this.nested(() => this.array());
      case '{':
        return this.nested(() => this.object());
      default:
        return fail(`unknown type marker 0x${m.toString(16)} at offset ${this.pos - 1}`);
    }
  }

  private nested<T>(read: () => T): T {
    if (++this.depth > MAX_DEPTH) fail('nesting too deep');
    const out = read();
    this.depth--;
    return out;
  }

  private number(m: number): number {
    const v = this.view;
    const p = this.pos;
    switch (m) {
      case 0x69: // i int8
        this.need(1);
        this.pos += 1;
        return v.getInt8(p);
      case 0x55: // U uint8
        this.need(1);
        this.pos += 1;
        return v.getUint8(p);
      case 0x49: // I int16
        this.need(2);
        this.pos += 2;
        return v.getInt16(p);
      case 0x6c: // l int32
        this.need(4);
        this.pos += 4;
        return v.getInt32(p);
      case 0x4c: // L int64
        this.need(8);
        this.pos += 8;
        return Number(v.getBigInt64(p));
      case 0x64: // d float32
        this.need(4);
        this.pos += 4;
        return v.getFloat32(p);
      case 0x44: // D float64
        this.need(8);
        this.pos += 8;
        return v.getFloat64(p);
      default:
        return fail(`expected a number marker at offset ${p - 1}`);
    }
  }

  private length(): number {
    const n = this.number(this.marker());
    if (!Number.isSafeInteger(n) || n < 0) fail(`invalid length ${n} at offset ${this.pos}`);
    return n;
  }

  private string(): string {
    const n = this.length();
    this.need(n);
    const s = textDecoder.decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }

  /** Reads an optional `$type#count` header; returns the element marker (0 = mixed) and count (-1 = open). */
  private header(): { type: number; count: number } {
    this.need(1);
    let type = 0;
    if (this.bytes[this.pos] === 0x24 /* $ */) {
      this.pos++;
      this.need(1);
      type = this.bytes[this.pos++]!;
      this.need(1);
      if (this.bytes[this.pos] !== 0x23) fail(`'$' without '#' at offset ${this.pos}`);
    }
    if (this.bytes[this.pos] === 0x23 /* # */) {
      this.pos++;
      return { type, count: this.length() };
    }
    return { type, count: -1 };
  }

  private array(): unknown[] | ArrayLike<number> {
    const { type, count } = this.header();
    if (type !== 0) return this.typedArray(type, count);
    const out: unknown[] = [];
    if (count >= 0) {
      for (let i = 0; i < count; i++) out.push(this.value());
      return out;
    }
    for (;;) {
      const m = this.marker();
      if (m === 0x5d /* ] */) return out;
      out.push(this.typed(m));
    }
  }

  private typedArray(type: number, count: number): ArrayLike<number> {
    const width = { 0x69: 1, 0x55: 1, 0x49: 2, 0x6c: 4, 0x4c: 8, 0x64: 4, 0x44: 8 }[type];
    if (width === undefined) {
      const out: unknown[] = [];
      for (let i = 0; i < count; i++) out.push(this.typed(type));
      return out as unknown as ArrayLike<number>;
    }
    this.need(count * width);
    const v = this.view;
    const p = this.pos;
    this.pos += count * width;
    // UBJSON is big-endian; copy element by element through DataView (fast enough: ~2 ns each).
    switch (type) {
      case 0x64: {
        const a = new Float32Array(count);
        for (let i = 0; i < count; i++) a[i] = v.getFloat32(p + 4 * i);
        return a;
      }
      case 0x44: {
        const a = new Float64Array(count);
        for (let i = 0; i < count; i++) a[i] = v.getFloat64(p + 8 * i);
        return a;
      }
      case 0x6c: {
        const a = new Int32Array(count);
        for (let i = 0; i < count; i++) a[i] = v.getInt32(p + 4 * i);
        return a;
      }
      case 0x4c: {
        const a = new Float64Array(count);
        for (let i = 0; i < count; i++) a[i] = Number(v.getBigInt64(p + 8 * i));
        return a;
      }
      case 0x49: {
        const a = new Int16Array(count);
        for (let i = 0; i < count; i++) a[i] = v.getInt16(p + 2 * i);
        return a;
      }
      case 0x69:
        return new Int8Array(this.bytes.buffer.slice(this.bytes.byteOffset + p, this.bytes.byteOffset + p + count));
      default:
        return this.bytes.slice(p, p + count);
    }
  }

  private object(): Record<string, unknown> {
    const { type, count } = this.header();
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const readValue = () => (type !== 0 ? this.typed(type) : this.value());
    if (count >= 0) {
      for (let i = 0; i < count; i++) out[this.string()] = readValue();
      return out;
    }
    for (;;) {
      this.need(1);
      if (this.bytes[this.pos] === 0x7d /* } */) {
        this.pos++;
        return out;
      }
      out[this.string()] = readValue();
    }
  }
}
