import { http, HttpResponse } from 'msw';
import request from 'supertest';
import { assessmentSchema, modelCardSchema } from '@rationale/shared-types';
import { a1c, completePrefetch, FHIR_BASE, hookRequest, patient, searchset } from '../test-support/fixtures';
import { emptySearches, fhirRead, fhirSearch, useFhirMock } from '../test-support/fhir-server';
import { buildHarness, type Harness } from '../test-support/harness';

const mock = useFhirMock();

const APP_TOKEN = 'app-smart-access-token-SECRET-51aa';
const PV = '/cds-services/rationale-patient-view';

/** Runs a hook and returns the stored assessment id (named by the card's appContext). */
async function assessmentId(h: Harness, fhirServer = FHIR_BASE): Promise<string> {
  const res = await request(h.app)
    .post(PV)
    .set('Authorization', `Bearer ${await h.token(PV)}`)
    .send(hookRequest('patient-view', { prefetch: completePrefetch(), fhirServer }));
  return (JSON.parse(res.body.cards[0].links[0].appContext as string) as { assessmentId: string })
    .assessmentId;
}

/** The FHIR server grants APP_TOKEN access to Patient/p1 only. */
function fhirAuthorizes() {
  mock.server.use(
    http.get(`${FHIR_BASE}/Patient/:id`, ({ request: r, params }) => {
      if (r.headers.get('authorization') !== `Bearer ${APP_TOKEN}`)
        return new HttpResponse(null, { status: 401 });
      if (params.id !== 'p1') return new HttpResponse(null, { status: 403 });
      return HttpResponse.json(patient());
    }),
  );
}

