/**
 * The worker-thread task of the validation pool (piscina): one batch of patients replayed through
 * the production pipeline. Loaded through worker-entry.cjs (compiled by pool.ts, or through tsx).
 */
import { processBatch, type BatchOutcome } from './batch';
import type { PatientUnit } from './export-reader';
import { productionDeps } from './production';
import type { ReplayOptions } from './replay';

export interface BatchTask {
  units: PatientUnit[];
  options: ReplayOptions;
}

const deps = productionDeps();

/** Replays one batch; the pool calls it with a structured-cloned task. */
export function runBatchTask(task: BatchTask): Promise<BatchOutcome> {
  return processBatch(task.units, task.options, deps);
}
