const { preset } = require('../jest.preset.cjs');

// Cross-package tests boot real servers and a real browser: longer timeouts.
module.exports = preset(__dirname, { testTimeout: 120_000 });
