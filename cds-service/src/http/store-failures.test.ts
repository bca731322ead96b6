/**
 * Errors keep their meaning on every route (issue 17 §3): a bug in a store method is a 500 with an
 * OperationOutcome and a log line carrying the cause, and an unavailable database a 503 with
 * `Retry-After`, never one dressed as the other. Hooks are the designed exception: they answer
 * with cards without the store (docs/deployment.md §5), and the log says which of the two it was.
 */
import { randomUUID } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import request from 'supertest';
import { CdsError } from '../errors';
import { a1c, completePrefetch, FHIR_BASE, hookRequest, patient } from '../test-support/fixtures';
import { emptySearches, fhirSearch, useFhirMock } from '../test-support/fhir-server';
import { buildHarness, type Harness } from '../test-support/harness';
import type { MemoryStores } from '../test-support/stores';
import type { MonitoringReadModel } from '../store/store';
import { testBackends } from '../store/testing';
import { createMonitoringRouter } from './routes/monitoring';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(60_000);

const mock = useFhirMock();

const APP_TOKEN = 'app-smart-access-token-51aa';
const ADMIN_TOKEN = 'monitoring-admin-token-0123456789abcdef';
const PV = '/cds-services/rationale-patient-view';
const FB = `${PV}/feedback`;
const NOW = new Date('2026-05-02T10:00:00.000Z');

type Failure = 'bug' | 'outage';
const BUG = 'store method is broken';

/** What `method` does from now on: throws a TypeError (a bug) or rejects as an unavailable database. */
function fail<T extends object>(target: T, method: keyof T, failure: Failure): void {
  (target as Record<keyof T, unknown>)[method] = () =>
    failure === 'bug'
      ? Promise.reject(new TypeError(BUG))
      : Promise.reject(new CdsError('store-unavailable', 'The database is unavailable'));
}

/** A monitoring read model whose every query fails as told. */
function failingReadModel(failure: Failure): MonitoringReadModel {
  const model = {} as MonitoringReadModel;
  for (const m of ['monitoring', 'monitoringSummary', 'hookPerformance', 'siteModelPerformance'] as const)
    fail(model, m, failure);
  return model;
}

async function harness(failure: Failure): Promise<Harness> {
  return buildHarness({
    deps: {
      monitoringRouter: createMonitoringRouter({
        store: failingReadModel(failure),
        adminToken: ADMIN_TOKEN,
        clock: () => NOW,
      }),
    },
  });
}

/** The FHIR server lets APP_TOKEN read Patient/p1 and finds two HbA1c results. */
function fhirServes() {
  mock.server.use(
    http.get(`${FHIR_BASE}/Patient/:id`, ({ request: r }) =>
      r.headers.get('authorization') === `Bearer ${APP_TOKEN}`
        ? HttpResponse.json(patient())
        : new HttpResponse(null, { status: 401 }),
    ),
    fhirSearch('Observation', [a1c('a1', 7.0, '2026-01-01'), a1c('a2', 7.1, '2026-04-01')]),
    ...emptySearches(),
  );
}

/** Runs a hook and returns the card uuid and the stored assessment id. */
async function hook(h: Harness): Promise<{ card: string; assessmentId: string }> {
  const res = await request(h.app)
    .post(PV)
    .set('Authorization', `Bearer ${await h.token(PV)}`)
    .send(hookRequest('patient-view', { prefetch: completePrefetch() }));
  expect(res.status).toBe(200);
  const card = res.body.cards[0] as { uuid: string; links: { appContext: string }[] };
  const { assessmentId } = JSON.parse(card.links[0]?.appContext ?? '{}') as { assessmentId: string };
  return { card: card.uuid, assessmentId };
}

