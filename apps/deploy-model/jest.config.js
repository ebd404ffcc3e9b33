module.exports = {
  displayName: 'deploy-model',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
