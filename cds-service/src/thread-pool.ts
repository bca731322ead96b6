/**
 * The size of libuv's thread pool, set before anything uses it (main.ts imports this module
 * first). The pool verifies each hook's JWT signature (WebCrypto), and also runs the DNS lookups
 * of outbound FHIR requests, asynchronous file reads and, with `DATABASE_URL`, the snapshots' gzip.
 *
 * Node's default is four threads whatever the machine. On two cores, four threads verifying
 * signatures at once take the cores from the request thread, which does the rest of every call.
 * Measured at c=16 on the median chart (docs/performance.md, 7 December): two threads answered 3.6 %
 * more calls a second than four (six alternating runs each); the pool's CPU per call stayed the
 * same and the request thread's fell. So the pool gets one thread per core, at least two (one slow
 * DNS lookup or file read must not hold up every signature check) and at most Node's four.
 * `UV_THREADPOOL_SIZE` set by the operator is kept as it is.
 */
import { availableParallelism } from 'node:os';

/** Threads for a machine with `cores` cores: one a core, from 2 to Node's default of 4. */
export function threadPoolSize(cores: number): number {
  return Math.min(4, Math.max(2, cores));
}

process.env.UV_THREADPOOL_SIZE ??= String(threadPoolSize(availableParallelism()));
