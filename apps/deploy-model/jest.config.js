const preset = require('../../jest.preset.js');

// hyparquet (init's Parquet sample reader) ships as ES modules only; Jest (CommonJS runtime on Node 20)
// needs SWC to transpile it like our own sources.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

module.exports = {
  displayName: 'deploy-model',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  transform: { ...preset.transform, '^.+/node_modules/hyparquet/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet/)'],
};
