import { crc32 } from 'node:zlib';
import type { ScoredEvent, ShadowOutcome } from '@lead-scoring/metrics';
import { LakeError } from './errors';

/*
 * One spool frame (little-endian): a 12-byte header, `magic | payload length | CRC-32 of the payload`, then the
 * payload. Kind 1 (a segment's first frame) names the feature columns; kind 2 is one scored request:
 *   f64 ts, f64 latency_ms, u8 degraded, u8 probWidth, u16 width, u32 n, str request_id, str model_name,
 *   str model_version, i32[n] score, f64[n] probability (NaN = null), u8[n] probabilities' length,
 *   f64[n * probWidth] probabilities, n lead ids (u16 length, 0xFFFF = null, then UTF-8), f32[n * width] features.
 * Kind 3 is the shadow model's result for the leads of a request frame written before it in the same segment
 * (docs/adr/0011-shadow-scoring.md):
 *   u8 probWidth, u32 n, str request_id, str model_version, i32[n] score, f64[n] probability (NaN = null),
 *   u8[n] probabilities' length, f64[n * probWidth] probabilities.
 * A string is a u16 byte length and its UTF-8. A crash can leave the last frame of a segment torn: the reader
 * stops at the first frame whose header, length or checksum does not hold.
 */
export const FRAME_MAGIC = 0x314b414c; // "LAK1"
export const FRAME_HEADER = 12;
const KIND_SCHEMA = 1;
const KIND_REQUEST = 2;
const KIND_SHADOW = 3;
const NULL_ID = 0xffff;

/** A decoded request frame: one scored request's leads, columns by lead. */
export interface SpoolRequest {
  readonly requestId: string;
  readonly ts: number;
  readonly modelName: string;
  readonly modelVersion: string;
  readonly latencyMs: number;
  readonly degraded: boolean;
  readonly n: number;
  readonly width: number;
  readonly probWidth: number;
  readonly score: Int32Array;
  readonly probability: Float64Array;
  readonly probLen: Uint8Array;
  readonly probs: Float64Array;
  readonly leadIds: readonly (string | null)[];
  readonly features: Float32Array;
  /** The shadow model's result for these leads, joined from its frame; null when there is none. */
  shadow: SpoolShadow | null;
}

/** A decoded shadow frame: the shadow model's result for the leads of one request. */
export interface SpoolShadow {
  readonly requestId: string;
  readonly modelVersion: string;
  readonly n: number;
  readonly probWidth: number;
  readonly score: Int32Array;
  readonly probability: Float64Array;
  readonly probLen: Uint8Array;
  readonly probs: Float64Array;
}

/** Grows a reusable buffer; the request path encodes every frame into the same one. */
export class FrameBuffer {
  buf = Buffer.allocUnsafe(64 * 1024);

  ensure(bytes: number): Buffer {
    if (this.buf.length < bytes) this.buf = Buffer.allocUnsafe(Math.max(bytes, this.buf.length * 2));
    return this.buf;
  }
}

function putString(buf: Buffer, at: number, s: string): number {
  const len = buf.write(s, at + 2, 'utf8');
  if (len >= NULL_ID) throw new LakeError('LAKE_FRAME_INVALID', `a string of ${len} bytes does not fit a spool frame`);
  buf.writeUInt16LE(len, at);
  return at + 2 + len;
}

function seal(buf: Buffer, end: number): number {
  buf.writeUInt32LE(FRAME_MAGIC, 0);
  buf.writeUInt32LE(end - FRAME_HEADER, 4);
  buf.writeUInt32LE(crc32(buf.subarray(FRAME_HEADER, end)), 8);
  return end;
}

/**
 * Encodes a segment's schema frame (the feature names) into `out`; returns its length.
 *
 * @example
 * const len = encodeSchemaFrame(out, bundle.contract.names); writeSync(fd, out.buf, 0, len);
 */
export function encodeSchemaFrame(out: FrameBuffer, names: readonly string[]): number {
  const buf = out.ensure(FRAME_HEADER + 3 + names.reduce((s, n) => s + 2 + n.length * 3, 0));
  buf.writeUInt8(KIND_SCHEMA, FRAME_HEADER);
  buf.writeUInt16LE(names.length, FRAME_HEADER + 1);
  let at = FRAME_HEADER + 3;
  for (const name of names) at = putString(buf, at, name);
  return seal(buf, at);
}

/**
 * Encodes one scored request into `out` (no allocation per lead); returns the frame's length. Features past
 * `x`'s end are written as missing.
 *
 * @example
 * const len = encodeRequestFrame(out, event, names.length);
 */
