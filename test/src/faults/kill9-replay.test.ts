/**
 * kill -9 of the service during a burst of signed hook calls (PGlite on disk): every token the
 * service answered with a 200 is refused when replayed to a new process on the same DATA_DIR and
 * port (the same `aud`), because its `jti` was on disk before the answer left (issue 18).
 */
import { randomUUID } from 'node:crypto';
import { completePrefetch, hookRequest, searchset } from '../../../cds-service/src/test-support/fixtures';
import { startService, type ServiceProcess } from '../bench/lib/service';
import { createTrustedClient } from '../bench/lib/tokens';

const KILL_AFTER_OKS = 60;
const WORKERS = 8;
const TOKENS = 1500;

function patientView(): string {
  const prefetch = { ...completePrefetch(), allergies: searchset([]) };
  return JSON.stringify(hookRequest('patient-view', { prefetch, fhirServer: null }));
}

async function callHook(url: string, token: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: patientView(),
    signal: AbortSignal.timeout(20_000),
  });
  await res.text();
  return res.status;
}

describe('kill -9 during a burst of signed hook calls', () => {
  let first: ServiceProcess | undefined;
  let second: ServiceProcess | undefined;
  afterAll(async () => {
    await first?.kill9();
    await second?.kill9();
    first?.cleanup();
  }, 30_000);

  it('refuses, after a restart on the same database, every token it had answered with a 200', async () => {
    const client = await createTrustedClient();
    first = await startService({ trustedIssuersEnv: client.trustedIssuersEnv });
    const url = `${first.url}/cds-services/rationale-patient-view`;
    const tokens = await Promise.all(Array.from({ length: TOKENS }, () => client.token(url)));
    const answered200: string[] = [];
    const otherStatuses: number[] = [];
    let cutOff = 0;
    let killed = false;
    let next = 0;
    const service = first;
    const worker = async () => {
      while (!killed) {
        const token = tokens[next++];
        if (!token) return;
        try {
          const status = await callHook(url, token);
          if (status === 200) answered200.push(token);
          else otherStatuses.push(status);
          if (answered200.length >= KILL_AFTER_OKS && !killed) {
            killed = true;
            // Other workers' requests are in flight now: the kill lands mid-burst.
            process.kill(service.pid, 'SIGKILL');
          }
        } catch {
          cutOff++;
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    await first.kill9();
    expect(killed).toBe(true);
    expect(otherStatuses).toEqual([]);

    second = await startService({
      trustedIssuersEnv: client.trustedIssuersEnv,
      dataDir: first.dataDir,
      port: first.port,
      // Every replay is a failed authentication from one address: the per-address limit on those
      // (tested in load/rate-limit.test.ts) would answer 429 before the replay check is reached.
      env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '100000' },
    });
    const replayed = [];
    for (const token of answered200) replayed.push(await callHook(url, token));
    const accepted = replayed.filter((s) => s !== 401).length;
    process.stdout.write(
      `kill -9 replay: ${answered200.length} tokens answered 200 before the kill, ${cutOff} cut off; ` +
        `after restart ${accepted} of ${answered200.length} replays accepted\n`,
    );
    expect(replayed).toEqual(answered200.map(() => 401));
    // The new process is working, not refusing everything: a fresh token is answered.
    expect(await callHook(url, await client.token(url, { jti: randomUUID() }))).toBe(200);
  }, 240_000);
});
