import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import security from 'eslint-plugin-security';

const noCdk = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'];
const noAws = ['@aws-sdk/*', '@aws-lambda-powertools/*', '@middy/*', ...noCdk];

const boundaries = {
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    // type:testing libs serve tests and benches only; the rule below keeps them out of src.
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
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
};

export default [
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/cdk.out', '**/coverage', '**/.nx', 'var'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  security.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // With noUncheckedIndexedAccess every typed-array read in a bounded loop needs `!`; banning it
      // would push the hot loops into `?? 0` fallbacks that cost a branch per read.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Index access on typed arrays and records is the evaluator's bread and butter; the rule flags every one.
      'security/detect-object-injection': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['{apps,libs}/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@lead-scoring/testing', '@lead-scoring/bench'],
              message: 'test and bench support stays out of shipped code',
            },
          ],
        },
      ],
    },
  },
  {
    // A bench measures its own project through the project's public door (its path alias).
    files: ['**/bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', { ...boundaries, allowCircularSelfDependency: true }] },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts', 'tools/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      'security/detect-non-literal-fs-filename': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