export function encodeRequestFrame(out: FrameBuffer, e: ScoredEvent, width: number): number {
  const n = e.nRows;
  let probWidth = 0;
  for (let i = 0; i < n; i++) probWidth = Math.max(probWidth, e.results[i]?.probabilities?.length ?? 0);
  if (probWidth > 255)
    throw new LakeError('LAKE_FRAME_INVALID', `${probWidth} class probabilities do not fit a spool frame`);
  const ids = e.leadIds;
  let idBytes = 0;
  if (ids) for (let i = 0; i < n; i++) idBytes += (ids[i]?.length ?? 0) * 3;
  const strings = (e.requestId.length + e.model.name.length + e.model.version.length) * 3 + 6;
  const buf = out.ensure(FRAME_HEADER + 25 + strings + n * (15 + 8 * probWidth + 2 + 4 * width) + idBytes);
  let at = FRAME_HEADER;
  buf.writeUInt8(KIND_REQUEST, at);
  buf.writeDoubleLE(e.ts ?? Date.now(), at + 1);
  buf.writeDoubleLE(e.latencyMs, at + 9);
  buf.writeUInt8(e.degraded ? 1 : 0, at + 17);
  buf.writeUInt8(probWidth, at + 18);
  buf.writeUInt16LE(width, at + 19);
  buf.writeUInt32LE(n, at + 21);
  at = putString(buf, at + 25, e.requestId);
  at = putString(buf, at, e.model.name);
  at = putString(buf, at, e.model.version);
  for (let i = 0; i < n; i++, at += 4) buf.writeInt32LE(e.results[i]?.score ?? 0, at);
  for (let i = 0; i < n; i++, at += 8) buf.writeDoubleLE(e.results[i]?.probability ?? NaN, at);
  for (let i = 0; i < n; i++, at++) buf.writeUInt8(e.results[i]?.probabilities?.length ?? 0, at);
  for (let i = 0; i < n; i++) {
    const p = e.results[i]?.probabilities;
    for (let j = 0; j < probWidth; j++, at += 8) buf.writeDoubleLE(p?.[j] ?? NaN, at);
  }
  for (let i = 0; i < n; i++) {
    const id = ids?.[i];
    if (id === null || id === undefined) {
      buf.writeUInt16LE(NULL_ID, at);
      at += 2;
    } else at = putString(buf, at, id);
  }
  const floats = n * width;
  const x = e.x.length >= floats ? e.x.subarray(0, floats) : e.x;
  buf.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), at);
  // Rows the caller's array does not cover are missing values (NaN), never stale bytes of an earlier frame.
  for (let k = x.length; k < floats; k++) buf.writeFloatLE(NaN, at + k * 4);
  return seal(buf, at + floats * 4);
}

/**
 * Encodes the shadow model's result for the leads of request `requestId` into `out`; returns the frame's length.
 *
 * @example
 * const len = encodeShadowFrame(out, event.requestId, outcome);
 */
export function encodeShadowFrame(out: FrameBuffer, requestId: string, s: ShadowOutcome): number {
  const n = s.results.length;
  let probWidth = 0;
  for (let i = 0; i < n; i++) probWidth = Math.max(probWidth, s.results[i]?.probabilities?.length ?? 0);
  if (probWidth > 255)
    throw new LakeError('LAKE_FRAME_INVALID', `${probWidth} class probabilities do not fit a spool frame`);
  const buf = out.ensure(
    FRAME_HEADER + 10 + (requestId.length + s.model.version.length) * 3 + n * (13 + 8 * probWidth),
  );
  let at = FRAME_HEADER;
  buf.writeUInt8(KIND_SHADOW, at);
  buf.writeUInt8(probWidth, at + 1);
  buf.writeUInt32LE(n, at + 2);
  at = putString(buf, at + 6, requestId);
  at = putString(buf, at, s.model.version);
  for (let i = 0; i < n; i++, at += 4) buf.writeInt32LE(s.results[i]?.score ?? 0, at);
  for (let i = 0; i < n; i++, at += 8) buf.writeDoubleLE(s.results[i]?.probability ?? NaN, at);
  for (let i = 0; i < n; i++, at++) buf.writeUInt8(s.results[i]?.probabilities?.length ?? 0, at);
  for (let i = 0; i < n; i++) {
    const p = s.results[i]?.probabilities;
    for (let j = 0; j < probWidth; j++, at += 8) buf.writeDoubleLE(p?.[j] ?? NaN, at);
  }
  return seal(buf, at);
}

/** What {@link readFrames} found in a segment. */
export interface FrameScan {
  /** The feature names of the segment's schema frame (empty when it has none). */
  readonly names: readonly string[];
  readonly requests: SpoolRequest[];
  /** Bytes past the last valid frame (a torn or corrupt tail), ignored. */
  readonly ignoredBytes: number;
  /** Shadow frames with no request frame of the same id and lead count before them in the segment, ignored. */
  readonly orphanShadows: number;
}

/**
 * Decodes a segment's frames, stopping at the first one that is torn or fails its checksum. Each shadow frame is
 * joined to the latest request frame of its request id (and lead count) that has no shadow result yet.
 *
 * @example
 * const { names, requests, ignoredBytes } = readFrames(readFileSync(segmentPath));
 */
