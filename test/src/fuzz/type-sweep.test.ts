/**
 * A type sweep over everything the model reads (issue 18): every field, at every depth, of every
 * resource in a patient-view's prefetch and in an order-sign's prefetch and draft orders (Patient,
 * Condition, Observation, MedicationRequest, AllergyIntolerance, Encounter, Procedure,
 * ServiceRequest, CarePlan, Medication) is replaced in turn by each of a set of wrong types and
 * nulls, or removed; whole entries, resources and bundles are nulled too. More than 10,000 hook
 * requests, each through the real model and card renderer over one HTTP server in this process.
 *
 * The property, for every request: never a 5xx; and since only a malformed envelope may be a 400
 * ("read liberally, judge strictly"), an odd field inside a resource is answered 200 with
 * conforming cards, or 412 when what it broke was data the hook needs (the patient). Authentication
 * is switched off here: tokens are fuzzed in fuzz.test.ts, and signing 10,000 of them would be most
 * of the run.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { cdsResponseSchema } from '@rationale/shared-types';
import { renderCards } from '../../../cds-service/src/cards';
import { createLogger } from '../../../cds-service/src/logger';
import { assess } from '../../../cds-service/src/model/assess';
import { buildHarness } from '../../../cds-service/src/test-support/harness';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Step = string | number;

const CORPUS = path.resolve(__dirname, '../../../cds-service/src/http/fixtures/real-clients');
const corpus = (name: string) =>
  JSON.parse(readFileSync(path.join(CORPUS, `${name}.json`), 'utf8')) as { [key: string]: Json };

/** The resource types the corpus fixtures lack, so each type the model reads is swept. */
const EXTRA: Record<string, Json> = {
  encounters: bundle([
    {
      resourceType: 'Encounter',
      id: 'e-1',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003' }] }],
      subject: { reference: 'Patient/r4v' },
      period: { start: '2026-06-01T09:00:00Z' },
    },
  ]),
  procedures: bundle([
    {
      resourceType: 'Procedure',
      id: 'pr-1',
      status: 'completed',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '265764009', display: 'Renal dialysis' }] },
      subject: { reference: 'Patient/r4v' },
      performedDateTime: '2026-01-05',
    },
  ]),
  serviceRequests: bundle([
    {
      resourceType: 'ServiceRequest',
      id: 'sr-1',
      status: 'active',
      intent: 'order',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '385763009', display: 'Hospice care' }] },
      subject: { reference: 'Patient/r4v' },
      authoredOn: '2026-02-01',
    },
  ]),
  carePlans: bundle([
    {
      resourceType: 'CarePlan',
      id: 'cp-1',
      status: 'active',
      intent: 'plan',
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '736373009' }] }],
      subject: { reference: 'Patient/r4v' },
      period: { start: '2026-01-01' },
    },
  ]),
};

function bundle(resources: Json[]): Json {
  return { resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) };
}

/** A corpus request with every prefetch key filled and no fhirServer (nothing is read elsewhere). */
function base(name: string): { [key: string]: Json } {
  const request = corpus(name);
  delete request.fhirServer;
  delete request.fhirAuthorization;
  request.prefetch = { ...(request.prefetch as { [key: string]: Json }), ...EXTRA };
  return request;
}

/** Wrong types and nulls: each replaces a field in turn. */
const SWEEP: Json[] = [
  null,
  [null],
  true,
  0,
  1e308,
  '',
  '\u0000\uD800',
  {},
  [],
  [{}],
  { text: 5 },
  { coding: [null] },
];

/** Every path inside `value` (objects by key, arrays by index 0 and by whole). */
function paths(value: Json, prefix: Step[] = [], depth = 0): Step[][] {
  if (value === null || typeof value !== 'object' || depth > 5) return [];
  const out: Step[][] = [];
  const children: [Step, Json][] = Array.isArray(value)
    ? value.slice(0, 2).map((v, i): [Step, Json] => [i, v])
    : Object.entries(value);
  for (const [k, v] of children) {
    const p = [...prefix, k];
    out.push(p, ...paths(v, p, depth + 1));
  }
  return out;
}

