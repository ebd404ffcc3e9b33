module.exports = {
  displayName: 'infra',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Synthesis of a full stack takes seconds (minutes on a loaded 2-core box): beforeAll hooks set their own limits.
  testTimeout: 120_000,
  // Coverage is collected when CI=true (GitHub Actions sets it); below these figures the run fails.
  collectCoverage: process.env.CI === 'true',
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts'],
  coverageDirectory: '../../coverage/apps/infra',
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: { global: { statements: 90, branches: 75, functions: 90, lines: 90 } },
};
