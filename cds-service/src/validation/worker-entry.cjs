// The piscina worker's entry: registers tsx so the TypeScript task runs from source (as the CLI does).
require('tsx/cjs');
const { runBatchTask } = require('./worker.ts');

module.exports = runBatchTask;
