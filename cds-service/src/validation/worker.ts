/**
 * The task of a validation lane: one batch of patients replayed through the production pipeline.
 * Compiled by pool.ts into one bundle, run by the pool's lanes (this process, or lane-process.cjs)
 * and by `rationale worker`; through tsx where no compiler is found.
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
/**
 * Pipelines for a service configuration, opened once per thread or process (ValidationModel →
 * deps): a run validates one model, or two with a calibration comparison. A `rationale worker`
 * serves run after run, so the oldest pipeline is closed once more than `KEEP` are open.
 */
const configured = new Map<string, Promise<ReplayDeps & { close(): Promise<void> }>>();
const KEEP = 4;

/** Replays one batch; a lane process receives the task as a structured clone. */
export async function runBatchTask(task: BatchTask): Promise<BatchOutcome> {
  const model = task.options.model;
  if (!model) return processBatch(task.units, task.options, deps);
  const key = JSON.stringify(model);
  let opened = configured.get(key);
  if (opened) {
    configured.delete(key); // most recently used last
  } else {
    // This thread's composition root: the environment holds an OIP server's auth header.
    opened = configuredDeps(model, process.env);
    opened.catch(() => configured.delete(key));
  }
  configured.set(key, opened);
  for (const [oldKey, old] of configured) {
    if (configured.size <= KEEP) break;
    configured.delete(oldKey);
    void old.then((d) => d.close()).catch(() => undefined);
  }
  return processBatch(task.units, task.options, await opened);
}