export function readFrames(buf: Buffer): FrameScan {
  let names: readonly string[] = [];
  const requests: SpoolRequest[] = [];
  const waiting = new Map<string, SpoolRequest>();
  let orphanShadows = 0;
  let at = 0;
  while (at + FRAME_HEADER <= buf.length) {
    const len = buf.readUInt32LE(at + 4);
    const end = at + FRAME_HEADER + len;
    if (buf.readUInt32LE(at) !== FRAME_MAGIC || len === 0 || end > buf.length) break;
    const payload = buf.subarray(at + FRAME_HEADER, end);
    if (crc32(payload) !== buf.readUInt32LE(at + 8)) break;
    const kind = payload.readUInt8(0);
    if (kind === KIND_SCHEMA) names = decodeSchema(payload);
    else if (kind === KIND_REQUEST) {
      const r = decodeRequest(payload);
      requests.push(r);
      waiting.set(r.requestId, r);
    } else if (kind === KIND_SHADOW) {
      const sh = decodeShadow(payload);
      const r = waiting.get(sh.requestId);
      if (r && r.n === sh.n) {
        r.shadow = sh;
        waiting.delete(sh.requestId);
      } else orphanShadows++;
    } else break;
    at = end;
  }
  return { names, requests, ignoredBytes: buf.length - at, orphanShadows };
}

function getString(p: Buffer, at: number): [string | null, number] {
  const len = p.readUInt16LE(at);
  if (len === NULL_ID) return [null, at + 2];
  return [p.toString('utf8', at + 2, at + 2 + len), at + 2 + len];
}

function decodeSchema(p: Buffer): string[] {
  const count = p.readUInt16LE(1);
  const names: string[] = [];
  let at = 3;
  for (let i = 0; i < count; i++) {
    const [name, next] = getString(p, at);
    names.push(name ?? '');
    at = next;
  }
  return names;
}

function decodeRequest(p: Buffer): SpoolRequest {
  const n = p.readUInt32LE(21);
  const probWidth = p.readUInt8(18);
  const width = p.readUInt16LE(19);
  let at = 25;
  const [requestId, a1] = getString(p, at);
  const [modelName, a2] = getString(p, a1);
  const [modelVersion, a3] = getString(p, a2);
  at = a3;
  // One allocation per request for its numeric columns (a 1-lead request would otherwise cost five), each column
  // copied in as bytes: frame offsets are not aligned for typed-array views.
  const mem = new ArrayBuffer(8 * n * (1 + probWidth) + 4 * n * (1 + width) + n);
  const bytes = new Uint8Array(mem);
  const take = (from: number, len: number, to: number): void => bytes.set(p.subarray(from, from + len), to);
  const doubles = 8 * n * (1 + probWidth);
  const probability = new Float64Array(mem, 0, n);
  const probs = new Float64Array(mem, 8 * n, n * probWidth);
  const score = new Int32Array(mem, doubles, n);
  const features = new Float32Array(mem, doubles + 4 * n, n * width);
  const probLen = new Uint8Array(mem, doubles + 4 * n * (1 + width), n);
  take(at, 4 * n, score.byteOffset);
  at += 4 * n;
  take(at, 8 * n, probability.byteOffset);
  at += 8 * n;
  take(at, n, probLen.byteOffset);
  at += n;
  take(at, 8 * n * probWidth, probs.byteOffset);
  at += 8 * n * probWidth;
  const leadIds: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) [leadIds[i], at] = getString(p, at);
  take(at, 4 * n * width, features.byteOffset);
  return {
    requestId: requestId ?? '',
    ts: p.readDoubleLE(1),
    latencyMs: p.readDoubleLE(9),
    degraded: p.readUInt8(17) === 1,
    modelName: modelName ?? '',
    modelVersion: modelVersion ?? '',
    n,
    width,
    probWidth,
    score,
    probability,
    probLen,
    probs,
    leadIds,
    features,
    shadow: null,
  };
}

function decodeShadow(p: Buffer): SpoolShadow {
  const probWidth = p.readUInt8(1);
  const n = p.readUInt32LE(2);
  const [requestId, a1] = getString(p, 6);
  const [modelVersion, a2] = getString(p, a1);
  let at = a2;
  const score = new Int32Array(n);
  const probability = new Float64Array(n);
  const probLen = new Uint8Array(n);
  const probs = new Float64Array(n * probWidth);
  for (let i = 0; i < n; i++, at += 4) score[i] = p.readInt32LE(at);
  for (let i = 0; i < n; i++, at += 8) probability[i] = p.readDoubleLE(at);
  for (let i = 0; i < n; i++, at++) probLen[i] = p.readUInt8(at);
  for (let k = 0; k < n * probWidth; k++, at += 8) probs[k] = p.readDoubleLE(at);
  return {
    requestId: requestId ?? '',
    modelVersion: modelVersion ?? '',
    n,
    probWidth,
    score,
    probability,
    probLen,
    probs,
  };
}
