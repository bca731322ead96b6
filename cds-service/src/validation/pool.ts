/**
 * Batches on all cores: a piscina worker-thread pool running worker.ts. One pool per run.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { BatchOutcome } from './batch';
import type { BatchTask } from './worker';

export interface BatchRunner {
  run(task: BatchTask): Promise<BatchOutcome>;
  readonly threads: number;
  close(): Promise<void>;
}

/** A pool of `threads` worker threads (default: every core). */
export function threadPool(threads = availableParallelism()): BatchRunner {
  const pool = new Piscina<BatchTask, BatchOutcome>({
    filename: join(__dirname, 'worker-entry.cjs'),
    minThreads: threads,
    maxThreads: threads,
    // Each thread holds one batch at a time; the reader waits instead of queueing the export.
    maxQueue: threads * 2,
    idleTimeout: 60_000,
  });
  return {
    threads,
    run: (task) => pool.run(task),
    close: () => pool.destroy(),
  };
}
