const { preset } = require('../jest.preset.cjs');

// Cross-package tests boot real servers and a real browser: longer timeouts, one file at a time.
module.exports = preset(__dirname, { testTimeout: 120_000, maxWorkers: 1 });
