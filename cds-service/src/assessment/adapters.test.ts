/**
 * The adapter-equivalence test (issue 17): one patient, four adapters of the one pipeline — the
 * patient-view hook over HTTP, the app API's standalone assessment over HTTP (FHIR server played by
 * msw), the CLI dry run, and eval — with the real knowledge model and card renderer. Each must
 * produce the same Assessment and, where it picks cards, the same cards; and a malformed resource
 * must be read identically on every path (the same data-quality issue, never a 400 or 500).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import request from 'supertest';
import {
  assessmentSchema,
  cdsResponseSchema,
  type Assessment,
  type Card,
  type Resource,
} from '@rationale/shared-types';
import { renderCards } from '../cards';
import { dryRun } from '../cli/dry-run';
import { recordEnd } from '../eval/load';
import { assessForEval, evaluate } from '../eval/run';
import { recordFromResources } from '../fhir/record';
import { assess } from '../model/assess';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import { emptySearches, fhirSearch, useFhirMock } from '../test-support/fhir-server';
import { FHIR_BASE, searchset } from '../test-support/fixtures';
import { buildHarness, PUBLIC_URL, type Harness } from '../test-support/harness';

// The real model and two HTTP apps on a busy machine: generous, never a timing assertion.
jest.setTimeout(60_000);

const mock = useFhirMock();

const APP_TOKEN = 'app-smart-access-token-adapters-7d1e';
const PV = '/cds-services/rationale-patient-view';
const LAUNCH_URL = `${PUBLIC_URL}/app/launch.html`;

/** A 58-year-old with type 2 diabetes, CKD-range eGFRs, an LDL of 132 and metformin (cli/fixtures). */
const TYPICAL = (
  JSON.parse(readFileSync(join(__dirname, '../cli/fixtures/patient-typical.json'), 'utf8')) as {
    entry: { resource: Resource }[];
  }
).entry.map((e) => e.resource);
const PATIENT_ID = 'typical-1';
/** Eval's "now": the day after the record ends. Every adapter is given the same moment. */
const NOW = recordEnd(recordFromResources(TYPICAL, PATIENT_ID));

/** valueQuantity.value as a string: a datatype the model relies on, broken. */
const MALFORMED: Resource = {
  resourceType: 'Observation',
  id: 'o-bad',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
  subject: { reference: `Patient/${PATIENT_ID}` },
  effectiveDateTime: '2026-01-10',
  valueQuantity: { value: '7.1' as unknown as number, unit: '%' },
};
const MALFORMED_WHERE = 'Observation/o-bad.valueQuantity.value';

const byType = (resources: readonly Resource[], type: string) =>
  resources.filter((r) => r.resourceType === type);

function sequentialIds(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

/**
 * The service with the real model and renderer, its clock at NOW. JWT checks are off here: they
 * would judge the token by the same clock, and they are tested in http/auth.test.ts.
 */
async function harness(): Promise<Harness> {
  return buildHarness({
    env: { AUTH_REQUIRED: 'false' },
    deps: { assess, renderCards, clock: () => NOW, newId: sequentialIds() },
  });
}

/** The patient-view hook with everything prefetched, as an EHR sends it. */
async function viaHook(resources: readonly Resource[]) {
  const h = await harness();
  const res = await request(h.app)
    .post(PV)
    .send({
      hook: 'patient-view',
      hookInstance: 'adapters-1',
      fhirServer: FHIR_BASE,
      context: { userId: 'Practitioner/doc1', patientId: PATIENT_ID },
      prefetch: {
        patient: byType(resources, 'Patient')[0],
        conditions: searchset(byType(resources, 'Condition')),
        observations: searchset(byType(resources, 'Observation')),
        medications: searchset(byType(resources, 'MedicationRequest')),
        allergies: null,
        encounters: searchset([]),
        procedures: null,
        serviceRequests: null,
        carePlans: null,
      },
    });
  const stored = [...h.store.assessments.values()][0]?.assessment;
  return { res, stored };
}

/** The app's standalone launch: the service reads the record from the FHIR server with the app token. */
async function viaAppApi(resources: readonly Resource[]) {
  const h = await harness();
  const patient = byType(resources, 'Patient')[0];
  mock.server.use(
    http.get(`${FHIR_BASE}/Patient/:id`, ({ request: r }) =>
      r.headers.get('authorization') === `Bearer ${APP_TOKEN}`
        ? HttpResponse.json(patient)
        : new HttpResponse(null, { status: 401 }),
    ),
    fhirSearch('Condition', byType(resources, 'Condition')),
    fhirSearch('Observation', byType(resources, 'Observation')),
    fhirSearch('MedicationRequest', byType(resources, 'MedicationRequest')),
    ...emptySearches(),
  );
  return request(h.app)
    .post('/api/assessments')
    .set('Authorization', `Bearer ${APP_TOKEN}`)
    .send({ fhirServer: FHIR_BASE, patient: PATIENT_ID });
}

function viaDryRun(resources: readonly Resource[], appLaunchUrl: string | null = LAUNCH_URL) {
  return dryRun(
    {
      hook: 'patient-view',
      bundle: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: resources.map((resource) => ({ resource })),
      },
      profile: 'generic',
      now: NOW,
      budget: 3,
      modelSettings: DEFAULT_MODEL_SETTINGS,
      ...(appLaunchUrl ? { appLaunchUrl } : {}),
      newUuid: sequentialIds(),
    },
    { assess, renderCards },
  );
}

