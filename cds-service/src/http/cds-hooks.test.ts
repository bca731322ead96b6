import express from 'express';
import { delay, http, HttpResponse } from 'msw';
import request from 'supertest';
import { cdsDiscoverySchema, cdsResponseSchema, type Card } from '@rationale/shared-types';
import { PREFETCH_LOINC_CODES, SERVICES } from '../hooks/registry';
import { fakeRenderCards } from '../test-support/fake-model';
import {
  a1c,
  completePrefetch,
  FHIR_BASE,
  FHIR_TOKEN,
  hookRequest,
  patient,
  searchset,
} from '../test-support/fixtures';
import { emptySearches, fhirRead, fhirSearch, useFhirMock } from '../test-support/fhir-server';
import { buildHarness, type Harness } from '../test-support/harness';
import type * as FakeModel from '../test-support/fake-model';
type FakeModelModule = typeof FakeModel;

const mock = useFhirMock();

const PV = '/cds-services/rationale-patient-view';

async function call(h: Harness, path: string, body: unknown) {
  return request(h.app)
    .post(path)
    .set('Authorization', `Bearer ${await h.token(path)}`)
    .send(body as object);
}

/** Asserts the CDS Hooks response rules on every card (STU2 §Card Attributes). */
function expectConformingCards(body: unknown): Card[] {
  const parsed = cdsResponseSchema.parse(body);
  for (const card of parsed.cards) {
    expect(card.summary.length).toBeLessThan(140);
    expect(card.uuid).toEqual(expect.any(String));
    expect(card.source.label).toEqual(expect.any(String));
    expect(['info', 'warning', 'critical']).toContain(card.indicator);
    if (card.suggestions?.length) expect(card.selectionBehavior).toBeDefined();
    for (const r of card.overrideReasons ?? []) expect(r.display).toEqual(expect.any(String));
  }
  return parsed.cards;
}

describe('discovery', () => {
  it('lists the five hooks with prefetch templates for the data the model reads', async () => {
    const h = await buildHarness();
    const res = await request(h.app)
      .get('/cds-services')
      .set('Authorization', `Bearer ${await h.token('/cds-services')}`);
    expect(res.status).toBe(200);
    const discovery = cdsDiscoverySchema.parse(res.body);
    expect(discovery.services.map((s) => s.hook).sort()).toEqual(
      ['encounter-discharge', 'encounter-start', 'order-select', 'order-sign', 'patient-view'].sort(),
    );
    const pv = discovery.services.find((s) => s.id === 'rationale-patient-view');
    expect(pv?.prefetch?.patient).toBe('Patient/{{context.patientId}}');
    expect(pv?.prefetch?.observations).toContain('http://loinc.org|4548-4');
    for (const code of PREFETCH_LOINC_CODES) expect(pv?.prefetch?.observations).toContain(`|${code}`);
    // The assessments the eCQM Hospice and PalliativeCare libraries count reach the model too.
    expect(pv?.prefetch?.observations).toContain('http://loinc.org|45755-6');
    expect(pv?.prefetch?.observations).toContain('http://loinc.org|71007-9');
    expect(Object.keys(pv?.prefetch ?? {}).sort()).toEqual([
      'allergies',
      'carePlans',
      'conditions',
      'encounters',
      'medications',
      'observations',
      'patient',
      'procedures',
      'serviceRequests',
    ]);
    expect(discovery.services.find((s) => s.hook === 'order-sign')?.prefetch?.medications).toContain('draft');
    expect(pv?.prefetch?.medications).not.toContain('draft');
    for (const s of discovery.services) {
      expect(s.hookVersion).toBe('1.0');
      // 2.0 clients do not resolve the 3.0 FHIRPath tokens.
      for (const t of Object.values(s.prefetch ?? {})) expect(t).not.toMatch(/today\(\)/);
    }
  });

  it('leaves out services switched off in the configuration file, and answers 404 for them', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'rationale-')), 'config.yaml');
    writeFileSync(file, 'services:\n  encounter-start:\n    enabled: false\n');
    const h = await buildHarness({ env: { CDS_CONFIG_FILE: file } });
    const res = await request(h.app)
      .get('/cds-services')
      .set('Authorization', `Bearer ${await h.token('/cds-services')}`);
    expect(res.body.services.map((s: { hook: string }) => s.hook)).not.toContain('encounter-start');
    const off = await call(
      h,
      '/cds-services/rationale-encounter-start',
      hookRequest('encounter-start', { context: { encounterId: 'e1' } }),
    );
    expect(off.status).toBe(404);
    expect(off.body.resourceType).toBe('OperationOutcome');
  });

  it('exports every service in the registry with an id derived from its hook', () => {
    expect(SERVICES.map((s) => s.id)).toContain('rationale-order-select');
  });
});

