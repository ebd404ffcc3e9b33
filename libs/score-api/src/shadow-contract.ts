import type { FeatureContract } from '@lead-scoring/feature-schema';
import { ShadowError } from './errors';

/**
 * Where each input of the shadow model comes from in a production request: null when the two contracts have the
 * same features in the same order (the production rows are passed as they are), else the production column of each
 * shadow feature. A shadow model must take what production's requests carry: it is refused (ShadowError
 * SHADOW_CONTRACT_MISMATCH, every problem listed) when it needs a feature production does not have, or requires
 * (missing not allowed) a feature production lets a request leave missing.
 *
 * @example
 * const columns = shadowColumns(production.contract, challenger.contract); // null: identical inputs
 */
export function shadowColumns(production: FeatureContract, shadow: FeatureContract): Int32Array | null {
  const same = production.size === shadow.size && production.names.every((n, i) => shadow.names[i] === n);
  const absent = shadow.names.filter((n) => !production.index.has(n));
  const required = shadow.features.filter(
    (s) => !s.allowMissing && production.features[production.index.get(s.name) ?? -1]?.allowMissing === true,
  );
  const problems = [
    ...(absent.length > 0
      ? [`it needs ${absent.length} feature(s) production's requests do not carry: ${list(absent)}`]
      : []),
    ...(required.length > 0
      ? [
          `it requires ${required.length} feature(s) production lets a request leave missing: ${list(required.map((s) => s.name))}`,
        ]
      : []),
  ];
  if (problems.length > 0) {
    throw new ShadowError(
      'SHADOW_CONTRACT_MISMATCH',
      `the shadow model cannot score production's requests: ${problems.join('; ')} (production has ${production.size} features, the shadow ${shadow.size})`,
    );
  }
  if (same) return null;
  return Int32Array.from(shadow.names, (n) => production.index.get(n)!);
}

/**
 * Production rows (`nRows` x `width`, row-major) rearranged into the shadow model's columns.
 *
 * @example
 * const shadowX = remapRows(batch.x, batch.nRows, production.size, columns);
 */
export function remapRows(x: Float32Array, nRows: number, width: number, columns: Int32Array): Float32Array {
  const w = columns.length;
  const out = new Float32Array(nRows * w);
  for (let r = 0; r < nRows; r++) {
    const from = r * width;
    const to = r * w;
    for (let j = 0; j < w; j++) out[to + j] = x[from + columns[j]!]!;
  }
  return out;
}

function list(names: readonly string[]): string {
  return names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
}
