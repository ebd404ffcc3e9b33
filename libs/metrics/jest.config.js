module.exports = {
  displayName: 'metrics',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
