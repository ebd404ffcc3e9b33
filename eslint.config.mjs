import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import security from 'eslint-plugin-security';

const noCdk = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'];
const noAws = ['@aws-sdk/*', '@aws-lambda-powertools/*', '@middy/*', ...noCdk];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/cdk.out', '**/coverage', '**/.nx', 'var'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  security.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: noAws },
            {
              sourceTag: 'scope:model',
              onlyDependOnLibsWithTags: ['scope:model', 'scope:shared'],
              bannedExternalImports: noAws,
            },
            {
              sourceTag: 'scope:serving',
              onlyDependOnLibsWithTags: ['scope:serving', 'scope:model', 'scope:shared'],
              bannedExternalImports: noCdk,
            },
            {
              sourceTag: 'scope:ops',
              onlyDependOnLibsWithTags: ['scope:ops', 'scope:serving', 'scope:model', 'scope:shared'],
              bannedExternalImports: noCdk,
            },
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // With noUncheckedIndexedAccess every typed-array read in a bounded loop needs `!`; banning it
      // would push the hot loops into `?? 0` fallbacks that cost a branch per read.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Index access on typed arrays and records is the evaluator's bread and butter; the rule flags every one.
      'security/detect-object-injection': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/bench/**/*.ts', 'tools/**/*.ts'],
    rules: {
      'security/detect-non-literal-fs-filename': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
