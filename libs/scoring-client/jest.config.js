module.exports = {
  displayName: 'scoring-client',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
