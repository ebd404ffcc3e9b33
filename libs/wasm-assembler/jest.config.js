module.exports = {
  displayName: 'wasm-assembler',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
