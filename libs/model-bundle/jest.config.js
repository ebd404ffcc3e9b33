module.exports = {
  displayName: 'model-bundle',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