/** What the model concluded, without what each adapter legitimately names differently. */
function conclusions(a: Assessment): Omit<Assessment, 'id' | 'hook' | 'hookInstance'> {
  const { id: _id, hook: _hook, hookInstance: _instance, ...rest } = a;
  return JSON.parse(JSON.stringify(rest)) as Omit<Assessment, 'id' | 'hook' | 'hookInstance'>;
}

/** A card without its uuids and its link's appContext (the assessment id), which differ by design. */
function cardContent(card: Card): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== 'uuid' && k !== 'appContext')
          .map(([k, x]) => [k, strip(x)]),
      );
    return v;
  };
  return strip(card);
}

describe('one pipeline, four adapters', () => {
  it('gives the same assessment on the hook, the app API, the dry run and eval, and the same cards where cards are picked', async () => {
    const hook = await viaHook(TYPICAL);
    expect(hook.res.status).toBe(200);
    const hookCards = cdsResponseSchema.parse(hook.res.body).cards;
    expect(hook.stored).toBeDefined();

    const app = await viaAppApi(TYPICAL);
    expect(app.status).toBe(201);
    const appAssessment = assessmentSchema.parse(app.body);

    const dry = await viaDryRun(TYPICAL);
    const evaluated = await assessForEval({ patientId: PATIENT_ID, resources: TYPICAL });
    expect(evaluated.now.toISOString()).toBe(NOW.toISOString());

    // The fixture is worth cards: the comparison below is not of empty lists.
    expect(hookCards.length).toBeGreaterThan(0);
    expect(hook.stored?.findings.length).toBeGreaterThan(0);

    const reference = conclusions(dry.assessment);
    expect(conclusions(hook.stored as Assessment)).toEqual(reference);
    expect(conclusions(appAssessment)).toEqual(reference);
    expect(conclusions(evaluated.full)).toEqual(reference);

    // Hook and dry run: the same cards, links included. Eval renders without a SMART launch URL
    // (so no link), as a dry run without one does.
    expect(hookCards.map(cardContent)).toEqual(dry.cards.returned.map(cardContent));
    const dryNoLink = await viaDryRun(TYPICAL, null);
    expect(evaluated.cards?.returned.map(cardContent)).toEqual(dryNoLink.cards.returned.map(cardContent));
    expect(evaluated.cards?.returned.map((c) => c.summary)).toEqual(hookCards.map((c) => c.summary));
    // The link carries each adapter's own assessment id.
    const assessmentIdOf = (card: Card | undefined) =>
      (JSON.parse(card?.links?.[0]?.appContext ?? '{}') as { assessmentId?: string }).assessmentId;
    expect(assessmentIdOf(hookCards[0])).toBe(hook.stored?.id);
    expect(assessmentIdOf(dry.cards.returned[0])).toBe('dry-run');
  });

  it('reads a malformed resource identically on every path: the same data-quality issue, never a 400 or 500', async () => {
    const resources = [...TYPICAL, MALFORMED];
    const expected = [{ kind: 'element-ignored', where: MALFORMED_WHERE, problem: 'must be a number' }];

    const hook = await viaHook(resources);
    expect(hook.res.status).toBe(200);
    expect(hook.stored?.dataQuality).toEqual(expected);

    const app = await viaAppApi(resources);
    expect(app.status).toBe(201);
    expect(assessmentSchema.parse(app.body).dataQuality).toEqual(expected);

    const dry = await viaDryRun(resources);
    expect(dry.assessment.dataQuality).toEqual(expected);

    const evaluated = await assessForEval({ patientId: PATIENT_ID, resources });
    expect(evaluated.full.dataQuality).toEqual(expected);

    // Apart from the issue, the malformed value is as if absent: the same conclusions as without it.
    const { dataQuality: _dq, ...withIssue } = conclusions(dry.assessment);
    const without = { ...MALFORMED, valueQuantity: { unit: '%' } } as Resource;
    expect(withIssue).toEqual(conclusions((await viaDryRun([...TYPICAL, without])).assessment));
    expect((await evaluate([{ patientId: PATIENT_ID, resources }])).patients).toBe(1);
  });
});
