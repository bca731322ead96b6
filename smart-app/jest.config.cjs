const { preset } = require('../jest.preset.cjs');

// jest-fixed-jsdom keeps Node's fetch, streams and TextEncoder in jsdom so msw works.
module.exports = preset(__dirname, {
  testEnvironment: 'jest-fixed-jsdom',
  testEnvironmentOptions: { customExportConditions: [''] },
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
});
