import { FEATURES } from './features';

const REGENERATE = [
  'npx tsx --tsconfig tsconfig.base.json tools/demo-model/write-openapi.ts   # docs/openapi.json + this file',
  'npx tsx --tsconfig tsconfig.base.json tools/demo-model/export-features.ts # tmp/features.json for the trainer',
  '/usr/bin/python3 tools/demo-model/train_demo.py                          # models/demo/',
];

/**
 * docs/features.md: the feature table in model column order, generated from {@link FEATURES}.
 *
 * @example
 * writeFileSync('docs/features.md', featuresMarkdown());
 */
export function featuresMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = FEATURES.map(
    (s, i) =>
      `| ${i} | \`${s.name}\` | ${s.kind} | ${esc(s.unit)} | ${s.min} .. ${s.max} | ${s.integer ? 'yes' : 'no'} | ${s.allowMissing ? 'yes' : 'no'} | ${esc(s.description)} |`,
  );
  return [
    '# Lead features',
    '',
    '<!-- Generated from libs/feature-schema/src/features.ts by tools/demo-model/write-openapi.ts: do not edit by hand. -->',
    '',
    `Every model input, in model column order (the array form of \`POST /score\` sends exactly ${FEATURES.length} values in this order; the named form uses the names).`,
    'Ranges are inclusive; a value outside its range, a fraction where a whole number is required, or `null` where missing is not allowed is a 400.',
    '',
    '| # | name | kind | unit | valid range | whole number | missing allowed | description |',
    '|---|------|------|------|-------------|--------------|-----------------|-------------|',
    ...rows,
    '',
    '## Regenerating the docs and the demo model',
    '',
    'From the repository root, after changing the feature manifest:',
    '',
    '```sh',
    ...REGENERATE,
    '```',
    '',
    'The trainer and the bundle format are described in tools/demo-model/README.md.',
    '',
  ].join('\n');
}
