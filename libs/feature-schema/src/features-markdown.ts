import type { FeatureContract } from './contract';
import type { ValidationPolicy } from './lead-validator';
import { rangeLabel } from './schemas';

/**
 * The feature table of a contract as Markdown, in model column order (docs/features.md for the demo bundle).
 *
 * @example
 * writeFileSync('docs/features.md', featuresMarkdown(contract, { title: 'Lead features', source: 'models/demo/manifest.json' }));
 */
export function featuresMarkdown(
  contract: FeatureContract,
  opts: { title?: string; source?: string; policy?: ValidationPolicy } = {},
): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = contract.features.map(
    (s, i) =>
      `| ${i} | \`${esc(s.name)}\` | ${s.kind} | ${esc(s.unit)} | ${rangeLabel(s)} | ${s.integer ? 'yes' : 'no'} | ${s.allowMissing ? 'yes' : 'no'} | ${esc(s.description)} |`,
  );
  const lenient = (opts.policy ?? 'lenient') === 'lenient';
  return [
    `# ${opts.title ?? 'Features'}`,
    '',
    ...(opts.source ? [`<!-- Generated from ${opts.source}: do not edit by hand. -->`, ''] : []),
    `Every model input, in model column order (the array form of \`POST /score\` sends exactly ${contract.size} values in this order; the named form uses the names).`,
    'A value of the wrong type, or `null` where missing is not allowed, makes its lead invalid (an error in its result).',
    lenient
      ? "Ranges are inclusive; a value outside its range, or a fraction where a whole number is required, is scored and reported in the result's `warnings` (with `VALIDATION=strict` it makes the lead invalid)."
      : 'Ranges are inclusive; a value outside its range, or a fraction where a whole number is required, makes its lead invalid.',
    '',
    '| # | name | kind | unit | valid range | whole number | missing allowed | description |',
    '|---|------|------|------|-------------|--------------|-----------------|-------------|',
    ...rows,
    '',
  ].join('\n');
}
