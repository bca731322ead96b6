#!/usr/bin/env node
// `npx rationale …`: registers tsx so the CLI runs from its TypeScript source, then hands it the
// arguments, the output streams and the environment (the CLI reads no globals itself).
//
// V8's young generation is held at its initial size until the command is known: a grown one would
// stay beside the lane processes of `rationale validate` (src/v8-heap.ts). tsx compiles
// without esbuild's worker thread (one esbuild process per file not yet in its cache), since Node
// sets V8's flags again when a worker thread starts, and the space would grow while the CLI loads.
require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
process.env.ESBUILD_WORKER_THREADS ??= '0';
require('tsx/cjs');
const { main } = require('../src/cli/main.ts');

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTty: Boolean(process.stderr.isTTY),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `rationale: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    // An open database pool or server would keep the process alive after a crash; a caller
    // waiting for the exit (a supervisor, a test) must see it.
    process.exit(1);
  },
);
