/** Tests are TypeScript (ts-jest); the last line printed is `tests: N passed, N failed`. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: '<rootDir>/test/support/node-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 120000,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', diagnostics: { warnOnly: false } }] },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
