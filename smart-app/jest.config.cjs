const { preset } = require('../jest.preset.cjs');

const base = preset(__dirname);

// jest-fixed-jsdom keeps Node's fetch, streams and TextEncoder in jsdom so msw works.
// fhirclient resolves to its browser entry, as Vite bundles it (package.json "browser").
// Observable Plot and d3 ship ES modules only: swc turns them into CommonJS for jest, as for jose.
const ESM_PLOT = [
  '@observablehq/plot',
  'd3',
  'd3-[a-z-]+',
  'internmap',
  'delaunator',
  'robust-predicates',
  'isoformat',
  'interval-tree-1d',
  'binary-search-bounds',
];
const [ignored] = base.transformIgnorePatterns;

module.exports = {
  ...base,
  transformIgnorePatterns: [ignored.replace('(?!(', `(?!(${ESM_PLOT.join('|')}|`)],
  testEnvironment: 'jest-fixed-jsdom',
  testEnvironmentOptions: { customExportConditions: [''] },
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^fhirclient$': require.resolve('fhirclient/lib/entry/browser.js'),
    '\\.css$': '<rootDir>/src/test-support/style-stub.cjs',
  },
};
