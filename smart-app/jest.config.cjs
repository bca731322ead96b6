const { preset, transformEsm, ESM_PLOT } = require('../jest.preset.cjs');

// jest-fixed-jsdom keeps Node's fetch, streams and TextEncoder in jsdom so msw works.
// fhirclient resolves to its browser entry, as Vite bundles it (package.json "browser").
const base = transformEsm(preset(__dirname), ESM_PLOT);

module.exports = {
  ...base,
  testEnvironment: 'jest-fixed-jsdom',
  testEnvironmentOptions: { customExportConditions: [''] },
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^fhirclient$': require.resolve('fhirclient/lib/entry/browser.js'),
    '\\.css$': '<rootDir>/src/test-support/style-stub.cjs',
  },
};
