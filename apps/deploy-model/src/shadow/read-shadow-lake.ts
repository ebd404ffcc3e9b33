import { listLakeFiles, readLakeColumns, type LakeFile } from '@lead-scoring/lake';
import { DeployError } from '../errors';

/** One lead of the lake with both results (the shadow's may be absent). */
export interface ShadowLakeRow {
  readonly ts: number;
  readonly modelVersion: string;
  readonly score: number;
  readonly probabilities: readonly number[] | null;
  readonly probability: number | null;
  readonly shadowVersion: string | null;
  readonly shadowScore: number | null;
  readonly shadowProbabilities: readonly number[] | null;
  readonly shadowProbability: number | null;
  /** The production features by name, when asked for (`featureNames`); NaN = missing. */
  readonly x: Float32Array | null;
}

/** What was read: the rows, and the files they came from. */
export interface ShadowLakeRead {
  readonly rows: ShadowLakeRow[];
  readonly files: number;
  /** Files written before the lake had shadow columns: their leads count as not shadowed. */
  readonly filesWithoutShadow: number;
}

const RECORD = ['ts', 'model_version', 'score', 'probabilities', 'probability'];
const SHADOW = ['shadow_model_version', 'shadow_score', 'shadow_probabilities', 'shadow_probability'];

/**
 * Reads the leads of a local lake folder since `since` (epoch ms; the partitions before its hour are not opened)
 * with hyparquet (the lake reader of @lead-scoring/lake). Feature values come from one column per feature (the
 * local lake) or the `features` map (the Firehose lake), when `featureNames` asks for them.
 *
 * @example
 * const { rows } = await readShadowLake('var/lake', { since: Date.now() - 86_400_000 });
 */
export async function readShadowLake(
  dir: string,
  opts: { since?: number; featureNames?: readonly string[] } = {},
): Promise<ShadowLakeRead> {
  const since = opts.since ?? -Infinity;
  const from = Number.isFinite(since) ? new Date(since).toISOString().slice(0, 10) : undefined;
  let files: LakeFile[];
  try {
    files = await listLakeFiles(dir, from ? { from } : {});
  } catch (err) {
    throw new DeployError('SHADOW_INPUT_INVALID', (err as Error).message, { cause: err });
  }
  const sinceHour = Math.floor(since / 3_600_000);
  const rows: ShadowLakeRow[] = [];
  let filesWithoutShadow = 0;
  let read = 0;
  for (const file of files) {
    if (
      Date.UTC(+file.dt.slice(0, 4), +file.dt.slice(5, 7) - 1, +file.dt.slice(8, 10), +file.hour) / 3_600_000 <
      sinceHour
    )
      continue;
    read++;
    const present = new Set(await columnsOf(file.path));
    const shadowed = SHADOW.every((c) => present.has(c));
    if (!shadowed) filesWithoutShadow++;
    const names = opts.featureNames ?? [];
    const byColumn = names.length > 0 && names.every((n) => present.has(n));
    const wanted = [
      ...RECORD,
      ...(shadowed ? SHADOW : []),
      ...(byColumn ? names : names.length > 0 && present.has('features') ? ['features'] : []),
    ];
    const cols = await readLakeColumns(file.path, wanted).catch((err: unknown) => {
      throw new DeployError('SHADOW_INPUT_INVALID', (err as Error).message, { cause: err });
    });
    const n = cols['ts']?.length ?? 0;
    for (let i = 0; i < n; i++) {
      const ts = toMs(cols['ts']![i]);
      if (ts < since) continue;
      rows.push({
        ts,
        modelVersion: String(cols['model_version']![i]),
        score: Number(cols['score']![i]),
        probabilities: numbers(cols['probabilities']![i]),
        probability: nullableNumber(cols['probability']![i]),
        shadowVersion: shadowed ? (cols['shadow_model_version']![i] as string | null) : null,
        shadowScore: shadowed ? nullableNumber(cols['shadow_score']![i]) : null,
        shadowProbabilities: shadowed ? numbers(cols['shadow_probabilities']![i]) : null,
        shadowProbability: shadowed ? nullableNumber(cols['shadow_probability']![i]) : null,
        x: names.length === 0 ? null : featuresOf(cols, names, i, byColumn),
      });
    }
  }
  return { rows, files: read, filesWithoutShadow };
}

async function columnsOf(path: string): Promise<string[]> {
  try {
    const { asyncBufferFromFile, parquetMetadataAsync } = await import('hyparquet');
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(path));
    return meta.schema.slice(1).map((s) => s.name);
  } catch (err) {
    throw new DeployError('SHADOW_INPUT_INVALID', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function featuresOf(
  cols: Record<string, unknown[]>,
  names: readonly string[],
  i: number,
  byColumn: boolean,
): Float32Array {
  const x = new Float32Array(names.length).fill(NaN);
  const map = byColumn
    ? null
    : (cols['features']?.[i] as Record<string, unknown> | Map<string, unknown> | null | undefined);
  names.forEach((name, j) => {
    const v = byColumn ? cols[name]![i] : map instanceof Map ? map.get(name) : map?.[name];
    if (typeof v === 'number') x[j] = v;
  });
  return x;
}

const toMs = (v: unknown): number => (v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : Number(v));
const nullableNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const numbers = (v: unknown): number[] | null => (Array.isArray(v) ? v.map(Number) : null);