interface Route {
  name: string;
  /** The store method the route depends on (absent: the admin read model, failing from the start). */
  method?: keyof MemoryStores;
  send(h: Harness, made: { card: string; assessmentId: string }): Promise<request.Response>;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const ROUTES: Route[] = [
  {
    name: 'POST /cds-services/{id}/feedback',
    method: 'saveFeedback',
    send: async (h, { card }) =>
      request(h.app)
        .post(FB)
        .set(bearer(await h.token(FB)))
        .send({ feedback: [{ card, outcome: 'overridden', outcomeTimestamp: '2026-05-01T10:00:00Z' }] }),
  },
  {
    name: 'GET /api/assessments/{id}',
    method: 'getAssessment',
    send: (h, { assessmentId }) =>
      request(h.app).get(`/api/assessments/${assessmentId}`).set(bearer(APP_TOKEN)),
  },
  {
    name: 'GET /api/assessments?patient=',
    method: 'latestAssessmentFor',
    send: (h) =>
      request(h.app)
        .get('/api/assessments')
        .query({ patient: 'p1', fhirServer: FHIR_BASE })
        .set(bearer(APP_TOKEN)),
  },
  {
    name: 'POST /api/assessments',
    method: 'saveAssessment',
    send: (h) =>
      request(h.app)
        .post('/api/assessments')
        .set(bearer(APP_TOKEN))
        .send({ fhirServer: FHIR_BASE, patient: 'p1' }),
  },
  {
    name: 'POST /api/feedback',
    method: 'saveAppFeedback',
    send: (h, { assessmentId }) =>
      request(h.app)
        .post('/api/feedback')
        .set(bearer(APP_TOKEN))
        .send({ assessmentId, target: { type: 'hypothesis', id: 'h1', key: 't2d' }, verdict: 'agree' }),
  },
  {
    name: 'GET /admin/monitoring',
    send: (h) => request(h.app).get('/admin/monitoring').set(bearer(ADMIN_TOKEN)),
  },
  {
    name: 'GET /admin/monitoring.csv',
    send: (h) => request(h.app).get('/admin/monitoring.csv').set(bearer(ADMIN_TOKEN)),
  },
  {
    name: 'GET /admin/hooks.csv',
    send: (h) => request(h.app).get('/admin/hooks.csv').set(bearer(ADMIN_TOKEN)),
  },
];

interface LogLine {
  level: number;
  msg?: string;
  code?: string;
  err?: { message?: string };
}
const logLines = (h: Harness) => h.logs.map((l) => JSON.parse(l) as LogLine);
const ERROR = 50;
const WARN = 40;

describe.each(ROUTES)('$name', (route) => {
  let h: Harness;
  let made: { card: string; assessmentId: string };

  async function failing(failure: Failure): Promise<request.Response> {
    h = await harness(failure);
    fhirServes();
    made = await hook(h);
    if (route.method) fail(h.store, route.method, failure);
    return route.send(h, made);
  }

  it('answers 500 with an OperationOutcome and logs the cause when the store has a bug', async () => {
    const res = await failing('bug');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'exception', diagnostics: 'Internal error' }],
    });
    expect(res.headers['retry-after']).toBeUndefined();
    expect(logLines(h)).toContainEqual(
      expect.objectContaining({
        level: ERROR,
        msg: 'unexpected error',
        err: expect.objectContaining({ message: BUG }),
      }),
    );
  });

  it('answers 503 with an OperationOutcome and Retry-After when the database is unavailable', async () => {
    const res = await failing('outage');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
    expect(logLines(h)).toContainEqual(
      expect.objectContaining({ level: ERROR, msg: 'request failed', code: 'store-unavailable' }),
    );
    expect(logLines(h).some((l) => l.msg === 'unexpected error')).toBe(false);
  });
});

describe('POST /cds-services/{id} (a hook answers without the store)', () => {
  const cases = (['activeSnoozes', 'recordHook'] as const).flatMap((method) => [
    { method, failure: 'bug' as const, level: ERROR, msg: /^store failed: / },
    { method, failure: 'outage' as const, level: WARN, msg: /^store unavailable: / },
  ]);

  it.each(cases)(
    'answers with cards when $method fails ($failure), and logs it as such',
    async ({ method, failure, level, msg }) => {
      const h = await harness(failure);
      fail(h.store, method, failure);
      const res = await request(h.app)
        .post(PV)
        .set(bearer(await h.token(PV)))
        .send(hookRequest('patient-view', { prefetch: completePrefetch() }));
      expect(res.status).toBe(200);
      expect(res.body.cards.length).toBeGreaterThan(0);
      await new Promise((r) => setImmediate(r)); // the write-behind failure is logged after the answer
      const lines = logLines(h).filter((l) => l.msg?.startsWith('store '));
      expect(lines).toEqual([expect.objectContaining({ level, msg: expect.stringMatching(msg) })]);
    },
  );
});

describe('the real store once its database is gone (PGlite, closed)', () => {
  const pglite = testBackends().find((b) => b.name === 'pglite');

  it('answers 503 with an OperationOutcome on feedback and on the app API, and 503 from /healthz', async () => {
    const opened = await pglite!.open();
    await opened.cleanup();
    const h = await buildHarness({ deps: { store: opened.store } });
    fhirServes();
    const feedback = await request(h.app)
      .post(FB)
      .set(bearer(await h.token(FB)))
      .send({
        feedback: [{ card: randomUUID(), outcome: 'overridden', outcomeTimestamp: '2026-05-01T10:00:00Z' }],
      });
    const read = await request(h.app).get(`/api/assessments/${randomUUID()}`).set(bearer(APP_TOKEN));
    for (const res of [feedback, read]) {
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
    }
    expect((await request(h.app).get('/healthz')).status).toBe(503);
  });
});
