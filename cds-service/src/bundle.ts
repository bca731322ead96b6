/**
 * Compiles an entry point of this service and everything of this repository it imports into one
 * plain-JavaScript CommonJS file, with esbuild (the compiler tsx itself runs on). Packages stay
 * external and resolve from node_modules as they would from the sources.
 *
 * Why: code run from source through tsx carries its loader and a name-keeping wrapper on every
 * function it creates, which the hook path pays on each call. The service (`npm run start:cds`,
 * `npm start`, the bench) runs from `dist/service.cjs`; the validation lanes run their task
 * compiled the same way (validation/pool.ts).
 *
 * A bundle runs from another folder than its sources, so each source file's `__dirname` is
 * rewritten to that file's own folder, relative to where the bundle is loaded from: the files the
 * code finds beside itself (the PGlite worker, the ONNX worker, the SMART app's dist) are found as
 * from the sources.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

interface EsbuildPluginBuild {
  onLoad(
    options: { filter: RegExp },
    callback: (args: { path: string }) => { contents: string; loader: 'ts' },
  ): void;
}
/** The part of esbuild's API this repository uses. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: Array<{ text: string }> }>;
  buildSync(options: Record<string, unknown>): { outputFiles?: Array<{ text: string }> };
  /** Ends the compiler's service (a worker thread and an esbuild process, kept after buildSync). */
  stop?(): Promise<void>;
}

/** cds-service's own folder. */
export const SERVICE_DIR = join(__dirname, '..');
/** Where `npm run build` puts the service and where `npm run start:cds` runs it from. */
export const SERVICE_BUNDLE = join(SERVICE_DIR, 'dist', 'service.cjs');

/** esbuild as tsx ships it, or undefined where neither is installed. */
export function loadEsbuild(): Esbuild | undefined {
  try {
    const tsx = dirname(require.resolve('tsx/package.json', { paths: [SERVICE_DIR] }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve('esbuild', { paths: [tsx] })) as Esbuild;
  } catch {
    return undefined;
  }
}

/** Packages the service depends on: left as `require` calls in the bundle. */
export function externals(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(join(SERVICE_DIR, 'package.json')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((name) => !name.startsWith('@rationale/'))
    .flatMap((name) => [name, `${name}/*`]);
}

/** The identifier the rewritten `__dirname`s call; defined once at the top of the bundle. */
const DIR_OF = '__rationaleSourceDir';

/**
 * `entry` (a .ts file) compiled to one CommonJS bundle that will be loaded from the folder
 * `loadedFrom`, or undefined when esbuild is missing or the compile fails. `rewrite`, when given,
 * sees each source file (absolute path, text) before it is compiled and returns the text to
 * compile (the bench's `--model-free` build changes one file this way).
 */
export async function compileBundle(
  entry: string,
  loadedFrom: string,
  rewrite?: (path: string, source: string) => string,
): Promise<string | undefined> {
  const esbuild = loadEsbuild();
  if (!esbuild) return undefined;
  const dirnamePlugin = {
    name: 'source-dirname',
    setup(build: EsbuildPluginBuild) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const source = rewrite ? rewrite(args.path, text) : text;
        const folder = JSON.stringify(relative(loadedFrom, dirname(args.path)));
        return {
          contents: source.includes('__dirname')
            ? source.replace(/\b__dirname\b/g, `${DIR_OF}(${folder})`)
            : source,
          loader: 'ts',
        };
      });
    },
  };
  try {
    const out = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: externals(),
      banner: { js: `'use strict';\nconst ${DIR_OF} = (p) => require('node:path').join(__dirname, p);` },
      plugins: [dirnamePlugin],
      write: false,
      logLevel: 'silent',
    });
    return out.outputFiles?.[0]?.text;
  } catch {
    return undefined;
  }
}