function set(root: Json, at: Step[], value: Json | undefined): Json {
  const copy = structuredClone(root);
  let node = copy as { [key: string]: Json } | Json[];
  for (const step of at.slice(0, -1)) node = (node as Record<Step, Json>)[step] as typeof node;
  const last = at[at.length - 1] as Step;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last as string];
  } else (node as Record<Step, Json>)[last] = value;
  return copy;
}

interface SweepCase {
  hook: string;
  where: string;
  body: Json;
}

/** The resources of a request: prefetch entries and the patient, and draft orders. */
function resourceRoots(request: { [key: string]: Json }): Step[][] {
  const roots: Step[][] = [];
  for (const [key, value] of Object.entries(request.prefetch as { [key: string]: Json })) {
    if (value && typeof value === 'object' && !Array.isArray(value) && value.resourceType === 'Bundle') {
      (value.entry as Json[]).forEach((_, i) => roots.push(['prefetch', key, 'entry', i, 'resource']));
    } else roots.push(['prefetch', key]);
  }
  const draft = (request.context as { [key: string]: Json }).draftOrders as { entry?: Json[] } | undefined;
  draft?.entry?.forEach((e, i) => {
    if (e !== null) roots.push(['context', 'draftOrders', 'entry', i, 'resource']);
  });
  return roots;
}

function* sweep(hook: string, request: { [key: string]: Json }): Generator<SweepCase> {
  const get = (at: Step[]) => at.reduce<Json>((n, s) => (n as Record<Step, Json>)[s] as Json, request);
  for (const root of resourceRoots(request)) {
    // The resource itself, its entry and its bundle: nulled or of the wrong type.
    for (const value of [null, {}, [], 'x'])
      yield { hook, where: root.join('.'), body: set(request, root, value) };
    for (const at of paths(get(root), root)) {
      const where = at.join('.');
      yield { hook, where, body: set(request, at, undefined) };
      for (const value of SWEEP) yield { hook, where, body: set(request, at, value) };
    }
  }
  for (const key of Object.keys(request.prefetch as object)) {
    for (const value of [
      null,
      [null],
      { resourceType: 'Bundle', entry: [null] },
      { resourceType: 'Bundle', entry: 'x' },
    ])
      yield { hook, where: `prefetch.${key}`, body: set(request, ['prefetch', key], value) };
  }
}

describe('type sweep through the real model', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const h = await buildHarness({
      env: { AUTH_REQUIRED: 'false', CLIENT_RATE_LIMIT_PER_MINUTE: '100000000' },
      // Warnings only: ten thousand requests' trace lines would cost more than the requests.
      deps: { assess, renderCards, logger: createLogger({ level: 'warn' }) },
    });
    server = createServer(h.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers ≥ 10,000 swept requests with 200 and conforming cards or 412, never a 400 or 5xx', async () => {
    const cases = [
      ...sweep('patient-view', base('r4-variants-patient-view')),
      ...sweep('order-sign', base('r4-variants-order-sign')),
      ...sweep('order-sign', base('epic-order-sign')),
    ];
    const statuses: Record<string, number> = {};
    const failures: string[] = [];
    for (const c of cases) {
      const res = await fetch(`${url}/cds-services/rationale-${c.hook}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(c.body),
      });
      const text = await res.text();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const ok =
        res.status === 412 || (res.status === 200 && cdsResponseSchema.safeParse(JSON.parse(text)).success);
      if (!ok && failures.length < 20)
        failures.push(`${c.hook} ${c.where}: ${res.status} ${text.slice(0, 200)}`);
    }
    process.stdout.write(`type sweep: ${cases.length} requests; statuses ${JSON.stringify(statuses)}\n`);
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(10_000);
    // Most odd fields leave the rest of the record usable: cards, not refusals.
    expect(statuses['200'] ?? 0).toBeGreaterThan(cases.length * 0.9);
  }, 600_000);
});
