/**
 * Batches on all cores: a piscina worker-thread pool running worker.ts. One pool per run.
 *
 * Each thread runs the task compiled once, in this process, into one plain-JavaScript bundle
 * (esbuild, the compiler tsx itself runs on): a thread that instead loads the sources through tsx
 * carries tsx's loader and its per-function name wrappers, costing memory and time on every
 * assessment. When no compiler can be found (or it fails), threads fall back to tsx.
 */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Piscina } from 'piscina';
import type { BatchOutcome } from './batch';
import type { BatchTask } from './worker';

export interface BatchRunner {
  run(task: BatchTask): Promise<BatchOutcome>;
  readonly threads: number;
  /** Stops the runner and frees what it holds; a second call waits for the first. */
  close(): Promise<void>;
}

interface Esbuild {
  buildSync(options: Record<string, unknown>): { outputFiles?: Array<{ text: string }> };
}

/** worker.ts and everything of this repository it imports as one CommonJS file; packages stay external. */
export function workerBundle(): string | undefined {
  try {
    const service = join(__dirname, '..', '..');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require(join(service, 'package.json')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const tsx = dirname(require.resolve('tsx/package.json', { paths: [service] }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require(require.resolve('esbuild', { paths: [tsx] })) as Esbuild;
    const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
      .filter((name) => !name.startsWith('@rationale/'))
      .flatMap((name) => [name, `${name}/*`]);
    const out = esbuild.buildSync({
      entryPoints: [join(__dirname, 'worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external,
      write: false,
      logLevel: 'silent',
    });
    return out.outputFiles?.[0]?.text;
  } catch {
    return undefined;
  }
}

/** A pool of `threads` worker threads (default: every core). */
export function threadPool(threads = availableParallelism()): BatchRunner {
  const bundle = workerBundle();
  const pool = new Piscina<BatchTask, BatchOutcome>({
    filename: join(__dirname, 'worker-entry.cjs'),
    minThreads: threads,
    maxThreads: threads,
    // Each thread holds one batch at a time; the reader waits instead of queueing the export.
    maxQueue: threads * 2,
    idleTimeout: 60_000,
    ...(bundle ? { workerData: { bundle } } : {}),
  });
  let closed: Promise<void> | undefined;
  return {
    threads,
    run: (task) => pool.run(task),
    close: () => (closed ??= pool.destroy()),
  };
}
