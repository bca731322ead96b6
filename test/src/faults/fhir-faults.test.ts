/**
 * Faults in the EHR's FHIR server: slow (2 s), down (a closed port), answering 500, answering
 * garbage. Against the running service (auth on), a hook whose prefetch is incomplete answers 412
 * with an OperationOutcome within its FHIR budget (FHIR_TIMEOUT_MS) plus a margin, never hangs;
 * a hook whose prefetch is complete answers with cards from prefetch and never calls the server.
 */
import type { CdsRequest } from '@rationale/shared-types';
import { freePort } from '../bench/lib/net';
import { startProofStack, type ProofStack } from '../bench/lib/stack';
import { FAULTS, startFaultFhirServer, type FaultFhirServer } from './fault-fhir-server';

// Each case waits for the service at most a few seconds; start-up is covered by the hooks' own timeouts.
jest.setTimeout(30_000);

const BUDGET_MS = 1000;
const SLOW_MS = 2000;
/** Time beyond the budget an answer may take: parsing, the model, a loaded CI machine. */
const MARGIN_MS = 800;

describe('FHIR server faults', () => {
  let fhir: FaultFhirServer;
  let stack: ProofStack;
  let downBase: string;
  let full: CdsRequest;

  beforeAll(async () => {
    fhir = await startFaultFhirServer(SLOW_MS);
    downBase = `http://127.0.0.1:${await freePort()}/fhir`;
    stack = await startProofStack({
      env: {
        FHIR_TIMEOUT_MS: String(BUDGET_MS),
        FHIR_SERVER_ALLOWLIST: [...FAULTS.map((f) => fhir.base(f)), downBase].join(','),
      },
    });
    full = await stack.workbench.request('patient-view', 'rat-020');
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await fhir?.close();
  }, 30_000);

  async function call(request: CdsRequest): Promise<{ status: number; body: any; ms: number }> {
    const url = `${stack.service.url}/cds-services/rationale-patient-view`;
    const token = await stack.client.token(url);
    const started = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await res.json();
    return { status: res.status, body, ms: performance.now() - started };
  }

  /** The request as an EHR sends it with some prefetch keys missing and `fhirServer` = `base`. */
  function missing(base: string, keys: string[]): CdsRequest {
    const prefetch = { ...full.prefetch } as Record<string, unknown>;
    for (const k of keys) delete prefetch[k];
    return {
      ...full,
      hookInstance: crypto.randomUUID(),
      fhirServer: base,
      prefetch: prefetch,
    };
  }

  const cases = [...FAULTS.map((f) => [f, () => fhir.base(f)] as const), ['down', () => downBase] as const];

  it.each(cases)(
    '%s: missing prefetch answers 412 with an OperationOutcome within the budget',
    async (_name, base) => {
      const { status, body, ms } = await call(missing(base(), ['observations', 'medications']));
      expect(status).toBe(412);
      expect(body.resourceType).toBe('OperationOutcome');
      expect(body.issue[0].expression).toEqual(
        expect.arrayContaining(['prefetch.observations', 'prefetch.medications']),
      );
      expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
    },
  );

  it('slow: the whole hook waits at most one budget, not one per missing key', async () => {
    const { status, ms } = await call(
      missing(fhir.base('slow'), ['observations', 'medications', 'conditions', 'encounters', 'allergies']),
    );
    expect(status).toBe(412);
    expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
    expect(ms).toBeLessThan(SLOW_MS);
  }, 30_000);

  it.each(cases)(
    '%s: complete prefetch answers with cards from prefetch and never calls the server',
    async (name, base) => {
      const before = name === 'down' ? 0 : fhir.hits[name];
      const { status, body, ms } = await call({
        ...full,
        hookInstance: crypto.randomUUID(),
        fhirServer: base(),
      });
      expect(status).toBe(200);
      expect(body.cards.length).toBeGreaterThan(0);
      expect(ms).toBeLessThan(BUDGET_MS);
      if (name !== 'down') expect(fhir.hits[name]).toBe(before);
    },
  );

  it('keeps answering after the faults (no stuck sockets or timers)', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(
          i % 2
            ? missing(fhir.base('slow'), ['observations'])
            : { ...full, hookInstance: crypto.randomUUID() },
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 412, 412, 412, 412]);
    for (const r of results) expect(r.ms).toBeLessThan(BUDGET_MS + MARGIN_MS * 2);
    expect(stack.service.alive()).toBe(true);
  });
});
