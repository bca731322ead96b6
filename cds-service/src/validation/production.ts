/**
 * The production pipeline, as validation runs it: the same `assess` and card rendering the hooks
 * use, with the default model settings. Loaded in each worker thread or process.
 */
import { renderCards } from '../cards';
import { assess } from '../model/assess';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import type { ReplayDeps } from './replay';

/** The dependencies a replay needs, wired to the production code. */
export function productionDeps(): ReplayDeps {
  return { assess: (record, now) => assess(record, now, DEFAULT_MODEL_SETTINGS), renderCards };
}

export { MODEL_PROVENANCE as productionModel } from '../model/provenance';
