// The piscina worker's entry. When the pool hands it the task compiled to one plain-JavaScript
// bundle (pool.ts), that runs as if it were worker.ts beside this file, so its packages resolve from
// here; otherwise tsx is registered and worker.ts runs from source (as the CLI does).
const Module = require('node:module');
const { join } = require('node:path');
const { workerData } = require('piscina');

function fromBundle(code) {
  const filename = join(__dirname, 'worker.bundle.cjs');
  const compiled = new Module(filename, module);
  compiled.filename = filename;
  compiled.paths = Module._nodeModulePaths(__dirname);
  compiled._compile(code, filename);
  return compiled.exports;
}

const worker =
  workerData && typeof workerData.bundle === 'string'
    ? fromBundle(workerData.bundle)
    : (require('tsx/cjs'), require('./worker.ts'));

module.exports = worker.runBatchTask;
