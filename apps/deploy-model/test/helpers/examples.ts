import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInProcess } from './in-process';
import type { CliResult } from './run-cli';
import { WORKSPACE } from './run-cli';

/** models/examples/<name>: a model file, sample.csv and XGBoost's expected.json (tools/example-models/train_examples.py). */
export const EXAMPLES = {
  fit12: { dir: path.join(WORKSPACE, 'models', 'examples', 'fit-12'), model: 'model.json' },
  intent80: { dir: path.join(WORKSPACE, 'models', 'examples', 'intent-80'), model: 'model.ubj' },
} as const;

export type ExampleName = keyof typeof EXAMPLES;

/** The example's model file and sample.csv paths. */
export function exampleFiles(name: ExampleName): { model: string; sample: string } {
  const ex = EXAMPLES[name];
  return { model: path.join(ex.dir, ex.model), sample: path.join(ex.dir, 'sample.csv') };
}

/** XGBoost's own predictions on the example's first 64 sample rows. */
export function expectedOf(name: ExampleName): {
  feature_names: string[];
  rows: (number | null)[][];
  predictions: (number | number[])[];
} {
  return JSON.parse(readFileSync(path.join(EXAMPLES[name].dir, 'expected.json'), 'utf8')) as ReturnType<
    typeof expectedOf
  >;
}

/** SOURCE_DATE_EPOCH the init tests pin created_at with (2026-01-01T00:00:00Z). */
export const EPOCH = '1767225600';

/** Runs `init` in this process with SOURCE_DATE_EPOCH pinned; extra flags are appended. */
export async function runInit(
  opts: { model: string; sample: string; out: string; name?: string; version?: string },
  extra: readonly string[] = [],
): Promise<CliResult> {
  const before = process.env['SOURCE_DATE_EPOCH'];
  process.env['SOURCE_DATE_EPOCH'] = EPOCH;
  try {
    return await runInProcess([
      'init',
      '--model',
      opts.model,
      '--sample',
      opts.sample,
      '--out',
      opts.out,
      '--name',
      opts.name ?? 'example-model',
      '--version',
      opts.version ?? '1.0.0',
      ...extra,
    ]);
  } finally {
    if (before === undefined) delete process.env['SOURCE_DATE_EPOCH'];
    else process.env['SOURCE_DATE_EPOCH'] = before;
  }
}

/** Reads a bundle folder's manifest.json as JSON. */
export function manifestOf(dir: string): Record<string, unknown> & { features: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ReturnType<typeof manifestOf>;
}
