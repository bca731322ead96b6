/**
 * Property-based fuzzing of the CDS service over HTTP (fast-check): malformed and adversarial hook
 * requests, feedback, JWTs and prefetch bundles — wrong types, huge arrays, deep nesting, unicode,
 * prototype-pollution keys (`__proto__`, `constructor`), oversized and non-JSON bodies. The property
 * every answer must keep: no 5xx; a 401 is bare (no body); any other 4xx is a FHIR
 * OperationOutcome; a 200 is a CDS Hooks response (`cards` array) or the feedback acknowledgement.
 * Used by the fuzz test (fixed seed, few runs) and by the bench (more runs).
 */
import fc from 'fast-check';
import type { CdsRequest } from '@rationale/shared-types';

export interface FuzzTarget {
  baseUrl: string;
  /** A fresh valid JWT for the absolute URL `aud`. */
  token(aud: string, overrides?: Record<string, unknown>): Promise<string>;
  /** A valid patient-view request (small, full prefetch) to mutate. */
  patientView: CdsRequest;
  /** A valid order-sign request to mutate. */
  orderSign: CdsRequest;
}

export interface FuzzCase {
  kind: string;
  path: string;
  method?: 'POST' | 'GET' | 'PUT' | 'DELETE';
  /** Raw body; objects are JSON-encoded with own `__proto__` keys kept. */
  body?: string | object;
  contentType?: string;
  /** 'valid': a fresh token for the path; a string: that Authorization header; null: none. */
  auth: string | null;
  /** Extra claims or header overrides for the valid token (bad aud, expiry …). */
  tokenOverrides?: Record<string, unknown>;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export type Verdict = { ok: true } | { ok: false; why: string };

const PV = '/cds-services/rationale-patient-view';
const OS = '/cds-services/rationale-order-sign';

/** The property: what any answer to any input must look like. */
export function judge(c: FuzzCase, a: Answer): Verdict {
  if (a.status >= 500) return { ok: false, why: `${a.status} ${a.text.slice(0, 300)}` };
  if (a.status === 401) return a.text.length === 0 ? { ok: true } : { ok: false, why: '401 with a body' };
  // Node's HTTP parser refuses oversized headers before the application sees the request.
  if (a.status === 431) return { ok: true };
  if (a.status >= 400) {
    try {
      const body = JSON.parse(a.text) as { resourceType?: string; issue?: unknown[] };
      if (body.resourceType !== 'OperationOutcome' || !Array.isArray(body.issue) || body.issue.length === 0)
        return { ok: false, why: `${a.status} without an OperationOutcome: ${a.text.slice(0, 200)}` };
      return { ok: true };
    } catch {
      return { ok: false, why: `${a.status} with a non-JSON body: ${a.text.slice(0, 200)}` };
    }
  }
  if (a.status === 200) {
    try {
      const body = JSON.parse(a.text) as { cards?: unknown };
      if (c.path.endsWith('/feedback')) return { ok: true };
      return Array.isArray(body.cards)
        ? { ok: true }
        : { ok: false, why: `200 without cards: ${a.text.slice(0, 200)}` };
    } catch {
      return { ok: false, why: '200 with a non-JSON body' };
    }
  }
  return { ok: false, why: `unexpected status ${a.status}` };
}

/** JSON text of `value`, keeping own `__proto__` properties (JSON.stringify does). */
function encode(body: string | object): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

export async function send(target: FuzzTarget, c: FuzzCase): Promise<Answer> {
  const url = `${target.baseUrl}${c.path}`;
  const headers: Record<string, string> = {};
  if (c.body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
  if (c.auth === 'valid') headers.authorization = `Bearer ${await target.token(url, c.tokenOverrides)}`;
  // Header values travel as bytes: non-Latin-1 text is sent as its raw UTF-8 bytes.
  else if (typeof c.auth === 'string') headers.authorization = Buffer.from(c.auth, 'utf8').toString('latin1');
  const res = await fetch(url, {
    method: c.method ?? 'POST',
    headers,
    body: c.body === undefined ? undefined : encode(c.body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

// ---- arbitraries -------------------------------------------------------------------------------

const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'then',
];

const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '\u0000',
    '\uD800',
    '\u202Eevil',
    '𝕏'.repeat(3000),
    'Patient/../../etc/passwd',
    "x'; DROP TABLE feedback;--",
    '{{context.patientId}}',
    'http://169.254.169.254/latest/meta-data',
    '1e309',
    'NaN',
  ),
);

/** Sets an own property even for `__proto__` (plain assignment would change the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    nastyString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(fc.oneof(nastyString, fc.constantFrom(...POLLUTION_KEYS)), tie('value')), {
        maxLength: 4,
      })
      .map((pairs) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of pairs) setOwn(o, k, v);
        return o;
      }),
  ),
})).value;

/** Paths into a hook request where a mutation lands. */
const HOOK_PATHS: (string | number)[][] = [
  [],
  ['hook'],
  ['hookInstance'],
  ['context'],
  ['context', 'patientId'],
  ['context', 'userId'],
  ['context', 'encounterId'],
  ['context', 'draftOrders'],
  ['context', 'draftOrders', 'entry'],
  ['context', 'draftOrders', 'entry', 0, 'resource'],
  ['context', 'draftOrders', 'entry', 0, 'resource', 'medicationCodeableConcept'],
  ['prefetch'],
  ['prefetch', 'patient'],
  ['prefetch', 'patient', 'birthDate'],
  ['prefetch', 'patient', 'gender'],
  ['prefetch', 'observations'],
  ['prefetch', 'observations', 'entry'],
  ['prefetch', 'observations', 'entry', 0],
  ['prefetch', 'observations', 'entry', 0, 'resource'],
  ['prefetch', 'observations', 'entry', 0, 'resource', 'valueQuantity'],
  ['prefetch', 'observations', 'entry', 0, 'resource', 'code'],
  ['prefetch', 'observations', 'entry', 0, 'resource', 'effectiveDateTime'],
  ['prefetch', 'observations', 'link'],
  ['prefetch', 'conditions', 'entry', 0, 'resource', 'code', 'coding'],
  ['prefetch', 'conditions', 'entry', 0, 'resource', 'clinicalStatus'],
  ['prefetch', 'medications', 'entry', 0, 'resource'],
  ['prefetch', 'medications', 'entry', 0, 'resource', 'dosageInstruction'],
  ['prefetch', 'allergies'],
  ['prefetch', 'encounters', 'entry'],
  ['fhirServer'],
  ['fhirAuthorization'],
  ['fhirAuthorization', 'access_token'],
  ['extension'],
];

function mutate(base: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  if (path.length === 0) return value;
  let node: unknown = copy;
  for (const step of path.slice(0, -1)) {
    const next = (node as Record<string | number, unknown> | null)?.[step];
    if (next === null || typeof next !== 'object') return copy; // path absent in this request: unchanged
    node = next;
  }
  const last = path[path.length - 1] as string | number;
  if (remove) delete (node as Record<string | number, unknown>)[last];
  else if (typeof last === 'string') setOwn(node as Record<string, unknown>, last, value);
  else (node as unknown[])[last] = value;
  return copy;
}

/** Hook requests with one part replaced by an arbitrary value, removed, or polluted. */
export function hookCases(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      order: fc.boolean(),
      path: fc.constantFrom(...HOOK_PATHS),
      value: jsonValue,
      remove: fc.boolean(),
      pollute: fc.option(fc.constantFrom(...POLLUTION_KEYS.slice(0, 3))),
    })
    .map(({ order, path, value, remove, pollute }) => {
      const base = order ? t.orderSign : t.patientView;
      let body = mutate(base, path, value, remove && path.length > 0) as Record<string, unknown>;
      if (pollute && body && typeof body === 'object' && !Array.isArray(body)) {
        body = { ...body };
        setOwn(body, pollute, { polluted: true, isAdmin: true, hook: 'order-sign' });
        const ctx = body.context;
        if (ctx && typeof ctx === 'object')
          setOwn(ctx as Record<string, unknown>, pollute, { patientId: 'x' });
      }
      return { kind: 'hook', path: order ? OS : PV, body: body, auth: 'valid' as const };
    });
}

/** Prefetch bundles of the wrong shape: entries as non-arrays, resources of the wrong type, huge or deep. */
export function prefetchCases(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const resourceish = fc.record(
    {
      resourceType: fc.oneof(
        fc.constantFrom(
          'Observation',
          'Condition',
          'MedicationRequest',
          'Patient',
          'Bundle',
          'OperationOutcome',
        ),
        nastyString,
      ),
      id: fc.oneof(nastyString, fc.integer()),
      status: jsonValue,
      code: jsonValue,
      valueQuantity: fc.oneof(jsonValue, fc.record({ value: jsonValue, unit: jsonValue, code: jsonValue })),
      effectiveDateTime: fc.oneof(
        nastyString,
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        jsonValue,
      ),
      subject: jsonValue,
      component: jsonValue,
      medicationCodeableConcept: jsonValue,
    },
    { requiredKeys: ['resourceType'] },
  );
  const bundleish = fc.oneof(
    fc.record({
      resourceType: fc.constant('Bundle'),
      type: jsonValue,
      entry: fc.array(fc.record({ resource: resourceish }), { maxLength: 6 }),
    }),
    fc.record({ resourceType: fc.constant('Bundle'), entry: jsonValue }),
    fc.record({
      resourceType: fc.constant('Bundle'),
      entry: fc.array(jsonValue, { maxLength: 4 }),
      link: jsonValue,
    }),
    resourceish,
    jsonValue,
  );
  const keys = [
    'patient',
    'conditions',
    'observations',
    'medications',
    'allergies',
    'encounters',
    'procedures',
    'serviceRequests',
    'carePlans',
  ];
  return fc
    .record({ key: fc.constantFrom(...keys), value: bundleish, order: fc.boolean() })
    .map(({ key, value, order }) => {
      const base = structuredClone<CdsRequest>(order ? t.orderSign : t.patientView);
      const prefetch = { ...(base.prefetch ?? {}) } as Record<string, unknown>;
      setOwn(prefetch, key, value);
      return { kind: 'prefetch', path: order ? OS : PV, body: { ...base, prefetch }, auth: 'valid' as const };
    });
}

/** Feedback bodies: wrong types, missing fields, huge batches, pollution keys. */
export function feedbackCases(): fc.Arbitrary<FuzzCase> {
  const entry = fc.record(
    {
      card: fc.oneof(fc.uuid(), nastyString, jsonValue),
      outcome: fc.oneof(fc.constantFrom('accepted', 'overridden'), nastyString, jsonValue),
      outcomeTimestamp: fc.oneof(
        fc
          .date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') })
          .map((d) => d.toISOString()),
        nastyString,
        jsonValue,
      ),
      acceptedSuggestions: fc.oneof(
        fc.array(fc.record({ id: fc.oneof(fc.uuid(), jsonValue) }), { maxLength: 3 }),
        jsonValue,
      ),
      overrideReason: fc.oneof(
        fc.record({
          reason: fc.record({ code: nastyString, system: nastyString, display: nastyString }),
          userComment: nastyString,
        }),
        jsonValue,
      ),
      overrideReasons: jsonValue,
    },
    { requiredKeys: [] },
  );
  return fc
    .record({
      body: fc.oneof(
        fc.record({ feedback: fc.array(entry, { maxLength: 5 }) }),
        fc.record({ feedback: jsonValue }),
        jsonValue,
      ),
    })
    .map(({ body }) => ({
      kind: 'feedback',
      path: `${PV}/feedback`,
      body: body as object,
      auth: 'valid' as const,
    }));
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** Authorization headers that must all be refused with a bare 401. */
export function jwtCases(): fc.Arbitrary<FuzzCase> {
  const forged = fc
    .record({ header: jsonValue, payload: jsonValue, sig: fc.string({ maxLength: 100 }) })
    .map(({ header, payload, sig }) => `Bearer ${b64(header)}.${b64(payload)}.${b64(sig)}`);
  const algs = fc
    .record({
      alg: fc.constantFrom('none', 'HS256', 'HS384', 'ES384', 'RS384', 'PS256', ''),
      kid: nastyString,
      now: fc.integer({ min: 0, max: 2 ** 31 }),
    })
    .map(({ alg, kid, now }) => {
      const claims = {
        iss: 'https://ehr.bench.rationale.test',
        aud: 'x',
        iat: now,
        exp: now + 300,
        jti: kid,
      };
      return `Bearer ${b64({ alg, typ: 'JWT', kid })}.${b64(claims)}.${alg === 'none' ? '' : b64('not-a-signature')}`;
    });
  const raw = fc.oneof(
    nastyString.map((s) => `Bearer ${s}`),
    nastyString,
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      'bearer a.b.c',
      `Bearer ${'a'.repeat(7000)}.${'b'.repeat(7000)}.c`,
    ),
  );
  const claimsOff = fc
    .constantFrom<Record<string, unknown>>(
      { aud: 'https://elsewhere.example/cds-services/rationale-patient-view' },
      { expInSeconds: -3600 },
      { iatOffsetSeconds: -7200 },
      { nbfOffsetSeconds: 3600 },
      { jti: null },
      { typ: 'at+jwt' },
      { kid: 'unknown-kid' },
      { iss: 'https://untrusted.example' },
    )
    .map((overrides) => ({ overrides }));
  return fc.oneof(
    fc.oneof(forged, algs, raw).map((auth): FuzzCase => ({ kind: 'jwt', path: PV, body: {}, auth })),
    claimsOff.map(({ overrides }): FuzzCase => ({
      kind: 'jwt',
      path: PV,
      body: {},
      auth: 'valid',
      tokenOverrides: overrides,
    })),
    fc.constant<FuzzCase>({ kind: 'jwt', path: PV, body: {}, auth: null }),
    fc.constant<FuzzCase>({ kind: 'jwt', path: '/cds-services', method: 'GET', auth: 'Bearer x.y.z' }),
  );
}

/** Bodies the parser must refuse or the validator must catch: size, depth, width, syntax. */
export function shapeCases(t: FuzzTarget): FuzzCase[] {
  const pv = t.patientView;
  const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const deepArr = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const withPrefetchRaw = (raw: string) =>
    JSON.stringify({ ...pv, prefetch: { ...pv.prefetch, observations: '@@' } }).replace('"@@"', raw);
  const hugeEntries = (n: number) =>
    withPrefetchRaw(
      `{"resourceType":"Bundle","type":"searchset","entry":[${Array.from({ length: n }, () => '{}').join(',')}]}`,
    );
  return [
    { kind: 'shape', path: PV, body: 'x'.repeat(6 * 1024 * 1024), auth: 'valid' },
    {
      kind: 'shape',
      path: PV,
      body: JSON.stringify({ ...pv, padding: 'x'.repeat(6 * 1024 * 1024) }),
      auth: 'valid',
    },
    { kind: 'shape', path: PV, body: deep(100_000), auth: 'valid' },
    { kind: 'shape', path: PV, body: deepArr(100_000), auth: 'valid' },
    { kind: 'shape', path: PV, body: withPrefetchRaw(deep(5_000)), auth: 'valid' },
    { kind: 'shape', path: PV, body: withPrefetchRaw(deepArr(5_000)), auth: 'valid' },
    { kind: 'shape', path: PV, body: hugeEntries(500_000), auth: 'valid' },
    {
      kind: 'shape',
      path: PV,
      body: JSON.stringify({
        ...pv,
        context: { ...pv.context, extra: Array.from({ length: 200_000 }, (_, i) => i) },
      }),
      auth: 'valid',
    },
    { kind: 'shape', path: PV, body: '{"hook": "patient-view",', auth: 'valid' },
    { kind: 'shape', path: PV, body: '', auth: 'valid' },
    { kind: 'shape', path: PV, body: 'null', auth: 'valid' },
    { kind: 'shape', path: PV, body: '[]', auth: 'valid' },
    { kind: 'shape', path: PV, body: '"patient-view"', auth: 'valid' },
    { kind: 'shape', path: PV, body: '\uFEFF{}', auth: 'valid' },
    {
      kind: 'shape',
      path: PV,
      body: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
      auth: 'valid',
    },
    { kind: 'shape', path: PV, body: JSON.stringify(pv), contentType: 'text/plain', auth: 'valid' },
    {
      kind: 'shape',
      path: PV,
      body: JSON.stringify(pv),
      contentType: 'application/x-www-form-urlencoded',
      auth: 'valid',
    },
    {
      kind: 'shape',
      path: PV,
      body: JSON.stringify(pv),
      contentType: 'application/json; charset=utf-16',
      auth: 'valid',
    },
    { kind: 'shape', path: '/cds-services/no-such-service', body: JSON.stringify(pv), auth: 'valid' },
    { kind: 'shape', path: '/cds-services/%E0%A4%A', body: JSON.stringify(pv), auth: 'valid' },
    { kind: 'shape', path: `/cds-services/${'a'.repeat(5000)}`, body: JSON.stringify(pv), auth: 'valid' },
    { kind: 'shape', path: PV, method: 'PUT', body: JSON.stringify(pv), auth: 'valid' },
    {
      kind: 'shape',
      path: `${PV}/feedback`,
      body: JSON.stringify({ feedback: Array.from({ length: 100_000 }, () => ({})) }),
      auth: 'valid',
    },
    { kind: 'shape', path: `${PV}/feedback`, body: deep(50_000), auth: 'valid' },
  ];
}

export interface FuzzReport {
  runs: number;
  /** Status counts per kind, e.g. { hook: { '400': 90, '200': 10 } }. */
  statuses: Record<string, Record<string, number>>;
  failures: { kind: string; why: string; path: string }[];
}

/**
 * Runs every kind of case against `target` with fast-check (fixed `seed`, `runsPerKind` each), plus
 * the fixed shape cases. Never throws on a bad answer: failures are collected for the caller.
 */
export async function fuzzService(
  target: FuzzTarget,
  opts: { seed: number; runsPerKind: number },
): Promise<FuzzReport> {
  const report: FuzzReport = { runs: 0, statuses: {}, failures: [] };
  const check = async (c: FuzzCase): Promise<boolean> => {
    let answer: Answer;
    try {
      answer = await send(target, c);
    } catch (e) {
      report.failures.push({
        kind: c.kind,
        path: c.path.slice(0, 80),
        why: `no answer: ${(e as Error).message}`,
      });
      report.runs++;
      return false;
    }
    report.runs++;
    const byKind = (report.statuses[c.kind] ??= {});
    byKind[answer.status] = (byKind[answer.status] ?? 0) + 1;
    const verdict = judge(c, answer);
    if (!verdict.ok && report.failures.length < 50)
      report.failures.push({ kind: c.kind, path: c.path.slice(0, 80), why: verdict.why });
    return verdict.ok;
  };
  const kinds: fc.Arbitrary<FuzzCase>[] = [
    hookCases(target),
    prefetchCases(target),
    feedbackCases(),
    jwtCases(),
  ];
  for (const [i, arb] of kinds.entries()) {
    // Failures are recorded rather than thrown: one broken input should not hide the others.
    await fc.check(
      fc.asyncProperty(arb, async (c) => void (await check(c))),
      {
        seed: opts.seed + i,
        numRuns: opts.runsPerKind,
        endOnFailure: false,
      },
    );
  }
  for (const c of shapeCases(target)) await check(c);
  return report;
}
