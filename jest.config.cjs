// `npm test` runs every package's tests in one jest run, so CI gets one summary line.
module.exports = {
  projects: ['shared-types', 'cds-service', 'smart-app', 'sandbox', 'test'].map((p) => `<rootDir>/${p}`),
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  // A test that leaves a socket or timer open must not hold CI until its time limit: the summary
  // is printed first, then jest exits. `npx jest --detectOpenHandles` lists what a run leaves open.
  forceExit: true,
};
