/**
 * Bounded FHIR reads against a real HTTP server: a search answering ~100 MB costs the hook neither
 * its time budget nor the process's memory (the body is read up to the size cap, its complete
 * entries kept and reported as a data-quality issue), a server that trickles its body is cut at the
 * budget, and slow reads in flight do not stall other hooks.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { assess } from '../model/assess';
import { completeEntries } from './fhir-gateway';
import { completePrefetch, hookRequest } from '../test-support/fixtures';
import { buildHarness, type Harness } from '../test-support/harness';
import { hugeBundle } from '../test-support/huge-bundle';

const PV = '/cds-services/rationale-patient-view';
const BUDGET_MS = 2000;
const HUNDRED_MB = 100 * 1024 * 1024;

/** Sends a Bundle's first bytes, then one byte every 100 ms, never finishing. */
function tricklingBundle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/fhir+json' });
  res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
  const timer = setInterval(() => res.write(' '), 100);
  res.on('close', () => clearInterval(timer));
}

let server: Server;
let base: string;
let mode: 'huge' | 'trickle' = 'huge';

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/fhir/Observation')) {
      if (mode === 'huge') void hugeBundle(res, HUNDRED_MB);
      else tricklingBundle(res);
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

async function harness(): Promise<Harness> {
  return buildHarness({ env: { FHIR_SERVER_ALLOWLIST: base, FHIR_TIMEOUT_MS: String(BUDGET_MS) } });
}

/** A patient-view whose observations must be read from the FHIR server. */
function withoutObservations(): Record<string, unknown> {
  const prefetch: Record<string, unknown> = completePrefetch();
  delete prefetch.observations;
  return hookRequest('patient-view', { prefetch, fhirServer: base });
}

async function timedHook(h: Harness, body: Record<string, unknown>) {
  const token = await h.token(PV);
  const started = performance.now();
  const res = await request(h.app).post(PV).set('Authorization', `Bearer ${token}`).send(body);
  return { res, ms: performance.now() - started };
}

describe('bounded FHIR reads', () => {
  it('answers a hook whose search returns ~100 MB within its budget, with RSS growth ≤ 100 MB', async () => {
    mode = 'huge';
    const h = await harness();
    await timedHook(h, hookRequest('patient-view')); // warm-up: modules, JIT
    const rssBefore = process.memoryUsage().rss;
    const { res, ms } = await timedHook(h, withoutObservations());
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    console.log(
      `100 MB search: hook answered ${res.status} in ${ms.toFixed(0)} ms (budget ${BUDGET_MS} ms), RSS growth ${(rssGrowth / 1048576).toFixed(1)} MB`,
    );
    // 200 with the entries before the size cap; 412 if a loaded machine spent the budget reading.
    expect([200, 412]).toContain(res.status);
    if (res.status === 200) {
      expect([...h.store.assessments.values()].at(-1)?.assessment.dataQuality).toContainEqual(
        expect.objectContaining({ kind: 'response-truncated', where: 'prefetch.observations' }),
      );
    }
    // The target is the budget + 100 ms (printed above); the assertion leaves room for a loaded
    // machine and still fails on what the body cost before (7–9 s for a 2 s budget).
    expect(ms).toBeLessThan(BUDGET_MS + 1000);
    expect(rssGrowth).toBeLessThanOrEqual(100 * 1024 * 1024);
  }, 30_000);

  it('reads the entries before the size cap and reports the cut', async () => {
    mode = 'huge';
    const h = await buildHarness({
      env: { FHIR_SERVER_ALLOWLIST: base, FHIR_TIMEOUT_MS: '20000', FHIR_MAX_RESPONSE_BYTES: '262144' },
      deps: { assess },
    });
    const { res } = await timedHook(h, withoutObservations());
    expect(res.status).toBe(200);
    const stored = [...h.store.assessments.values()].at(-1)?.assessment;
    expect(stored?.dataQuality).toContainEqual(
      expect.objectContaining({ kind: 'response-truncated', where: 'prefetch.observations' }),
    );
    // The A1c finding rests on the entries read before the cap.
    const sources = stored?.findings.flatMap((f) => f.sources.map((s) => s.reference)) ?? [];
    expect(sources.some((r) => r.startsWith('Observation/obs-'))).toBe(true);
  }, 30_000);

  it('cuts a body that trickles past the budget: 412 at the budget', async () => {
    mode = 'trickle';
    const h = await harness();
    const { res, ms } = await timedHook(h, withoutObservations());
    console.log(
      `trickling body: hook answered ${res.status} in ${ms.toFixed(0)} ms (budget ${BUDGET_MS} ms)`,
    );
    expect(res.status).toBe(412);
    expect(ms).toBeGreaterThanOrEqual(BUDGET_MS - 50);
    expect(ms).toBeLessThan(BUDGET_MS + 1000); // target: + 100 ms (printed above)
  }, 30_000);

  it('keeps answering other hooks while four slow reads are in flight', async () => {
    mode = 'trickle';
    const h = await harness();
    const slow = Array.from({ length: 4 }, () => timedHook(h, withoutObservations()));
    await new Promise((r) => setTimeout(r, 200)); // the slow reads are under way
    const quick = await timedHook(h, hookRequest('patient-view'));
    expect(quick.res.status).toBe(200);
    // Well before the slow ones give up at the budget: they did not hold it up.
    expect(quick.ms).toBeLessThan(BUDGET_MS / 2);
    for (const s of await Promise.all(slow)) expect(s.res.status).toBe(412);
  }, 30_000);
});

describe('a Bundle cut at the size cap', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('keeps the elements before entry and every complete entry, and drops the links', () => {
    const text =
      '{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"x"}],"entry":[' +
      '{"resource":{"resourceType":"Observation","id":"a","note":[{"text":"} ] \\" {"}]}},' +
      '{"resource":{"resourceType":"Observation","id":"b"}},{"resource":{"resourceType":"Obs';
    expect(completeEntries(bytes(text))).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: { resourceType: 'Observation', id: 'a', note: [{ text: '} ] " {' }] } },
        { resource: { resourceType: 'Observation', id: 'b' } },
      ],
    });
  });

  it('gives up on what is not the start of a Bundle with a complete entry', () => {
    expect(completeEntries(bytes('{"resourceType":"Patient","id":"p1","name":[{"fam'))).toBeUndefined();
    expect(completeEntries(bytes('{"resourceType":"Bundle","entry":[{"resource":{'))).toBeUndefined();
    expect(completeEntries(bytes('{"resourceType":"Observation","entry":[{}]'))).toBeUndefined();
  });
});

describe('the per-patient resource cap', () => {
  it('reads at most FHIR_MAX_RESOURCES resources and reports the keys it cut', async () => {
    const h = await buildHarness({ env: { FHIR_MAX_RESOURCES: '100' } });
    const prefetch = completePrefetch();
    prefetch.conditions = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: Array.from({ length: 150 }, (_, i) => ({
        resource: {
          resourceType: 'Condition',
          id: `c${i}`,
          subject: { reference: 'Patient/p1' },
          code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }] },
        },
      })),
    } as never;
    const { res } = await timedHook(h, hookRequest('patient-view', { prefetch }));
    expect(res.status).toBe(200);
    expect([...h.store.assessments.values()].at(-1)?.assessment.dataQuality).toContainEqual({
      kind: 'resources-capped',
      where: 'prefetch.conditions',
      problem: 'more resources than the per-patient cap (FHIR_MAX_RESOURCES = 100): 51 not read',
    });
  });
});
