#!/usr/bin/env node
// `npx rationale …`: registers tsx so the CLI runs from its TypeScript source, then hands it the
// arguments, the output streams and the environment (the CLI reads no globals itself).
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
