// A lane of the validation pool as a process of its own (pool.ts lanePool). The first message
// carries the task compiled to one plain-JavaScript bundle (or null: worker.ts runs from source
// through tsx); each later message is a batch, replayed in the order received and answered with
// its outcome, or with the error that stopped it. The lane ends when the pool disconnects.
// Started with the V8 flags and malloc settings pool.ts gives it.
const { fromBundle } = require('./bundle-loader.cjs');

let runBatchTask;
let chain = Promise.resolve();

const replay = async ({ id, task }) => {
  try {
    process.send({ id, outcome: await runBatchTask(task) });
  } catch (e) {
    process.send({ id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
};

process.on('message', (message) => {
  if (runBatchTask === undefined) {
    runBatchTask =
      typeof message.bundle === 'string'
        ? fromBundle(message.bundle).runBatchTask
        : (require('tsx/cjs'), require('./worker.ts')).runBatchTask;
    return;
  }
  chain = chain.then(() => replay(message));
});
process.on('disconnect', () => process.exit(0));
