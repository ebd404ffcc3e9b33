import type { ScoreMapping } from '@lead-scoring/model-bundle';
import type { InitResult } from './init-bundle';

function mappingText(mapping: ScoreMapping): string {
  switch (mapping.type) {
    case 'class_plus_one':
      return 'class_plus_one (class k is score k+1)';
    case 'class_scores':
      return `class_scores [${mapping.scores.join(', ')}]`;
    case 'thresholds':
      return `thresholds [${mapping.thresholds.map((t) => Number(t.toPrecision(6))).join(', ')}]`;
    case 'probability_cutpoints':
      return `probability_cutpoints [${mapping.cutpoints.join(', ')}]`;
  }
}

/**
 * The human summary `init` prints on stderr: what the bundle holds and the commands to run next.
 *
 * @example io.stderr(initSummary(result));
 */
export function initSummary(result: InitResult): string {
  const m = result.bundle.manifest;
  const mix = m.baseline.scores.proportions.map((p) => `${(p * 100).toFixed(1)}%`).join(' / ');
  const { names, features } = result.bundle.contract;
  const optional = features.filter((f) => f.allowMissing).length;
  const shown = names.length > 6 ? `${names.slice(0, 5).join(', ')}, … ${names[names.length - 1]}` : names.join(', ');
  return [
    `wrote bundle ${m.name}@${m.version} to ${result.out}`,
    `  model      ${m.objective}${m.num_class > 0 ? ` (${m.num_class} classes)` : ''}, XGBoost ${m.framework.version}, ${m.model_format}`,
    `  features   ${names.length} (${optional} may be missing): ${shown}`,
    `  scores     ${mappingText(m.score_mapping)}; on the sample ${mix} for scores 1..5`,
    `  sample     ${result.sampleRows} rows${result.truncated ? ' (the first ones only: the file holds more)' : ''}`,
    `  reference  ${result.report.reference?.rows ?? 0} rows with their predictions (validate re-scores them)`,
    'next:',
    `  npm run -s deploy-model -- validate --model ${result.out}`,
    `  npm run -s deploy-model -- package --model ${result.out} --out dist/model/model.tar.gz`,
    `  MODEL_DIR=${result.out} npm start`,
    '',
  ].join('\n');
}
