/**
 * Loopback helpers for the proof suites: free ports, a closed port, waiting for a URL to answer.
 * Every server these suites talk to is started by them on 127.0.0.1.
 */
import { createServer, type AddressInfo } from 'node:net';

/** A port nothing listens on right now (bound, noted, released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `url` until it answers (any HTTP status) or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs: number, isAlive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (isAlive && !isAlive()) throw new Error(`process serving ${url} exited before it answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${url} did not answer within ${timeoutMs} ms: ${String((last as Error)?.message ?? last)}`,
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
