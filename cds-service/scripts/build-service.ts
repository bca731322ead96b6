/**
 * `npm run build -w @rationale/cds-service`: the service compiled to one file, dist/service.cjs
 * (src/bundle.ts), which `npm run start:cds`, `npm start` and the bench run. Written beside itself
 * and renamed into place, so a service starting meanwhile never reads half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileBundle, SERVICE_BUNDLE, SERVICE_DIR } from '../src/bundle';

async function main(): Promise<number> {
  const started = Date.now();
  const code = await compileBundle(join(SERVICE_DIR, 'src', 'main.ts'), dirname(SERVICE_BUNDLE));
  if (code === undefined) {
    process.stderr.write('build-service: esbuild (installed with tsx) is missing or the compile failed\n');
    return 1;
  }
  mkdirSync(dirname(SERVICE_BUNDLE), { recursive: true });
  const partial = `${SERVICE_BUNDLE}.${process.pid}.part`;
  writeFileSync(partial, code);
  renameSync(partial, SERVICE_BUNDLE);
  process.stdout.write(
    `build-service: ${SERVICE_BUNDLE} (${Math.round(code.length / 1024)} KB) in ${Date.now() - started} ms\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`build-service: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
