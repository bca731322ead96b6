/**
 * What this process asks of V8's heap at run time (`v8.setFlagsFromString`): how far its young
 * generation (the space where new objects are made) may grow, and a full collection now. Where V8
 * refuses a flag, it is left to V8.
 *
 * The young generation: V8 starts it at 1 MB a semi-space (2.1 MB of new space) and doubles it, up to 16 MB a semi-space
 * (33.6 MB), while many objects survive its collections; it seldom gives the space back. A process
 * that computes (the service, a lane, a command that assesses in process) is faster with the grown
 * space. A process that only reads a source and keeps what its lane processes send (`rationale
 * validate --threads N`) is not, and a grown space there sits beside the lanes' own for the whole
 * run. `npx rationale` therefore starts with growth held (bin/rationale.cjs); each command lets
 * it grow unless it only coordinates lanes (cli/validate.ts, validation/pool.ts).
 *
 * V8 reads its growth factor each time it would grow the space, so setting it at run time takes
 * effect from then on. Node sets V8's flags again when it starts a worker thread (measured: the
 * space grows again afterwards), so a holder holds again after any worker has started.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** `grow`: V8's default (the space doubles as needed); else the space stays the size it is. */
export function youngGenerationGrowth(grow: boolean): void {
  try {
    setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`);
  } catch {
    // left to V8
  }
}

/**
 * One full collection of this process's heap, now (`--expose-gc`, then `gc()` from a new context,
 * where the flag has made it). Where `gc` cannot be reached, V8 collects when it will.
 */
export function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // left to V8
  }
}
