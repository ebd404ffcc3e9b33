module.exports = {
  displayName: 'model-server',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