describe('POST /cds-services/{id}', () => {
  it('answers from a complete prefetch without calling the FHIR server, with conforming cards', async () => {
    const h = await buildHarness();
    const res = await call(h, PV, hookRequest('patient-view'));
    expect(res.status).toBe(200);
    const cards = expectConformingCards(res.body);
    expect(cards).toHaveLength(1);
    expect(mock.requests).toHaveLength(0);
    // The SMART link's appContext names the stored assessment and the card's own item in it.
    const link = cards[0]?.links?.[0];
    expect(link?.type).toBe('smart');
    expect(link?.url).toBe('https://cds.rationale.example/app/launch.html');
    const context = JSON.parse(link?.appContext ?? '{}') as { assessmentId?: string; item?: string };
    const stored = h.store.assessments.get(context.assessmentId ?? '');
    expect(stored).toBeDefined();
    const items = [
      ...(stored?.assessment.hypotheses ?? []),
      ...(stored?.assessment.recommendations ?? []),
      ...(stored?.assessment.safety ?? []),
    ].map((i) => i.id);
    expect(items).toContain(context.item);
    expect(h.store.issuedCards.get(cards[0]?.uuid ?? '')?.silent).toBe(false);
    expect(h.store.auditEvents.at(-1)).toMatchObject({
      action: 'hook',
      serviceId: 'rationale-patient-view',
      patientId: 'p1',
      outcome: 'ok',
    });
  });

  it('keeps the assessment of a call that issued no card only as a row, unless the site keeps them all', async () => {
    const quiet = {
      ...completePrefetch(),
      observations: searchset([a1c('a1', 5.4, '2026-01-10'), a1c('a2', 5.6, '2026-04-12')]),
    };
    for (const [env, kept] of [
      [{}, false],
      [{ STORE_CARDLESS_ASSESSMENTS: 'true' }, true],
    ] as const) {
      const h = await buildHarness({ env });
      const res = await call(h, PV, hookRequest('patient-view', { prefetch: quiet }));
      expect(res.status).toBe(200);
      expect(res.body.cards).toEqual([]);
      const id = h.store.auditEvents.at(-1)?.assessmentId ?? '';
      expect(h.store.assessments.get(id)?.patientId).toBe('p1');
      expect(h.store.withoutSnapshot.has(id)).toBe(!kept);
      // What the app can read: nothing when none was kept, and then no "latest" either.
      expect((await h.store.getAssessment(id))?.assessment.id).toBe(kept ? id : undefined);
      expect((await h.store.latestAssessmentFor('p1'))?.assessment.id).toBe(kept ? id : undefined);
    }
    // A call that issued a card keeps its snapshot whatever the setting.
    const h = await buildHarness();
    const res = await call(h, PV, hookRequest('patient-view'));
    expect(res.body.cards).toHaveLength(1);
    const id = h.store.auditEvents.at(-1)?.assessmentId ?? '';
    expect(h.store.withoutSnapshot.has(id)).toBe(false);
    expect((await h.store.getAssessment(id))?.assessment.id).toBe(id);
  });

  it('does not leave the parsed request on the request object once answered', async () => {
    // A request object outlives its answer under load (it waits in V8's old generation for a full
    // collection); the chart it carried must not live on with it.
    const h = await buildHarness();
    const seen: Array<{ body?: unknown }> = [];
    const outer = express();
    outer.use((req, _res, next) => {
      seen.push(req);
      next();
    });
    outer.use(h.app);
    const res = await request(outer)
      .post(PV)
      .set('Authorization', `Bearer ${await h.token(PV)}`)
      .send(hookRequest('patient-view'));
    expect(res.status).toBe(200);
    expect(expectConformingCards(res.body)).toHaveLength(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.body).toBeUndefined();
  });

  it('fetches a missing prefetch key from fhirServer with the bearer token', async () => {
    const h = await buildHarness();
    mock.server.use(fhirSearch('Observation', [a1c('a9', 8.1, '2026-02-01')]));
    const prefetch = completePrefetch();
    delete prefetch.observations;
    const res = await call(h, PV, hookRequest('patient-view', { prefetch }));
    expect(res.status).toBe(200);
    expect(expectConformingCards(res.body)).toHaveLength(1);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.url).toMatch(/^https:\/\/fhir\.ehr\.example\/r4\/Observation\?patient=p1&code=/);
    expect(mock.requests[0]?.authorization).toBe(`Bearer ${FHIR_TOKEN}`);
  });

  it('gathers everything from fhirServer when no prefetch is sent, following next links', async () => {
    const h = await buildHarness();
    mock.server.use(
      fhirRead('Patient/p1', patient()),
      fhirSearch('Observation', (url) =>
        url.searchParams.get('page') === '2'
          ? searchset([a1c('a2', 7.1, '2026-03-01')])
          : searchset([a1c('a1', 6.9, '2026-01-01')], `${FHIR_BASE}/Observation?page=2`),
      ),
      ...emptySearches(),
    );
    const res = await call(h, PV, hookRequest('patient-view', { prefetch: undefined }));
    expect(res.status).toBe(200);
    expect(mock.requests.filter((r) => r.url.includes('page=2'))).toHaveLength(1);
    // Hospice and dialysis care beyond the problem list (the exclusion framework reads them).
    const searched = (type: string) =>
      mock.requests.find((r) => r.url.startsWith(`${FHIR_BASE}/${type}?`))?.url;
    expect(searched('ServiceRequest')).toContain('306205009'); // Referral to hospice (VSAC 2.16.840.1.113762.1.4.1116.365)
    expect(searched('Procedure')).toContain('385763009'); // Hospice care (VSAC 2.16.840.1.113883.3.526.3.1584)
    expect(searched('CarePlan')).toContain('status=active');
    expect(res.body.cards[0].summary).toContain('6.9 and 7.1');
  });

  it('follows the next link of a paginated prefetch Bundle', async () => {
    const h = await buildHarness();
    mock.server.use(fhirSearch('Observation', () => searchset([a1c('a3', 9.9, '2026-05-01')])));
    const prefetch = completePrefetch();
    prefetch.observations = searchset(
      [a1c('a1', 7.2, '2026-01-10')],
      `${FHIR_BASE}/Observation?patient=p1&page=2`,
    );
    const res = await call(h, PV, hookRequest('patient-view', { prefetch }));
    expect(res.status).toBe(200);
    expect(mock.requests).toHaveLength(1);
    expect(res.body.cards[0].summary).toContain('7.2 and 9.9');
  });

  it('refuses to follow a next link that leaves fhirServer (412, no request)', async () => {
    const h = await buildHarness();
    const prefetch = completePrefetch();
    prefetch.observations = searchset(
      [a1c('a1', 7.2, '2026-01-10')],
      'https://attacker.example/Observation?page=2',
    );
    const res = await call(h, PV, hookRequest('patient-view', { prefetch }));
    expect(res.status).toBe(412);
    expect(mock.requests).toHaveLength(0);
  });

  it('treats a null prefetch value as no data and does not query', async () => {
    const h = await buildHarness();
    const prefetch = { ...completePrefetch(), conditions: null, medications: null, encounters: null };
    const res = await call(h, PV, hookRequest('patient-view', { prefetch }));
    expect(res.status).toBe(200);
    expect(mock.requests).toHaveLength(0);
  });

  it('fetches a key whose prefetch value is an OperationOutcome, or a Bundle holding one', async () => {
    const h = await buildHarness();
    mock.server.use(fhirSearch('Condition', []), fhirSearch('MedicationRequest', []));
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'timeout' }] };
    const prefetch = {
      ...completePrefetch(),
      conditions: outcome,
      medications: {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [{ resource: outcome, search: { mode: 'outcome' } }],
      },
    };
    const res = await call(h, PV, hookRequest('patient-view', { prefetch }));
    expect(res.status).toBe(200);
    expect(mock.requests.map((r) => new URL(r.url).pathname).sort()).toEqual([
      '/r4/Condition',
      '/r4/MedicationRequest',
    ]);
  });

  it('answers 412 without any outbound request when fhirServer is not allowlisted', async () => {
    const h = await buildHarness();
    const prefetch = completePrefetch();
    delete prefetch.observations;
    const res = await call(
      h,
      PV,
      hookRequest('patient-view', { prefetch, fhirServer: 'https://evil.example/fhir' }),
    );
    expect(res.status).toBe(412);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toEqual(['prefetch.observations']);
    expect(mock.requests).toHaveLength(0);
  });

  it('answers 412 when prefetch is incomplete and no fhirServer is given', async () => {
    const h = await buildHarness();
    const prefetch = completePrefetch();
    delete prefetch.patient;
    const res = await call(h, PV, hookRequest('patient-view', { prefetch, fhirServer: null }));
    expect(res.status).toBe(412);
    expect(res.body.issue[0].expression).toContain('prefetch.patient');
  });

  it('answers 412 when the FHIR server never answers, within the time budget', async () => {
    const h = await buildHarness({ env: { FHIR_TIMEOUT_MS: '200' } });
    mock.server.use(
      http.get(`${FHIR_BASE}/Observation`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const prefetch = completePrefetch();
    delete prefetch.observations;
    const res = await call(h, PV, hookRequest('patient-view', { prefetch }));
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toMatch(/time budget/);
  });

  it('answers 412 when the FHIR server refuses the token', async () => {
    const h = await buildHarness();
    mock.server.use(http.get(`${FHIR_BASE}/Observation`, () => new HttpResponse(null, { status: 401 })));
    const prefetch = completePrefetch();
    delete prefetch.observations;
    const res = await call(h, PV, hookRequest('patient-view', { prefetch }));
    expect(res.status).toBe(412);
  });

  it('answers 412, not 400, when a prefetch value is not a resource and there is no fhirServer', async () => {
    const h = await buildHarness();
    const res = await call(
      h,
      PV,
      hookRequest('patient-view', { prefetch: { ...completePrefetch(), patient: { id: 'x' } } }),
    );
    expect(res.status).toBe(412);
  });

  it('normalizes patientId sent as Patient/{id}', async () => {
    const h = await buildHarness();
    const res = await call(h, PV, hookRequest('patient-view', { context: { patientId: 'Patient/p1' } }));
    expect(res.status).toBe(200);
    expect([...h.store.assessments.values()][0]?.patientId).toBe('p1');
  });

  it('answers 412 when the prefetched Patient is another patient', async () => {
    const h = await buildHarness();
    const res = await call(
      h,
      PV,
      hookRequest('patient-view', { prefetch: { ...completePrefetch(), patient: patient('someone-else') } }),
    );
    expect(res.status).toBe(412);
  });

  it.each([
    [{ hookInstance: undefined }, 'hookInstance'],
    [{ context: { patientId: 'p1' } }, 'context.userId'],
    [{ hook: 'order-sign' }, 'hook'],
    [{ fhirServer: 'not a url' }, 'fhirServer'],
    [{ prefetch: ['not', 'a', 'map'] }, 'prefetch'],
    // An app link filed under such an id would lead to a 404: refused before anything is stored.
    [{ context: { userId: 'Practitioner/doc1', patientId: 'p1\u0000' } }, 'context.patientId'],
    [{ context: { userId: 'Practitioner/doc1', patientId: 'p\uD800' } }, 'context.patientId'],
    [{ context: { userId: 'Practitioner/doc1\u0000', patientId: 'p1' } }, 'context.userId'],
    [{ hookInstance: 'hi\u0000' }, 'hookInstance'],
  ])('answers 400 naming the bad field (%j)', async (override, field) => {
    const h = await buildHarness();
    const body = { ...hookRequest('patient-view'), ...override };
    const res = await call(h, PV, body);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toContain(field);
  });

  it('answers 400 for order-select without selections', async () => {
    const h = await buildHarness();
    const path = '/cds-services/rationale-order-select';
    const res = await call(
      h,
      path,
      hookRequest('order-select', { context: { draftOrders: { resourceType: 'Bundle', entry: [] } } }),
    );
    expect(res.status).toBe(400);
    expect(res.body.issue[0].expression).toContain('context.selections');
  });

  it('answers 400 with an OperationOutcome for a body that is not JSON', async () => {
    const h = await buildHarness();
    const res = await request(h.app)
      .post(PV)
      .set('Authorization', `Bearer ${await h.token(PV)}`)
      .set('Content-Type', 'application/json')
      .send('{"hook": ');
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
  });

  it('answers 413 with an OperationOutcome for a body over the limit', async () => {
    const h = await buildHarness();
    const big = { ...hookRequest('patient-view'), padding: 'x'.repeat(6 * 1024 * 1024) };
    const res = await call(h, PV, big);
    expect(res.status).toBe(413);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('answers 404 with an OperationOutcome for an unknown service', async () => {
    const h = await buildHarness();
    const res = await call(h, '/cds-services/nope', hookRequest('patient-view'));
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('answers a generic 500 without a stack trace when the model throws', async () => {
    const h = await buildHarness({
      deps: {
        assess: () => {
          throw new Error('secret internal detail');
        },
      },
    });
    const res = await call(h, PV, hookRequest('patient-view'));
    expect(res.status).toBe(500);
    expect(res.body.issue[0].diagnostics).toBe('Internal error');
    expect(JSON.stringify(res.body)).not.toContain('secret internal detail');
    expect(h.logs.join('')).toContain('secret internal detail');
  });

  it('puts draft orders and their Medication entries into the record for order-sign', async () => {
    let seen: { drafts: number; meds: number; active: number } | undefined;
    const h = await buildHarness({
      deps: {
        assess: (record, now, s) => {
          seen = {
            drafts: record.draftOrders.length,
            meds: record.medications.length,
            active: record.medicationRequests.length,
          };
          return jest.requireActual<FakeModelModule>('../test-support/fake-model').fakeAssess(record, now, s);
        },
      },
    });
    const draft = {
      resourceType: 'MedicationRequest',
      id: 'd1',
      status: 'draft',
      intent: 'order',
      medicationReference: { reference: 'Medication/m1' },
    };
    const prefetch = {
      ...completePrefetch(),
      medications: searchset([draft as never]),
      allergies: searchset([{ resourceType: 'AllergyIntolerance', id: 'al1' } as never]),
    };
    const res = await call(
      h,
      '/cds-services/rationale-order-sign',
      hookRequest('order-sign', {
        prefetch,
        context: {
          draftOrders: {
            resourceType: 'Bundle',
            entry: [{ resource: draft }, { resource: { resourceType: 'Medication', id: 'm1' } }],
          },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(seen).toEqual({ drafts: 1, meds: 1, active: 0 });
    expect(expectConformingCards(res.body).map((c) => c.source.topic?.code)).toContain(
      'safety-allergy-check',
    );
  });

  it('drops a card that breaks the spec (summary of 140 characters) and logs it', async () => {
    const h = await buildHarness({
      deps: {
        renderCards: (a, o) => {
          const r = fakeRenderCards(a, o);
          const first = r.cards[0];
          if (first)
            r.cards.push({ ...first, card: { ...first.card, uuid: 'long', summary: 'x'.repeat(140) } });
          return r;
        },
      },
    });
    const res = await call(h, PV, hookRequest('patient-view'));
    expect(res.status).toBe(200);
    expect(expectConformingCards(res.body)).toHaveLength(1);
    expect(h.logs.join('')).toContain('card dropped');
  });

  it('answers with cards when the store is down', async () => {
    const h = await buildHarness();
    h.store.failing = true;
    const res = await request(h.app)
      .post(PV)
      .set('Authorization', `Bearer ${await h.token(PV)}`)
      .send(hookRequest('patient-view'));
    expect(res.status).toBe(200);
    expect(expectConformingCards(res.body)).toHaveLength(1);
    expect(h.logs.join('')).toContain('store unavailable');
  });

  it('uses the EHR profile configured for the calling issuer', async () => {
    const h = await buildHarness({
      issuers: (k) => [
        { iss: 'https://ehr.example/cds-client', jwks: { keys: [k.es384.publicJwk] }, profile: 'epic' },
      ],
    });
    const res = await call(h, PV, hookRequest('patient-view'));
    expect(res.body.cards[0].selectionBehavior).toBe('any');
  });
});

describe('LLM reasoner within its budget', () => {
  const additions = {
    status: 'complete' as const,
    hypotheses: [],
    recommendations: [],
    reasoning: [{ text: 'ok', findingIds: [], citationIds: [] }],
    dropped: {},
  };

  it('attaches additions that arrive within the budget', async () => {
    const h = await buildHarness({
      deps: {
        llm: {
          budgetMs: 10_000,
          describe: () => ({ model: 'm', promptVersion: 'p' }),
          enrich: async () => additions,
        },
      },
    });
    const res = await call(h, PV, hookRequest('patient-view'));
    const id = (JSON.parse(res.body.cards[0].links[0].appContext) as { assessmentId: string }).assessmentId;
    expect(h.store.assessments.get(id)?.assessment.llm?.status).toBe('complete');
  });

  it('answers without waiting for a late reasoner and stores its additions when they arrive', async () => {
    let release: (v: typeof additions) => void = () => undefined;
    const late = new Promise<typeof additions>((r) => (release = r));
    const h = await buildHarness({
      deps: {
        llm: { budgetMs: 0, describe: () => ({ model: 'm', promptVersion: 'p' }), enrich: () => late },
      },
    });
    const res = await call(h, PV, hookRequest('patient-view'));
    expect(res.status).toBe(200);
    const id = (JSON.parse(res.body.cards[0].links[0].appContext) as { assessmentId: string }).assessmentId;
    expect(h.store.assessments.get(id)?.assessment.llm?.status).toBe('pending');
    release(additions);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(h.store.llmAdditions.get(id)?.status).toBe('complete');
  });
});

describe('CORS', () => {
  it.each(['/cds-services', PV, `${PV}/feedback`])(
    'answers the preflight on %s allowing Authorization',
    async (path) => {
      const h = await buildHarness();
      const res = await request(h.app)
        .options(path)
        .set('Origin', 'https://ehr-browser.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-headers']?.toLowerCase()).toContain('authorization');
    },
  );

  it('limits origins when CORS_ORIGINS is set', async () => {
    const h = await buildHarness({ env: { CORS_ORIGINS: 'https://ehr-browser.example' } });
    const ok = await request(h.app)
      .options('/cds-services')
      .set('Origin', 'https://ehr-browser.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(ok.headers['access-control-allow-origin']).toBe('https://ehr-browser.example');
    const other = await request(h.app)
      .options('/cds-services')
      .set('Origin', 'https://other.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
