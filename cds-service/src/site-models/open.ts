/**
 * Opens the registry's models at start-up (main.ts): each ONNX file hashed and loaded in the
 * shared worker pool (a missing file or a declared output the graph lacks stops start-up with a
 * ConfigError naming the model), each OIP server given its client and circuit breaker.
 */
import type { SiteModel } from '../assessment/site-model-step';
import type { SiteModelConfig } from '../config';
import { onnxPool, onnxRuntime, type OnnxPool } from './onnx-runtime';
import { oipRuntime } from './oip-runtime';

export interface OpenSiteModels {
  models: SiteModel[];
  close(): Promise<void>;
}

export async function openSiteModels(configs: readonly SiteModelConfig[]): Promise<OpenSiteModels> {
  let pool: OnnxPool | undefined;
  const models: SiteModel[] = [];
  try {
    for (const spec of configs) {
      if (spec.runtime.kind === 'onnx') {
        pool ??= onnxPool();
        models.push({ spec, runtime: await onnxRuntime(spec, pool) });
      } else {
        models.push({ spec, runtime: oipRuntime(spec) });
      }
    }
  } catch (e) {
    await pool?.close();
    throw e;
  }
  return {
    models,
    close: async () => {
      await Promise.all(models.map((m) => m.runtime.close()));
      await pool?.close();
    },
  };
}
