const path = require('node:path');

// Middy 6 ships ESM only (exports has just an "import" condition): map it to its file and let SWC
// turn it into CommonJS like our TypeScript, so handler tests run the real Middy stack.
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // hyparquet, hyparquet-compressors and hysnappy (the lake reader of the e2e tests) are ESM-only too.
  transform: { '^.+\\.ts$': swc, '/node_modules/(@middy|hyparquet|hyparquet-compressors|hysnappy)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!@middy/|hyparquet/|hyparquet-compressors/|hysnappy/)'],
  moduleNameMapper: {
    ...require('../../jest.preset.js').moduleNameMapper,
    '^@middy/core$': path.join(__dirname, '../../node_modules/@middy/core/index.js'),
  },
};
