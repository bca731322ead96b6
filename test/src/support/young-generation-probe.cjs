// Loaded with `--require` into a `rationale` process (NODE_OPTIONS, so its lane processes load it
// too and leave at once): records the size of V8's new space (the young generation) each time a
// lane process's message arrives, and writes them to YOUNG_GENERATION_PROBE at exit.
const out = process.env.YOUNG_GENERATION_PROBE;
if (out && !process.argv.some((a) => a.endsWith('lane-process.cjs'))) {
  const { writeFileSync } = require('node:fs');
  const { getHeapSpaceStatistics } = require('node:v8');
  const childProcess = require('node:child_process');
  const newSpaceMb = () =>
    getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1e6;
  const atLaneMessages = [];
  const fork = childProcess.fork;
  childProcess.fork = function (...args) {
    const child = fork.apply(this, args);
    child.on('message', () => atLaneMessages.push(newSpaceMb()));
    return child;
  };
  process.on('exit', () => writeFileSync(out, JSON.stringify({ atLaneMessages })));
}
