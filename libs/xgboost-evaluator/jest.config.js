module.exports = {
  displayName: 'xgboost-evaluator',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
