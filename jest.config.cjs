// `npm test` runs every package's tests in one jest run, so CI gets one summary line.
module.exports = {
  projects: ['shared-types', 'cds-service', 'smart-app', 'sandbox', 'test'].map((p) => `<rootDir>/${p}`),
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  // A global option (a project's own testTimeout does not apply in a multi-project run): sized for CI
  // on a loaded 2-core machine, where creating an app or opening PGlite can take seconds. Suites
  // that boot servers or a browser set their own, longer, with jest.setTimeout.
  testTimeout: 30_000,
  // No forceExit: every suite closes what it opens (servers, pools, browsers, workers), so jest exits
  // by itself. `npx jest --selectProjects <name> --detectOpenHandles` lists what a suite leaves open.
};
