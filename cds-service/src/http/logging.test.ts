import request from 'supertest';
import {
  completePrefetch,
  CANARY_NAME,
  FHIR_BASE,
  FHIR_TOKEN,
  hookRequest,
  patient,
} from '../test-support/fixtures';
import { fhirRead, fhirSearch, useFhirMock } from '../test-support/fhir-server';
import { buildHarness } from '../test-support/harness';
import { createLogger } from '../logger';
import { Writable } from 'node:stream';

const mock = useFhirMock();

const PV = '/cds-services/rationale-patient-view';

describe('logs', () => {
  it('hold no patient name, token, JWT or prefetch body after full hooks, feedback and app calls', async () => {
    const h = await buildHarness();
    mock.server.use(fhirRead('Patient/p1', patient()), fhirSearch('Condition', []));
    const jwt = await h.token(PV);
    const prefetch = completePrefetch();
    delete prefetch.conditions; // one key fetched from the FHIR server too
    const res = await request(h.app)
      .post(PV)
      .set('Authorization', `Bearer ${jwt}`)
      .send(hookRequest('patient-view', { prefetch }));
    expect(res.status).toBe(200);
    const card = res.body.cards[0];

    const fb = `${PV}/feedback`;
    await request(h.app)
      .post(fb)
      .set('Authorization', `Bearer ${await h.token(fb)}`)
      .send({
        feedback: [{ card: card.uuid, outcome: 'overridden', outcomeTimestamp: '2026-05-01T10:00:00Z' }],
      });
    await request(h.app)
      .get(
        `/api/assessments/${(JSON.parse(card.links[0].appContext) as { assessmentId: string }).assessmentId}`,
      )
      .set('Authorization', 'Bearer app-token-CANARY-9d1');

    // A failing request too: a 412 and a 401 must not leak either.
    const bad = { ...completePrefetch() };
    delete bad.observations;
    await request(h.app)
      .post(PV)
      .set('Authorization', `Bearer ${jwt}`)
      .send(hookRequest('patient-view', { prefetch: bad, fhirServer: 'https://x.example' }));

    const logs = h.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('hook answered');
    expect(logs).not.toContain(CANARY_NAME);
    expect(logs).not.toContain('Testpatient');
    expect(logs).not.toContain('1961-04-02');
    expect(logs).not.toContain(FHIR_TOKEN);
    expect(logs).not.toContain('app-token-CANARY-9d1');
    expect(logs).not.toContain(jwt);
    expect(logs).not.toContain(jwt.split('.')[1] ?? 'x');
    expect(logs).not.toContain('valueQuantity');
    expect(logs).not.toContain('"resourceType"');
    // Fields, not prose: every line is JSON with a requestId where a request was involved.
    for (const line of h.logs) expect(() => JSON.parse(line)).not.toThrow();
    expect(
      h.logs
        .filter((l) => l.includes('hook answered'))
        .every((l) => JSON.parse(l).hookInstance && JSON.parse(l).requestId),
    ).toBe(true);
    expect(FHIR_BASE).toMatch(/^https:/);
  });

  it('redacts tokens and prefetch bodies even if code hands them to the logger', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(c, _e, cb) {
          lines.push(String(c));
          cb();
        },
      }),
    });
    logger.info(
      {
        headers: { authorization: 'Bearer leak-1' },
        fhirAuthorization: { access_token: 'leak-2' },
        prefetch: { patient: CANARY_NAME },
      },
      'x',
    );
    logger.info(
      {
        req: { headers: { authorization: 'Bearer leak-3' } },
        request: { prefetch: CANARY_NAME, token: 'leak-4' },
      },
      'y',
    );
    const out = lines.join('');
    for (const leak of ['leak-1', 'leak-2', 'leak-3', 'leak-4', CANARY_NAME]) expect(out).not.toContain(leak);
  });
});