describe('GET /api/assessments/:id', () => {
  it('answers 401 without a token', async () => {
    const h = await buildHarness();
    const id = await assessmentId(h);
    const res = await request(h.app).get(`/api/assessments/${id}`);
    expect(res.status).toBe(401);
    expect(mock.requests).toHaveLength(0);
  });

  it('returns the assessment when the FHIR server lets the token read the Patient', async () => {
    const h = await buildHarness();
    fhirAuthorizes();
    const id = await assessmentId(h);
    const res = await request(h.app)
      .get(`/api/assessments/${id}`)
      .set('Authorization', `Bearer ${APP_TOKEN}`);
    expect(res.status).toBe(200);
    expect(assessmentSchema.parse(res.body).id).toBe(id);
    expect(mock.requests[0]?.url).toBe(`${FHIR_BASE}/Patient/p1`);
    expect(mock.requests[0]?.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(h.store.auditEvents.at(-1)).toMatchObject({ action: 'app-read', assessmentId: id, outcome: 'ok' });
  });

  it('caches a positive check for the same token and patient', async () => {
    const h = await buildHarness();
    fhirAuthorizes();
    const id = await assessmentId(h);
    await request(h.app).get(`/api/assessments/${id}`).set('Authorization', `Bearer ${APP_TOKEN}`);
    await request(h.app).get(`/api/assessments/${id}`).set('Authorization', `Bearer ${APP_TOKEN}`);
    expect(mock.requests).toHaveLength(1);
  });

  it('answers 403 when the FHIR server refuses the token', async () => {
    const h = await buildHarness();
    mock.server.use(fhirRead('Patient/p1', 403));
    const id = await assessmentId(h);
    const res = await request(h.app)
      .get(`/api/assessments/${id}`)
      .set('Authorization', `Bearer ${APP_TOKEN}`);
    expect(res.status).toBe(403);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(h.store.auditEvents.at(-1)).toMatchObject({ action: 'app-read', outcome: 'denied' });
  });

  it('answers 401 when the FHIR server does not accept the token, apart from a 403 for permissions', async () => {
    const h = await buildHarness();
    mock.server.use(fhirRead('Patient/p1', 401));
    const id = await assessmentId(h);
    const res = await request(h.app)
      .get(`/api/assessments/${id}`)
      .set('Authorization', `Bearer ${APP_TOKEN}`);
    // The app tells the clinician to launch again, not that the EHR granted too few permissions.
    expect(res.status).toBe(401);
  });

  it('refuses a bearer value not shaped like an access token without contacting the FHIR server', async () => {
    const h = await buildHarness();
    const id = await assessmentId(h);
    for (const junk of ['<script>', 'a,b', 'x"y', `${'a'.repeat(9000)}`]) {
      const res = await request(h.app).get(`/api/assessments/${id}`).set('Authorization', `Bearer ${junk}`);
      expect(res.status).toBe(401);
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('answers 403 without any request when the assessment came from a server not on the allowlist', async () => {
    const h = await buildHarness();
    const id = await assessmentId(h, 'https://elsewhere.example/fhir');
    const res = await request(h.app)
      .get(`/api/assessments/${id}`)
      .set('Authorization', `Bearer ${APP_TOKEN}`);
    expect(res.status).toBe(403);
    expect(mock.requests).toHaveLength(0);
  });

  it('answers 404 for an unknown id', async () => {
    const h = await buildHarness();
    const res = await request(h.app)
      .get('/api/assessments/00000000-0000-4000-8000-000000000000')
      .set('Authorization', `Bearer ${APP_TOKEN}`);
    expect(res.status).toBe(404);
  });

  it('answers 503 when the store is down', async () => {
    const h = await buildHarness();
    const id = await assessmentId(h);
    h.store.failing = true;
    const res = await request(h.app)
      .get(`/api/assessments/${id}`)
      .set('Authorization', `Bearer ${APP_TOKEN}`);
    expect(res.status).toBe(503);
  });

  it('never logs the app token', async () => {
    const h = await buildHarness();
    fhirAuthorizes();
    const id = await assessmentId(h);
    await request(h.app).get(`/api/assessments/${id}`).set('Authorization', `Bearer ${APP_TOKEN}`);
    expect(h.logs.join('')).not.toContain(APP_TOKEN);
  });
});

describe('GET /api/assessments?patient=', () => {
  it('returns the latest assessment for the patient (Oracle Health drops appContext)', async () => {
    let tick = Date.now();
    const h = await buildHarness({ deps: { clock: () => new Date((tick += 1000)) } });
    fhirAuthorizes();
    const older = await assessmentId(h);
    const latest = await assessmentId(h);
    const res = await request(h.app)
      .get('/api/assessments')
      .query({ patient: 'p1' })
      .set('Authorization', `Bearer ${APP_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(latest);
    expect(res.body.id).not.toBe(older);
  });

  it('gives the same answer for a patient never assessed and one assessed, until the FHIR server accepts the token', async () => {
    const h = await buildHarness();
    fhirAuthorizes(); // APP_TOKEN may read Patient/p1 only
    await assessmentId(h); // p1 has an assessment; p2 has none
    const ask = (patientId: string, token: string) =>
      request(h.app)
        .get('/api/assessments')
        .query({ patient: patientId, fhirServer: FHIR_BASE })
        .set('Authorization', `Bearer ${token}`);
    const seen = [];
    for (const token of ['junk-token-1', 'junk-token-2']) {
      const assessed = await ask('p1', token);
      const never = await ask('p2', token);
      seen.push([assessed.status, never.status]);
      expect(assessed.body).toEqual(never.body);
    }
    expect(seen).toEqual([
      [401, 401],
      [401, 401],
    ]);
    // A valid token that may not read p2: 403 whether or not p2 was assessed.
    const notAllowed = await ask('p2', APP_TOKEN);
    expect(notAllowed.status).toBe(403);
    // Each answer came after the token was tried on Patient/{id}, and nothing else was read.
    expect(mock.requests.every((r) => /\/Patient\/p[12]$/.test(r.url))).toBe(true);
    expect(mock.requests).toHaveLength(5);
  });

  it('answers 404 for a patient the token may read but who was never assessed, after verifying', async () => {
    const h = await buildHarness();
    mock.server.use(fhirRead('Patient/p7', patient('p7')));
    const res = await request(h.app)
      .get('/api/assessments')
      .query({ patient: 'p7', fhirServer: FHIR_BASE })
      .set('Authorization', `Bearer ${APP_TOKEN}`);
    expect(res.status).toBe(404);
    expect(mock.requests.map((r) => r.url)).toEqual([`${FHIR_BASE}/Patient/p7`]);
  });

  it('answers 400 naming patient for a control character in it, before any FHIR read', async () => {
    const h = await buildHarness();
    // (A lone surrogate cannot travel in a URL: UTF-8 has no bytes for it.)
    for (const bad of ['p1\u0000', 'p1\u001b']) {
      const res = await request(h.app)
        .get('/api/assessments')
        .query({ patient: bad, fhirServer: FHIR_BASE })
        .set('Authorization', `Bearer ${APP_TOKEN}`);
      expect(res.status).toBe(400);
      expect(res.body.issue[0].expression).toEqual(['patient']);
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('answers 400 without a patient and 401 without a token', async () => {
    const h = await buildHarness();
    expect(
      (await request(h.app).get('/api/assessments').set('Authorization', `Bearer ${APP_TOKEN}`)).status,
    ).toBe(400);
    expect((await request(h.app).get('/api/assessments').query({ patient: 'p1' })).status).toBe(401);
  });
});

describe('POST /api/assessments', () => {
  it('computes, stores and returns a fresh assessment from the FHIR server with the app token', async () => {
    const h = await buildHarness();
    fhirAuthorizes();
    mock.server.use(
      fhirSearch('Observation', [a1c('a1', 7.0, '2026-01-01'), a1c('a2', 7.1, '2026-04-01')]),
      ...emptySearches(),
    );
    const res = await request(h.app)
      .post('/api/assessments')
      .set('Authorization', `Bearer ${APP_TOKEN}`)
      .send({ fhirServer: FHIR_BASE, patient: 'p1' });
    expect(res.status).toBe(201);
    const a = assessmentSchema.parse(res.body);
    expect(a.hypotheses[0]?.conditionId).toBe('t2d');
    expect(h.store.assessments.get(a.id)?.fhirServer).toBe(FHIR_BASE);
    expect(mock.requests.every((r) => r.authorization === `Bearer ${APP_TOKEN}`)).toBe(true);
  });

  it('assesses a standalone launch from a per-launch base under an allowlisted launcher prefix', async () => {
    const launcher = 'http://launcher.example/v/r4/sim';
    const perLaunch = `${launcher}/eyJrIjoiMSIsImIiOiJwMSJ9/fhir`;
    const h = await buildHarness({ env: { FHIR_SERVER_ALLOWLIST: `${FHIR_BASE},${launcher}` } });
    mock.server.use(
      http.get(`${perLaunch}/*`, ({ request: r }) => {
        if (r.headers.get('authorization') !== `Bearer ${APP_TOKEN}`)
          return new HttpResponse(null, { status: 401 });
        const url = new URL(r.url);
        if (url.pathname.endsWith('/Patient/p1')) return HttpResponse.json(patient());
        return HttpResponse.json(
          searchset(url.pathname.endsWith('/Observation') ? [a1c('a1', 7.0, '2026-01-01')] : []),
        );
      }),
    );
    const res = await request(h.app)
      .post('/api/assessments')
      .set('Authorization', `Bearer ${APP_TOKEN}`)
      .send({ fhirServer: perLaunch, patient: 'p1' });
    expect(res.status).toBe(201);
    const a = assessmentSchema.parse(res.body);
    expect(h.store.assessments.get(a.id)?.fhirServer).toBe(perLaunch);
    expect(mock.requests.length).toBeGreaterThan(1);
    expect(mock.requests.every((r) => r.url.startsWith(`${perLaunch}/`))).toBe(true);
    // A sibling path that merely shares the prefix's letters is still refused, naming the allowlist.
    const sibling = await request(h.app)
      .post('/api/assessments')
      .set('Authorization', `Bearer ${APP_TOKEN}`)
      .send({ fhirServer: 'http://launcher.example/v/r4/simulator/x/fhir', patient: 'p1' });
    expect(sibling.status).toBe(403);
    expect(sibling.body.issue[0].diagnostics).toMatch(/allowlist/);
  });

  it('answers 403 without any request for a FHIR server not on the allowlist', async () => {
    const h = await buildHarness();
    const res = await request(h.app)
      .post('/api/assessments')
      .set('Authorization', `Bearer ${APP_TOKEN}`)
      .send({ fhirServer: 'https://elsewhere.example/fhir', patient: 'p1' });
    expect(res.status).toBe(403);
    expect(mock.requests).toHaveLength(0);
  });

  it('answers 403 when the token may not read the patient', async () => {
    const h = await buildHarness();
    fhirAuthorizes();
    const res = await request(h.app)
      .post('/api/assessments')
      .set('Authorization', `Bearer ${APP_TOKEN}`)
      .send({ fhirServer: FHIR_BASE, patient: 'p2' });
    expect(res.status).toBe(403);
  });

  it('answers 400 naming the field for a bad body', async () => {
    const h = await buildHarness();
    const res = await request(h.app)
      .post('/api/assessments')
      .set('Authorization', `Bearer ${APP_TOKEN}`)
      .send({ patient: 'p1' });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].expression).toContain('fhirServer');
  });
});

describe('POST /api/feedback', () => {
  it('stores app feedback for an assessment the token may see', async () => {
    const h = await buildHarness();
    fhirAuthorizes();
    const id = await assessmentId(h);
    const res = await request(h.app)
      .post('/api/feedback')
      .set('Authorization', `Bearer ${APP_TOKEN}`)
      .send({
        assessmentId: id,
        target: { type: 'hypothesis', id: 'h1', key: 't2d' },
        verdict: 'disagree',
        reason: 'incorrect-data',
      });
    expect(res.status).toBe(201);
    expect(res.body.id).toEqual(expect.any(String));
    expect(h.store.appFeedback[0]?.feedback.verdict).toBe('disagree');
  });

  it('answers 401 without a token and 403 when access is refused', async () => {
    const h = await buildHarness();
    mock.server.use(fhirRead('Patient/p1', 403));
    const id = await assessmentId(h);
    const body = { assessmentId: id, target: { type: 'hypothesis', id: 'h1', key: 't2d' }, verdict: 'agree' };
    expect((await request(h.app).post('/api/feedback').send(body)).status).toBe(401);
    expect(
      (await request(h.app).post('/api/feedback').set('Authorization', `Bearer ${APP_TOKEN}`).send(body))
        .status,
    ).toBe(403);
    expect(h.store.appFeedback).toHaveLength(0);
  });
});

describe('GET /api/model-card', () => {
  it('serves the model card, describing the LLM when one is configured', async () => {
    const plain = await buildHarness();
    const a = await request(plain.app).get('/api/model-card');
    expect(modelCardSchema.parse(a.body).llm.enabled).toBe(false);
    const withLlm = await buildHarness({
      deps: {
        llm: {
          budgetMs: 0,
          describe: () => ({ model: 'gpt-x', promptVersion: 'v3' }),
          enrich: () => new Promise(() => undefined),
        },
      },
    });
    const b = await request(withLlm.app).get('/api/model-card');
    expect(b.body.llm).toMatchObject({ enabled: true, model: 'gpt-x', promptVersion: 'v3' });
  });
});
