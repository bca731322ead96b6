/**
 * `npm run eval -- --data DIR [--json FILE]`: the leave-the-diagnosis-out evaluation over a folder
 * of FHIR bundles; prints a markdown report.
 */
import { writeFileSync } from 'node:fs';
import { loadBundles } from './load';
import { evaluate, toMarkdown } from './run';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dir = arg('--data');
if (!dir) {
  process.stderr.write('usage: npm run eval -- --data DIR [--json FILE]\n');
  process.exit(2);
}
void evaluate(loadBundles(dir)).then(
  (result) => {
    process.stdout.write(`${toMarkdown(result)}\n`);
    const json = arg('--json');
    if (json) writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  },
  (e: unknown) => {
    process.stderr.write(`eval failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
