/**
 * Batches on all cores: this thread and a piscina pool of worker threads running worker.ts, one
 * lane per core. One runner per run.
 *
 * The calling thread is one of the lanes: during the replay it only reads the export and hands out
 * batches, so a pool of one worker per core would leave it idle while a whole extra V8 heap (the
 * model, a batch, and the heap's own slack: about 115 MB) sits in memory, and three threads would
 * share two cores. It replays its batches a patient at a time, yielding between patients so the
 * workers' batches keep flowing.
 *
 * Each worker thread holds two batches: the next one waits in its port while it replays the
 * current one. With one, a worker that finished a batch sat idle until this thread, busy with a
 * patient of its own, got to its reply and handed it another.
 *
 * Every lane runs the task compiled once, in this process, into one plain-JavaScript bundle
 * (esbuild, the compiler tsx itself runs on): code loaded through tsx carries its loader and
 * per-function name wrappers, costing memory and time on every assessment. When no compiler can be
 * found (or it fails), the lanes fall back to tsx.
 */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Piscina } from 'piscina';
import type { BatchOutcome } from './batch';
import type { BatchTask } from './worker';

type RunBatchTask = (task: BatchTask) => Promise<BatchOutcome>;

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

/**
 * The batch task as this thread runs it: the bundle when there is one (`workerBundle`), else
 * worker.ts from source (through tsx, as the CLI runs). `rationale worker` and the pool's own lane
 * use it.
 */
export function loadBatchTask(bundle: string | undefined = workerBundle()): {
  runBatchTask: RunBatchTask;
  /** The bundle was loaded (false: the sources, through tsx). */
  compiled: boolean;
} {
  if (bundle !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { fromBundle } = require('./bundle-loader.cjs') as {
      fromBundle: (code: string) => { runBatchTask: RunBatchTask };
    };
    return { runBatchTask: fromBundle(bundle).runBatchTask, compiled: true };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fromSource = require('./worker') as { runBatchTask: RunBatchTask };
  return { runBatchTask: fromSource.runBatchTask, compiled: false };
}

/**
 * A batch for a worker thread, and what to transfer with it: the units' NDJSON bytes copied into
 * one fresh buffer, handed over (transferred, not cloned) with the task. The units keep views into
 * it; a unit of bundle-file kind travels as it is.
 */
export function packBatch(task: BatchTask): { task: BatchTask; transferList: ArrayBuffer[] } {
  let size = 0;
  for (const u of task.units) if (u.kind === 'ndjson') size += u.ndjson.byteLength;
  if (size === 0) return { task, transferList: [] };
  const buffer = new ArrayBuffer(size);
  let at = 0;
  const units = task.units.map((u) => {
    if (u.kind !== 'ndjson') return u;
    const view = new Uint8Array(buffer, at, u.ndjson.byteLength);
    view.set(u.ndjson);
    at += u.ndjson.byteLength;
    return { ...u, ndjson: view };
  });
  return { task: { ...task, units }, transferList: [buffer] };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Batches a worker thread holds at once: the one it replays and the next. */
const BATCHES_PER_WORKER = 2;

/**
 * `threads` lanes (default: every core): this thread and `threads − 1` worker threads. Batches wait
 * in one queue and go to whichever lane is free.
 */
export function threadPool(threads = availableParallelism()): BatchRunner {
  const bundle = workerBundle();
  const here = loadBatchTask(bundle).runBatchTask;
  const workers = threads - 1;
  const pool =
    workers > 0
      ? new Piscina<BatchTask, BatchOutcome>({
          filename: join(__dirname, 'worker-entry.cjs'),
          minThreads: workers,
          maxThreads: workers,
          concurrentTasksPerWorker: BATCHES_PER_WORKER,
          idleTimeout: 60_000,
          ...(bundle ? { workerData: { bundle } } : {}),
        })
      : undefined;

  /** A batch on this thread, a patient at a time, yielding between patients. */
  const runHere = async (task: BatchTask): Promise<BatchOutcome> => {
    const out: BatchOutcome = { results: [], unreadable: 0, rejected: 0 };
    for (const unit of task.units) {
      const one = await here({ units: [unit], options: task.options });
      out.results.push(...one.results);
      out.unreadable += one.unreadable;
      out.rejected += one.rejected;
      await nextTurn();
    }
    return out;
  };

  const queue: Array<{ task: BatchTask; resolve: (o: BatchOutcome) => void; reject: (e: unknown) => void }> =
    [];
  let hereBusy = false;
  let inWorkers = 0;
  const pump = (): void => {
    while (queue.length > 0) {
      let lane: (task: BatchTask) => Promise<BatchOutcome>;
      let release: () => void;
      if (pool && inWorkers < workers * BATCHES_PER_WORKER) {
        inWorkers++;
        lane = (task) => {
          const packed = packBatch(task);
          return pool.run(packed.task, { transferList: packed.transferList });
        };
        release = () => inWorkers--;
      } else if (!hereBusy) {
        hereBusy = true;
        lane = runHere;
        release = () => (hereBusy = false);
      } else return;
      const job = queue.shift()!;
      lane(job.task)
        .then(job.resolve, job.reject)
        .finally(() => {
          release();
          pump();
        });
    }
  };

  let closed: Promise<void> | undefined;
  return {
    threads,
    run: (task) =>
      new Promise<BatchOutcome>((resolve, reject) => {
        if (closed) return reject(new Error('the thread pool is closed'));
        queue.push({ task, resolve, reject });
        pump();
      }),
    close: () => (closed ??= pool ? pool.destroy() : Promise.resolve()),
  };
}
