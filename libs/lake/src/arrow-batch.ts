import {
  Bool,
  Field,
  Float32,
  Int32,
  List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';
import { lakeParquetColumns, type LakeParquetType } from '@lead-scoring/lake-schema';
import type { SpoolRequest } from './spool-frame';

const ARROW_TYPE: Readonly<Record<LakeParquetType, () => DataType>> = {
  string: () => new Utf8(),
  timestamp_ms: () => new TimestampMillisecond(),
  int32: () => new Int32(),
  'list<float>': () => new List(new Field('element', new Float32(), false)),
  boolean: () => new Bool(),
  float: () => new Float32(),
};

/**
 * The Arrow schema of a model's lake file, from the one lake schema: record columns, then one nullable float32
 * column per feature.
 *
 * @example
 * lakeArrowSchema(bundle.contract.names).fields.length; // 14 + feature count
 */
export function lakeArrowSchema(featureNames: readonly string[]): Schema {
  return new Schema(
    lakeParquetColumns(featureNames).map((c) => new Field(c.name, ARROW_TYPE[c.parquet](), c.nullable)),
  );
}

const bits = (n: number): Uint8Array => new Uint8Array((n + 7) >> 3);
const setBit = (b: Uint8Array, i: number): void => {
  b[i >> 3]! |= 1 << (i & 7);
};

/** UTF-8 strings as an Arrow column: offsets, bytes, and validity when some are null. */
function utf8(
  values: (i: number) => string | null,
  n: number,
  cache: Map<string, Uint8Array>,
  enc: { encode(s: string): Uint8Array },
): Data<Utf8> {
  const offsets = new Int32Array(n + 1);
  const parts: Uint8Array[] = new Array(n);
  const valid = bits(n);
  let total = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const s = values(i);
    if (s === null) {
      nulls++;
      parts[i] = EMPTY;
    } else {
      let b = cache.get(s);
      if (b === undefined) {
        b = enc.encode(s);
        cache.set(s, b);
      }
      parts[i] = b;
      total += b.length;
      setBit(valid, i);
    }
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < n; i++) data.set(parts[i]!, offsets[i]!);
  return makeData({
    type: new Utf8(),
    length: n,
    nullCount: nulls,
    valueOffsets: offsets,
    data,
    ...(nulls > 0 ? { nullBitmap: valid } : {}),
  });
}
const EMPTY = new Uint8Array(0);

/**
 * The leads of decoded spool requests as one Arrow table of the lake schema: strings encoded once per request,
 * timestamps written as int64 halves (no BigInt per lead), features transposed from row-major to one float32
 * column each, NaN becoming null.
 *
 * @example
 * const table = lakeTable(requests, names); // then parquet-out.ts writes it
 */
