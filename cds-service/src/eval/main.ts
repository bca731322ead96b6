/**
 * `npm run eval -- --data DIR [--json FILE] [--explain ID,ID]`: the leave-the-diagnosis-out
 * evaluation over a folder of FHIR bundles; prints a markdown report. `--explain` lists each miss
 * and false positive of the named conditions by synthetic patient id, with the masked record's
 * evidence, to find out why (print it; do not commit it).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadBundles } from './load';
import { evaluate, toMarkdown } from './run';

// `npm run eval` runs in cds-service/; paths are the caller's, so they resolve from where npm was run.
const callerDir = process.env.INIT_CWD ?? process.cwd();

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  return value === undefined ? undefined : resolve(callerDir, value);
}

const dir = arg('--data');
if (!dir) {
  process.stderr.write('usage: npm run eval -- --data DIR [--json FILE] [--explain ID,ID]\n');
  process.exit(2);
}
// Condition ids whose misses and false positives are listed with their evidence (not a path).
const explainAt = process.argv.indexOf('--explain');
const explain = new Set(
  explainAt >= 0 ? (process.argv[explainAt + 1] ?? '').split(',').filter((x) => x.length > 0) : [],
);
void evaluate(loadBundles(dir), explain).then(
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
