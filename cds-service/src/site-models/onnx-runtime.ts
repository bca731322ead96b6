/**
 * ONNX models in process (DESIGN.md §5a): onnxruntime-node in a piscina worker thread, so a model
 * never runs on the request thread. One pool serves every ONNX model of the registry; the file is
 * hashed (sha256) at start-up and its declared outputs checked against the graph.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { Piscina } from 'piscina';
import type { SiteModelProvenance } from '@rationale/shared-types';
import { ConfigError } from '../errors';
import type { SiteModelSpec } from './registry';
import { SiteModelError, untilAborted, type ModelRuntime } from './runtime';

type Task = { kind: 'describe'; path: string } | { kind: 'run'; path: string; input?: string; row: number[] };

/** The worker pool every ONNX model shares; close it on shutdown. */
export interface OnnxPool {
  run<T>(task: Task): Promise<T>;
  close(): Promise<void>;
}

export function onnxPool(threads = 1): OnnxPool {
  const pool = new Piscina({
    // Through site-models/ rather than this file's folder: validation's worker threads run this
    // code bundled into validation/, a sibling of site-models/.
    filename: join(__dirname, '..', 'site-models', 'onnx-worker.cjs'),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
    // The worker is JavaScript; tsx's loader hooks would only slow its start.
    execArgv: [],
  });
  return {
    run: (task) => pool.run(task) as Promise<never>,
    close: async () => {
      await pool.destroy();
      // The pool is an async resource; say it is gone, so nothing reports it as left open.
      pool.emitDestroy();
    },
  };
}

/**
 * Opens an ONNX model: reads and hashes the file, loads it in the pool and checks that the input
 * and every declared output exist. Throws ConfigError naming the model when they do not.
 */
export async function onnxRuntime(
  model: SiteModelSpec & { baseDir: string },
  pool: OnnxPool,
): Promise<ModelRuntime> {
  if (model.runtime.kind !== 'onnx') throw new Error('not an onnx model');
  const where = `models ${model.id}: runtime.file`;
  const path = isAbsolute(model.runtime.file)
    ? model.runtime.file
    : resolve(model.baseDir, model.runtime.file);
  let sha256: string;
  try {
    sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch (e) {
    throw new ConfigError(`${where}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let names: { inputNames: string[]; outputNames: string[] };
  try {
    names = await pool.run({ kind: 'describe', path });
  } catch (e) {
    throw new ConfigError(`${where}: ${path} is not a model onnxruntime can load (${(e as Error).message})`);
  }
  const input = model.runtime.input;
  if (input && !names.inputNames.includes(input))
    throw new ConfigError(
      `models ${model.id}: runtime.input ${input} is not an input of the model (${names.inputNames.join(', ')})`,
    );
  for (const o of model.outputs)
    if (!names.outputNames.includes(o.output))
      throw new ConfigError(
        `models ${model.id}: output ${o.output} is not an output of the model (${names.outputNames.join(', ')})`,
      );
  const provenance: SiteModelProvenance = { runtime: 'onnx', sha256 };
  return {
    async infer(row, signal) {
      if (signal.aborted) throw new SiteModelError('timeout', 'budget spent before the call');
      const run = pool.run<{ outputs: Record<string, number[]> }>({
        kind: 'run',
        path,
        ...(input ? { input } : {}),
        row: [...row],
      });
      // The worker finishes its run; the caller stops waiting at the budget.
      const stop = untilAborted(signal);
      try {
        return (await Promise.race([run, stop.promise])).outputs;
      } catch (e) {
        if (e instanceof SiteModelError) throw e;
        throw new SiteModelError('bad-response', (e as Error).message, { cause: e });
      } finally {
        stop.dispose();
      }
    },
    provenance: () => provenance,
    close: () => Promise.resolve(),
  };
}
