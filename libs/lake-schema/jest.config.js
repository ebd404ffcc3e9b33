module.exports = {
  displayName: 'lake-schema',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
