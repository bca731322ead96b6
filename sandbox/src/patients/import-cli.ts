/**
 * `npm run import -w @rationale/sandbox -- DIR`: loads a folder of FHIR Bundles
 * (e.g. Synthea output) into an in-memory sandbox store to check that they import, and prints
 * the counts and time. The running sandbox loads the same folder at start with
 * SANDBOX_IMPORT_DIR=DIR.
 */
import { existsSync, statSync } from 'node:fs';
import { loadFhirDefinitions } from '../fhir-server/definitions';
import { SandboxRepository } from '../fhir-server/repository';
import { importDirectory } from './loader';

async function main(argv: string[]): Promise<number> {
  const dir = argv[0];
  if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(
      'usage: npm run import -w @rationale/sandbox -- DIR   (a folder of FHIR Bundle .json files)\n',
    );
    return 2;
  }
  loadFhirDefinitions();
  const repo = new SandboxRepository();
  const result = await importDirectory(repo, dir);
  const counts = repo.counts();
  process.stdout.write(
    `imported ${result.files} bundles, ${result.resources} resources in ${result.milliseconds} ms\n` +
      Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([type, n]) => `  ${type.padEnd(28)} ${n}`)
        .join('\n') +
      '\n',
  );
  for (const f of result.failed) process.stderr.write(`failed: ${f.file}: ${f.error}\n`);
  process.stdout.write(`To serve them: SANDBOX_IMPORT_DIR=${dir} npm start -w @rationale/sandbox\n`);
  return result.failed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
