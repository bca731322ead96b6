// `npm test` runs every package's tests in one jest run, so CI gets one summary line.
module.exports = {
  projects: ['shared-types', 'cds-service', 'smart-app', 'sandbox', 'test'].map((p) => `<rootDir>/${p}`),
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
};
