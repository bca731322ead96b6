/**
 * Fuzzing the running service (fixed seed, deterministic): every malformed or adversarial hook
 * request, prefetch bundle, feedback body and JWT is answered with a 4xx OperationOutcome (a bare
 * 401 for authentication), or a proper CDS response when the input is still valid; never a 5xx,
 * never a crash. The bench runs the same fuzzer with many more runs.
 */
import { startProofStack, type ProofStack } from '../bench/lib/stack';
import { fuzzService, type FuzzTarget } from './fuzzer';

const SEED = 20_250_601;
const RUNS_PER_KIND = 100;

describe('fuzzing the CDS service over HTTP', () => {
  let stack: ProofStack;
  let target: FuzzTarget;
  beforeAll(async () => {
    // The fuzzer sends hundreds of bad tokens from one address: it tests the token checks, so the
    // per-address limit on failed authentication (tested in load/rate-limit.test.ts) is raised here.
    stack = await startProofStack({ env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '100000' } });
    target = {
      baseUrl: stack.service.url,
      token: (aud, overrides) => stack.client.token(aud, overrides),
      patientView: await stack.workbench.request('patient-view', 'rat-020'),
      orderSign: await stack.workbench.request('order-sign', 'rat-020', 'ibuprofen'),
    };
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('answers every adversarial input with a 4xx OperationOutcome or bare 401, never a 5xx, and stays up', async () => {
    const report = await fuzzService(target, { seed: SEED, runsPerKind: RUNS_PER_KIND });
    process.stdout.write(
      `fuzz (seed ${SEED}): ${report.runs} requests; statuses ${JSON.stringify(report.statuses)}\n`,
    );
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(4 * RUNS_PER_KIND);
    // Invalid input was actually refused (the fuzzer reached validation and auth), not all accepted.
    expect(Object.keys(report.statuses.hook ?? {})).toContain('400');
    expect(report.statuses.jwt).toEqual({ '401': expect.any(Number) });
    expect(stack.service.alive()).toBe(true);
    const health = await fetch(`${stack.service.url}/healthz`);
    expect(health.status).toBe(200);
    // The valid request still works after the storm.
    const url = `${stack.service.url}/cds-services/rationale-patient-view`;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await stack.client.token(url)}`,
      },
      body: JSON.stringify(target.patientView),
    });
    expect(res.status).toBe(200);
    expect(Array.isArray(((await res.json()) as { cards: unknown[] }).cards)).toBe(true);
  }, 180_000);
});
