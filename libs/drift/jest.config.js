module.exports = {
  displayName: 'drift',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
