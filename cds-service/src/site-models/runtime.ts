/**
 * Where a site model runs, behind one interface: an ONNX file in a worker thread (onnx-runtime.ts)
 * or an Open Inference Protocol v2 server (oip-runtime.ts). The assessment step knows only this.
 */
import type { SiteModelProvenance } from '@rationale/shared-types';

/** Why a model gave no answer; shown per model in the Assessment and on the monitoring page. */
export type SiteModelErrorCode = 'timeout' | 'unavailable' | 'bad-response' | 'circuit-open';

export class SiteModelError extends Error {
  constructor(
    readonly code: SiteModelErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SiteModelError';
  }
}

export interface ModelRuntime {
  /**
   * Runs the model on one row of features. Resolves every output tensor by name, flattened;
   * rejects with a SiteModelError when the model is slow (past `signal`), down or answers in the
   * wrong shape.
   */
  infer(row: readonly number[], signal: AbortSignal): Promise<Record<string, number[]>>;
  /** What exactly ran: the file's sha256, or the server's model metadata (known after a first call). */
  provenance(): SiteModelProvenance;
  close(): Promise<void>;
}

/** A promise rejected with a `timeout` SiteModelError when `signal` aborts; dispose it when done. */
export function untilAborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = () => undefined as void;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(new SiteModelError('timeout', 'over budget'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
