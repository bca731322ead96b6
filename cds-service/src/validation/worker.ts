/**
 * The worker-thread task of the validation pool (piscina): one batch of patients replayed through
 * the production pipeline. Loaded through worker-entry.cjs (compiled by pool.ts, or through tsx).
 */
import { processBatch, type BatchOutcome } from './batch';
import type { PatientUnit } from './export-reader';
import { configuredDeps, productionDeps } from './production';
import type { ReplayDeps, ReplayOptions } from './replay';

export interface BatchTask {
  units: PatientUnit[];
  options: ReplayOptions;
}

const deps = productionDeps();
/** Pipelines for a service configuration, opened once per thread (ValidationModel → deps). */
const configured = new Map<string, Promise<ReplayDeps>>();

/** Replays one batch; the pool calls it with a structured-cloned task. */
export async function runBatchTask(task: BatchTask): Promise<BatchOutcome> {
  const model = task.options.model;
  if (!model) return processBatch(task.units, task.options, deps);
  const key = JSON.stringify(model);
  let opened = configured.get(key);
  if (!opened) {
    // This thread's composition root: the environment holds an OIP server's auth header.
    opened = configuredDeps(model, process.env);
    configured.set(key, opened);
    opened.catch(() => configured.delete(key));
  }
  return processBatch(task.units, task.options, await opened);
}
