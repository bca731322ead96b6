// Loads the validation task compiled to one plain-JavaScript bundle (pool.ts workerBundle) as if it
// were worker.ts beside this file, so its packages resolve from here. Used by the pool's lane
// processes (lane-process.cjs), by a one-lane pool in the calling process, and by `rationale worker`.
const Module = require('node:module');
const { join } = require('node:path');

function fromBundle(code) {
  const filename = join(__dirname, 'worker.bundle.cjs');
  const compiled = new Module(filename, module);
  compiled.filename = filename;
  compiled.paths = Module._nodeModulePaths(__dirname);
  compiled._compile(code, filename);
  return compiled.exports;
}

module.exports = { fromBundle };
