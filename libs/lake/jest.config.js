const preset = require('../../jest.preset.js');

// hyparquet, hyparquet-compressors and its hysnappy ship as ES modules only; Jest (CommonJS runtime on
// Node 20) needs SWC to transpile them like our own sources.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

module.exports = {
  displayName: 'lake',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  transform: { ...preset.transform, '^.+/node_modules/(hyparquet(-compressors)?|hysnappy)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet|hysnappy)'],
};
