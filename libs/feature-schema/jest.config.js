module.exports = {
  displayName: 'feature-schema',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