export function lakeTable(
  requests: readonly SpoolRequest[],
  featureNames: readonly string[],
  schema = lakeArrowSchema(featureNames),
): Table {
  let n = 0;
  let nProbs = 0;
  for (const r of requests) {
    n += r.n;
    for (let i = 0; i < r.n; i++) nProbs += r.probLen[i]!;
  }
  const width = featureNames.length;
  const reqOf = new Array<SpoolRequest>(n);
  const rowOf = new Int32Array(n);
  const tsWords = new Uint32Array(2 * n);
  const score = new Int32Array(n);
  const probability = new Float32Array(n);
  const probValid = bits(n);
  const latency = new Float32Array(n);
  const degraded = bits(n);
  const listOffsets = new Int32Array(n + 1);
  const listValid = bits(n);
  const probValues = new Float32Array(nProbs);
  const shadow = new ShadowColumns(n, requests);
  const features = Array.from({ length: width }, () => new Float32Array(n));
  const featureValid = Array.from({ length: width }, () => bits(n));
  const featureNulls = new Int32Array(width);
  let row = 0;
  let listAt = 0;
  let probNulls = 0;
  let listNulls = 0;
  for (const r of requests) {
    const w = Math.min(width, r.width);
    const lo = r.ts % 4294967296;
    const hi = Math.floor(r.ts / 4294967296);
    for (let i = 0; i < r.n; i++, row++) {
      reqOf[row] = r;
      rowOf[row] = i;
      tsWords[2 * row] = lo;
      tsWords[2 * row + 1] = hi;
      score[row] = r.score[i]!;
      const p = r.probability[i]!;
      if (p === p) {
        probability[row] = p;
        setBit(probValid, row);
      } else probNulls++;
      latency[row] = r.latencyMs;
      if (r.degraded) setBit(degraded, row);
      const len = r.probLen[i]!;
      if (len > 0) {
        probValues.set(r.probs.subarray(i * r.probWidth, i * r.probWidth + len), listAt);
        listAt += len;
        setBit(listValid, row);
      } else listNulls++;
      listOffsets[row + 1] = listAt;
      shadow.add(r, i, row);
      const base = i * r.width;
      for (let f = 0; f < w; f++) {
        const v = r.features[base + f]!;
        if (v === v) {
          features[f]![row] = v;
          setBit(featureValid[f]!, row);
        } else featureNulls[f]!++;
      }
      for (let f = w; f < width; f++) featureNulls[f]!++;
    }
  }
  const cache = new Map<string, Uint8Array>();
  const enc = new TextEncoder();
  const str = (pick: (r: SpoolRequest, i: number) => string | null): Data<Utf8> =>
    utf8((k) => pick(reqOf[k]!, rowOf[k]!), n, cache, enc);
  const nulls = (count: number, valid: Uint8Array): { nullCount: number; nullBitmap?: Uint8Array } =>
    count > 0 ? { nullCount: count, nullBitmap: valid } : { nullCount: 0 };
  const children: Data[] = [
    str((r) => r.requestId),
    str((r, i) => r.leadIds[i] ?? null),
    makeData({ type: new TimestampMillisecond(), length: n, data: new BigInt64Array(tsWords.buffer) }),
    str((r) => r.modelName),
    str((r) => r.modelVersion),
    makeData({ type: new Int32(), length: n, data: score }),
    makeData({
      type: schema.fields[6]!.type as List<Float32>,
      length: n,
      valueOffsets: listOffsets,
      ...nulls(listNulls, listValid),
      child: makeData({ type: new Float32(), length: nProbs, data: probValues }),
    }),
    makeData({ type: new Float32(), length: n, data: probability, ...nulls(probNulls, probValid) }),
    makeData({ type: new Float32(), length: n, data: latency }),
    makeData({ type: new Bool(), length: n, data: degraded }),
    ...shadow.columns(schema.fields[12]!.type as List<Float32>, (pick) => str((r) => pick(r))),
    ...features.map((data, f) =>
      makeData({ type: new Float32(), length: n, data, ...nulls(featureNulls[f]!, featureValid[f]!) }),
    ),
  ];
  const struct = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** The four shadow columns of a table's leads: null where a lead has no shadow result. */
class ShadowColumns {
  private readonly score: Int32Array;
  private readonly valid: Uint8Array;
  private readonly probability: Float32Array;
  private readonly probValid: Uint8Array;
  private readonly listOffsets: Int32Array;
  private readonly listValid: Uint8Array;
  private readonly probValues: Float32Array;
  private nulls = 0;
  private probNulls = 0;
  private listNulls = 0;
  private listAt = 0;

  constructor(
    private readonly n: number,
    requests: readonly SpoolRequest[],
  ) {
    let nProbs = 0;
    for (const r of requests) if (r.shadow) for (let i = 0; i < r.shadow.n; i++) nProbs += r.shadow.probLen[i]!;
    this.score = new Int32Array(n);
    this.valid = bits(n);
    this.probability = new Float32Array(n);
    this.probValid = bits(n);
    this.listOffsets = new Int32Array(n + 1);
    this.listValid = bits(n);
    this.probValues = new Float32Array(nProbs);
  }

  add(r: SpoolRequest, i: number, row: number): void {
    const s = r.shadow;
    if (s === null) {
      this.nulls++;
      this.probNulls++;
      this.listNulls++;
    } else {
      this.score[row] = s.score[i]!;
      setBit(this.valid, row);
      const p = s.probability[i]!;
      if (p === p) {
        this.probability[row] = p;
        setBit(this.probValid, row);
      } else this.probNulls++;
      const len = s.probLen[i]!;
      if (len > 0) {
        this.probValues.set(s.probs.subarray(i * s.probWidth, i * s.probWidth + len), this.listAt);
        this.listAt += len;
        setBit(this.listValid, row);
      } else this.listNulls++;
    }
    this.listOffsets[row + 1] = this.listAt;
  }

  /** shadow_model_version, shadow_score, shadow_probabilities, shadow_probability. */
  columns(listType: List<Float32>, str: (pick: (r: SpoolRequest) => string | null) => Data<Utf8>): Data[] {
    const n = this.n;
    const nulls = (count: number, valid: Uint8Array): { nullCount: number; nullBitmap?: Uint8Array } =>
      count > 0 ? { nullCount: count, nullBitmap: valid } : { nullCount: 0 };
    return [
      str((r) => r.shadow?.modelVersion ?? null),
      makeData({ type: new Int32(), length: n, data: this.score, ...nulls(this.nulls, this.valid) }),
      makeData({
        type: listType,
        length: n,
        valueOffsets: this.listOffsets,
        ...nulls(this.listNulls, this.listValid),
        child: makeData({ type: new Float32(), length: this.probValues.length, data: this.probValues }),
      }),
      makeData({ type: new Float32(), length: n, data: this.probability, ...nulls(this.probNulls, this.probValid) }),
    ];
  }
}
