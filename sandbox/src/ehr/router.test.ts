import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { importJWK, jwtVerify, type JWTPayload } from 'jose';
import request from 'supertest';
import { createEhrRouter } from './router';
import { FIXTURE } from './test-support/fixtures';
import { createMemorySandbox, type MemorySandbox } from './test-support/memory-services';

/**
 * A CDS service on a real port that verifies the EHR's JWT the way cds-service does, records what
 * it received, and answers with a card carrying a suggestion and a SMART link.
 */
function startCdsService(current: () => MemorySandbox) {
  const received: Array<{ path: string; body: unknown; jwt: JWTPayload }> = [];
  const app = express();
  app.use(express.json());
  let base = '';
  const verify = async (req: express.Request): Promise<JWTPayload | undefined> => {
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    try {
      const key = await importJWK(current().publicJwk, 'ES384');
      const { payload } = await jwtVerify(token, key, {
        audience: `${base}${req.path}`,
        issuer: current().services.hookIssuer.iss,
        algorithms: ['ES384'],
      });
      return payload;
    } catch {
      return undefined;
    }
  };
  app.use(async (req, res, next) => {
    const jwt = await verify(req);
    if (!jwt) {
      res.status(401).end();
      return;
    }
    received.push({ path: req.path, body: req.body, jwt });
    next();
  });
  app.get('/cds-services', (_req, res) => {
    res.json({
      services: [
        {
          id: 'rationale-patient-view',
          hook: 'patient-view',
          description: 'd',
          prefetch: {
            patient: 'Patient/{{context.patientId}}',
            labs: 'Observation?patient=Patient/{{context.patientId}}&category=laboratory',
          },
        },
        { id: 'rationale-order-select', hook: 'order-select', description: 'd' },
      ],
    });
  });
  app.post('/cds-services/rationale-patient-view', (req, res) => {
    if (!req.body.prefetch && !req.body.fhirAuthorization) {
      res
        .status(412)
        .json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
      return;
    }
    res.json({
      cards: [
        {
          uuid: 'card-1',
          summary: 'Possible CKD G3a',
          indicator: 'info',
          source: { label: 'Rationale' },
          selectionBehavior: 'at-most-one',
          suggestions: [
            {
              label: 'Order UACR',
              uuid: 's1',
              actions: [
                {
                  type: 'create',
                  description: 'Order UACR',
                  resource: {
                    resourceType: 'ServiceRequest',
                    status: 'draft',
                    intent: 'order',
                    subject: { reference: `Patient/${req.body.context.patientId}` },
                  },
                },
              ],
            },
          ],
          links: [
            {
              label: 'Open reasoning',
              url: current().services.app.launchUrl,
              type: 'smart',
              appContext: 'a-1',
            },
          ],
        },
      ],
    });
  });
  app.post('/cds-services/rationale-order-select', (req, res) => {
    res.json({ cards: [] });
  });
  app.post('/cds-services/:id/feedback', (_req, res) => {
    res.json({});
  });
  return new Promise<{ server: Server; base: string; received: typeof received }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ server, base, received });
    });
  });
}

