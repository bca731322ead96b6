/**
 * Issue 20 §2, through HTTP with the real store (PGlite): hook calls made to the service (answered
 * 200, a bare 401, a 400, a 412) show up on the monitoring page as calls, error rates and latency
 * percentiles per hook, drawn as plots and exported as JSON and CSV; the cards and assessments
 * they produced are counted by model and knowledge version; clinicians by role.
 */
import request from 'supertest';
import type { PostgresStore } from '../../store/postgres-store';
import { testBackends, type OpenedStore } from '../../store/testing';
import { hookRequest } from '../../test-support/fixtures';
import { buildHarness, type Harness } from '../../test-support/harness';
import { createMonitoringRouter } from './monitoring';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(90_000);

const TOKEN = 'monitoring-admin-token-for-hook-figures-0123';
const PV = '/cds-services/rationale-patient-view';
const OS = '/cds-services/rationale-order-sign';

let opened: OpenedStore;
let store: PostgresStore;
let h: Harness;

beforeAll(async () => {
  opened = await testBackends()
    .find((b) => b.name === 'pglite')!
    .open();
  store = opened.store;
  h = await buildHarness({
    deps: {
      store,
      monitoringRouter: createMonitoringRouter({ store, adminToken: TOKEN, clock: () => new Date() }),
    },
  });
  const post = async (path: string, body: unknown, auth = true) =>
    request(h.app)
      .post(path)
      .set('Authorization', auth ? `Bearer ${await h.token(path)}` : 'Bearer not-a-token')
      .send(body as object);
  // patient-view: two answered, one refused token, one malformed request, one with no data (412).
  expect((await post(PV, hookRequest('patient-view'))).status).toBe(200);
  expect(
    (
      await post(
        PV,
        hookRequest('patient-view', { context: { userId: 'PractitionerRole/pr1', patientId: 'p1' } }),
      )
    ).status,
  ).toBe(200);
  expect((await post(PV, hookRequest('patient-view'), false)).status).toBe(401);
  expect((await post(PV, { hook: 'patient-view' })).status).toBe(400);
  expect(
    (await post(PV, hookRequest('patient-view', { prefetch: undefined, fhirServer: null }))).status,
  ).toBe(412);
  // order-sign: one answered.
  const draftOrders = { resourceType: 'Bundle', entry: [] };
  expect((await post(OS, hookRequest('order-sign', { context: { draftOrders } }))).status).toBe(200);
});
afterAll(async () => {
  await opened?.cleanup();
});

const admin = (path: string) => request(h.app).get(path).set('Authorization', `Bearer ${TOKEN}`);

describe('hook performance and versions on the monitoring page', () => {
  it('counts every call per hook with its status class and latency percentiles (JSON)', async () => {
    const res = await admin('/admin/monitoring').query({ period: 'day' }).expect(200);
    const perf = res.body.hookPerformance as Array<Record<string, number | string>>;
    const pv = perf.find((r) => r.service === 'rationale-patient-view');
    const os = perf.find((r) => r.service === 'rationale-order-sign');
    expect(pv).toMatchObject({ calls: 5, ok: 2, clientErrors: 3, serverErrors: 0 });
    expect(os).toMatchObject({ calls: 1, ok: 1, clientErrors: 0, serverErrors: 0 });
    for (const r of [pv!, os!]) {
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p50Ms).toBeLessThanOrEqual(r.p90Ms as number);
      expect(r.p90Ms).toBeLessThanOrEqual(r.p99Ms as number);
    }
  });

  it('counts assessments and cards by model version and knowledge base, and clinicians by role', async () => {
    const res = await admin('/admin/monitoring').query({ period: 'day' }).expect(200);
    const versions = res.body.summary.byVersion as Array<Record<string, unknown>>;
    // The harness runs the fake model: three answered calls, three assessments under its version.
    expect(versions).toEqual([
      expect.objectContaining({ model: 'fake', version: '0', knowledgeBaseHash: 'x', assessments: 3 }),
    ]);
    const roles = (res.body.summary.byRole as Array<{ role: string }>).map((r) => r.role);
    expect(roles).toEqual(expect.arrayContaining(['Practitioner', 'PractitionerRole']));
  });

  it('draws the latency and error plots on the page, with no style the page policy would block', async () => {
    const res = await admin('/admin/').query({ period: 'day' });
    expect(res.status).toBe(200);
    const html = res.text;
    for (const id of ['latency-plot', 'errors-plot']) {
      const figure =
        new RegExp(`<figure class="plot" id="${id}">([\\s\\S]*?)</figure>`).exec(html)?.[1] ?? '';
      expect(figure).toMatch(/<svg[^>]*class="hook-plot"/);
      // One panel per hook service, and a point per series, period and hook (3 latency, 2 error series).
      expect(figure).toContain('rationale-patient-view');
      expect(figure).toContain('rationale-order-sign');
      expect((figure.match(/<circle/g) ?? []).length).toBe(id === 'latency-plot' ? 6 : 4);
      expect(figure).not.toMatch(/<style|\sstyle="/);
    }
    expect(html).toMatch(/<table id="hook-performance">[\s\S]*rationale-patient-view[\s\S]*60\.0%/);
    expect(html).toMatch(/<table id="by-version">[\s\S]*<th scope="row">fake<\/th>/);
  });

  it('exports the per-hook figures as CSV', async () => {
    const res = await admin('/admin/hooks.csv').query({ period: 'day' }).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(
      'period,hook_service,calls,ok,client_errors_4xx,server_errors_5xx,error_rate,p50_ms,p90_ms,p99_ms',
    );
    const today = new Date().toISOString().slice(0, 10);
    expect(lines.filter((l) => l.startsWith(`${today},rationale-patient-view,5,2,3,0,0.6000,`))).toHaveLength(
      1,
    );
    expect(lines.filter((l) => l.startsWith(`${today},rationale-order-sign,1,1,0,0,0.0000,`))).toHaveLength(
      1,
    );
  });

  it('answers the CSV only with the admin token', async () => {
    await request(h.app).get('/admin/hooks.csv').expect(401);
  });
});
