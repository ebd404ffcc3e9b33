// Shared Jest preset: SWC transpiles TypeScript (type checking is the `typecheck` target's job),
// and the tsconfig path aliases map each lib to its source, so no test needs a build first.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/\\^$*+?.()|[\]{}-]/g, '\\$&')}$`] = path.join(__dirname, target);
}

// hyparquet, hyparquet-compressors and its hysnappy ship as ES modules only; Jest (a CommonJS runtime on
// Node 20) needs SWC to transpile them like our own sources.
const esmOnly = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
    '^.+/node_modules/(hyparquet(-compressors)?|hysnappy)/.+\\.js$': esmOnly,
  },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet|hysnappy)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec|test).ts'],
};
