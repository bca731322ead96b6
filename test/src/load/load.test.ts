/**
 * A short held load against the running service (auth on, fresh JWT per request, PGlite on disk):
 * 5 s at 100 requests/s of mixed hooks (patient-view, order-select, order-sign) over the sandbox's
 * patients with full prefetch. Every request answers 200: no errors, no timeouts, no 5xx. The
 * bench runs the full version (60 s at 200 requests/s) and prints the latencies.
 */
import { runCannon, shares, type CannonTarget } from '../bench/lib/cannon';
import { startProofStack, type ProofStack } from '../bench/lib/stack';
import { TokenPool } from '../bench/lib/tokens';
import { BodyTemplate } from '../bench/lib/workload';

const RATE = 100;
const SECONDS = 5;

describe('held load, short', () => {
  let stack: ProofStack;
  beforeAll(async () => {
    stack = await startProofStack();
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it(`answers ${RATE} requests/s of mixed hooks for ${SECONDS} s with zero errors and zero 5xx`, async () => {
    const wb = stack.workbench;
    const patients = ['rat-001', 'rat-002', 'rat-005', 'rat-010', 'rat-020', 'rat-032', 'rat-033'];
    const pv = await Promise.all(patients.map((p) => wb.request('patient-view', p)));
    const sel = await Promise.all(
      ['rat-020', 'rat-021'].map((p) => wb.request('order-select', p, 'ibuprofen')),
    );
    const sign = await Promise.all(
      ['rat-020', 'rat-032'].map((p) => wb.request('order-sign', p, 'ibuprofen')),
    );
    const amount = RATE * SECONDS;
    const specs = [
      { id: 'rationale-patient-view', requests: pv, weight: 3 },
      { id: 'rationale-order-select', requests: sel, weight: 1 },
      { id: 'rationale-order-sign', requests: sign, weight: 1 },
    ];
    const sizes = shares(specs, amount);
    const targets: CannonTarget[] = await Promise.all(
      specs.map(async (s, i) => ({
        path: `/cds-services/${s.id}`,
        bodies: s.requests.map((r) => new BodyTemplate(r)),
        weight: s.weight,
        pool: await TokenPool.create(
          stack.client,
          `${stack.service.url}/cds-services/${s.id}`,
          sizes[i] as number,
        ),
      })),
    );
    const result = await runCannon({
      baseUrl: stack.service.url,
      targets,
      connections: 8,
      amount,
      overallRate: RATE,
    });
    process.stdout.write(`load ${RATE}/s × ${SECONDS}s: ${JSON.stringify(result)}\n`);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.statuses).toEqual({ '200': amount });
    expect(stack.service.alive()).toBe(true);
  }, 120_000);
});
