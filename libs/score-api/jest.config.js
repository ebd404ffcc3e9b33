module.exports = {
  displayName: 'score-api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
