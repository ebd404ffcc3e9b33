module.exports = {
  displayName: 'load-tester',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
