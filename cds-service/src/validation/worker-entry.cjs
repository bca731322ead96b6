// The piscina worker's entry. When the pool hands it the task compiled to one plain-JavaScript
// bundle (pool.ts), that runs as if it were worker.ts beside this file (bundle-loader.cjs);
// otherwise tsx is registered and worker.ts runs from source.
const { workerData } = require('piscina');
const { fromBundle } = require('./bundle-loader.cjs');

const worker =
  workerData && typeof workerData.bundle === 'string'
    ? fromBundle(workerData.bundle)
    : (require('tsx/cjs'), require('./worker.ts'));

module.exports = worker.runBatchTask;