describe('EHR router', () => {
  let sandbox: MemorySandbox;
  let cds: Awaited<ReturnType<typeof startCdsService>>;
  let app: express.Express;

  // One CDS service for the file; each test gets a fresh sandbox (its own store and keys) and an
  // empty record of what the service received.
  beforeAll(async () => {
    cds = await startCdsService(() => sandbox);
  });

  afterAll(async () => {
    await new Promise((resolve) => cds.server.close(resolve));
  });

  beforeEach(async () => {
    sandbox = await createMemorySandbox(structuredClone(FIXTURE));
    cds.received.length = 0;
    app = express();
    app.use(
      '/ehr',
      createEhrRouter(sandbox.services, { scenarios: [{ id: 'p1', summary: 'CKD with rising creatinine' }] }),
    );
  });

  const fire = (body: Record<string, unknown>) =>
    request(app)
      .post('/ehr/api/hooks')
      .send({
        serviceBase: `${cds.base}/cds-services`,
        serviceId: 'rationale-patient-view',
        hook: 'patient-view',
        patientId: 'p1',
        userId: 'Practitioner/dr-1',
        ...body,
      });

  it('lists patients with their scenario summaries and serves a chart', async () => {
    const list = await request(app).get('/ehr/api/patients').expect(200);
    expect(list.body.patients).toEqual([
      {
        id: 'p1',
        name: 'Ada Lovelace',
        gender: 'female',
        birthDate: '1950-12-10',
        summary: 'CKD with rising creatinine',
      },
      { id: 'p2', name: 'Alan Turing', gender: 'male', birthDate: '1954-06-23' },
    ]);
    const chart = await request(app).get('/ehr/api/patients/p1/chart').expect(200);
    expect(chart.body.conditions).toHaveLength(1);
    expect(chart.body.labs.map((o: { id: string }) => o.id)).toEqual(['o5', 'o4', 'o3', 'o2', 'o1']);
    await request(app).get('/ehr/api/patients/nobody/chart').expect(404);
  });

  it('reports the signed-in user as the first Practitioner in the store', async () => {
    const config = await request(app).get('/ehr/api/config').expect(200);
    expect(config.body.userId).toBe('Practitioner/dr-1');
    expect(config.body.defaultCdsServices).toEqual(['http://127.0.0.1:8081/cds-services']);
  });

  it('fetches discovery with a JWT whose aud is the discovery URL', async () => {
    const res = await request(app).get('/ehr/api/services').query({ url: cds.base }).expect(200);
    expect(res.body.services.map((s: { id: string }) => s.id)).toEqual([
      'rationale-patient-view',
      'rationale-order-select',
    ]);
    expect(cds.received[0]?.jwt.aud).toBe(`${cds.base}/cds-services`);
  });

  it('fires a hook with prefetch, a real service token and a JWT for the exact service URL, and shows a redacted copy', async () => {
    const res = await fire({}).expect(200);
    const call = cds.received.find((r) => r.path === '/cds-services/rationale-patient-view');
    const sent = call?.body as Record<string, any>;
    expect(call?.jwt.aud).toBe(`${cds.base}/cds-services/rationale-patient-view`);
    expect(sent.hook).toBe('patient-view');
    expect(sent.hookInstance).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.context).toEqual({ userId: 'Practitioner/dr-1', patientId: 'p1' });
    expect(sent.fhirServer).toBe('http://localhost:8080/fhir');
    expect(sent.fhirAuthorization).toMatchObject({
      token_type: 'Bearer',
      subject: 'rationale-cds',
      patient: 'p1',
      expires_in: 300,
    });
    expect(sandbox.tokens.get(sent.fhirAuthorization.access_token)).toMatchObject({
      clientId: 'rationale-cds',
      patient: 'p1',
      user: 'Practitioner/dr-1',
    });
    expect(sent.fhirAuthorization.scope).toContain('patient/Observation.rs');
    expect(sent.prefetch.patient.id).toBe('p1');
    expect(sent.prefetch.labs.entry).toHaveLength(5);

    expect(res.body.status).toBe(200);
    expect(res.body.hookInstance).toBe(sent.hookInstance);
    expect(res.body.request.fhirAuthorization.access_token).toMatch(/^\[redacted/);
    expect(JSON.stringify(res.body)).not.toContain(sent.fhirAuthorization.access_token);
    expect(res.body.jwt.claims.aud).toBe(`${cds.base}/cds-services/rationale-patient-view`);
    expect(res.body.cards).toHaveLength(1);
    expect(typeof res.body.durationMs).toBe('number');
  });

  it('applies the Epic profile: a card with selectionBehavior at-most-one is rejected and reported', async () => {
    const res = await fire({ profile: 'epic' }).expect(200);
    expect(res.body.cards).toEqual([]);
    expect(res.body.conformance.rejected).toHaveLength(1);
    expect(res.body.conformance.issues).toContainEqual(
      expect.objectContaining({ rule: 'epic.selection-behavior' }),
    );
  });

  it('does not fire hooks the Oracle profile does not support', async () => {
    const res = await request(app)
      .post('/ehr/api/hooks')
      .send({
        serviceBase: cds.base,
        serviceId: 'rationale-order-select',
        hook: 'order-select',
        patientId: 'p1',
        userId: 'Practitioner/dr-1',
        profile: 'oracle',
        selections: ['MedicationRequest/d1'],
        draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [] },
      })
      .expect(200);
    expect(res.body.skipped).toBe(true);
    expect(cds.received.filter((r) => r.path.includes('order-select'))).toEqual([]);
  });

  it('omit without fhirAuthorization gets the service’s 412, reported as such', async () => {
    const res = await fire({ prefetchMode: 'omit', sendFhirAuthorization: false }).expect(200);
    const sent = cds.received.find((r) => r.path.endsWith('rationale-patient-view'))?.body as Record<
      string,
      unknown
    >;
    expect(sent).not.toHaveProperty('prefetch');
    expect(sent).not.toHaveProperty('fhirAuthorization');
    expect(res.body.status).toBe(412);
    expect(res.body.conformance.issues[0]).toMatchObject({ rule: 'status.412' });
  });

  it('validates order-select context: selections are required', async () => {
    const res = await request(app)
      .post('/ehr/api/hooks')
      .send({
        serviceBase: cds.base,
        serviceId: 'rationale-order-select',
        hook: 'order-select',
        patientId: 'p1',
        userId: 'Practitioner/dr-1',
        draftOrders: { resourceType: 'Bundle', entry: [] },
      })
      .expect(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('answers 502 when the CDS service cannot be reached', async () => {
    await request(app).get('/ehr/api/services').query({ url: 'http://127.0.0.1:1/cds-services' }).expect(502);
  });

  it('forwards feedback with a JWT whose aud is the feedback URL', async () => {
    const feedback = [
      {
        card: 'card-1',
        outcome: 'accepted',
        acceptedSuggestions: [{ id: 's1' }],
        outcomeTimestamp: new Date().toISOString(),
      },
    ];
    const res = await request(app)
      .post('/ehr/api/feedback')
      .send({ serviceBase: `${cds.base}/cds-services`, serviceId: 'rationale-patient-view', feedback })
      .expect(200);
    expect(res.body.status).toBe(200);
    const call = cds.received.find((r) => r.path.endsWith('/feedback'));
    expect(call?.jwt.aud).toBe(`${cds.base}/cds-services/rationale-patient-view/feedback`);
    expect(call?.body).toEqual({ feedback });
    await request(app)
      .post('/ehr/api/feedback')
      .send({
        serviceBase: cds.base,
        serviceId: 'x',
        feedback: [{ card: 'c', outcome: 'accepted', outcomeTimestamp: new Date().toISOString() }],
      })
      .expect(400);
  });

  it('applies a suggestion to the FHIR store and returns the created id', async () => {
    const res = await request(app)
      .post('/ehr/api/apply')
      .send({
        patientId: 'p1',
        actions: [
          {
            type: 'create',
            description: 'Order',
            resource: {
              resourceType: 'ServiceRequest',
              status: 'draft',
              intent: 'order',
              subject: { reference: 'Patient/p1' },
            },
          },
        ],
      })
      .expect(200);
    const [type, id] = res.body.created[0].split('/');
    expect(await sandbox.services.fhir.read(type, id)).toMatchObject({ resourceType: 'ServiceRequest' });
    await request(app)
      .post('/ehr/api/apply')
      .send({ patientId: 'p1', actions: [{ type: 'create', description: 'x' }] })
      .expect(400);
  });

  it('creates an EHR launch carrying appContext and returns the app URL with launch and iss', async () => {
    const res = await request(app)
      .post('/ehr/api/launch')
      .send({
        patientId: 'p1',
        userId: 'Practitioner/dr-1',
        appContext: 'assessment-7',
        url: sandbox.services.app.launchUrl,
      })
      .expect(200);
    const url = new URL(res.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(sandbox.services.app.launchUrl);
    expect(url.searchParams.get('iss')).toBe('http://localhost:8080/fhir');
    expect(sandbox.launches.get(url.searchParams.get('launch') ?? '')).toMatchObject({
      patient: 'p1',
      user: 'Practitioner/dr-1',
      appContext: 'assessment-7',
    });
    expect(res.body.registered).toBe(true);
    await request(app)
      .post('/ehr/api/launch')
      .send({ patientId: 'p1', userId: 'Practitioner/dr-1', url: 'javascript:alert(1)' })
      .expect(400);
  });
});
