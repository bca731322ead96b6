import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import type { Assessment, Citation, PatientRecord } from '@rationale/shared-types';
import { emptyRecord } from '@rationale/shared-types';
import { createLlmEnricher, type LlmSettings } from './enricher';
import { dateShiftDays, shiftDatesIn } from './deidentify';
import type { LlmOutput } from './prompt';

const BASE = 'http://llm.test/v1';
const SECRET = 'test-date-shift-secret';

const CANARY = {
  name: 'Quixotica Zanzibarova',
  mrn: 'MRN-CANARY-77231',
  street: '42 Canary Wharf Lane',
  phone: '555-013-7788',
  birthDate: '1951-02-03',
};

const evidence: Citation[] = [
  {
    id: 'ada-soc-2025',
    kind: 'guideline',
    title: 'Standards of Care in Diabetes—2025',
    authors: 'American Diabetes Association',
    year: 2025,
    url: 'https://diabetesjournals.org/care/issue/48/Supplement_1',
  },
];

function record(): PatientRecord {
  return emptyRecord({
    resourceType: 'Patient',
    id: 'pat-canary-1',
    name: [{ given: ['Quixotica'], family: 'Zanzibarova', text: CANARY.name }],
    identifier: [{ system: 'urn:mrn', value: CANARY.mrn }],
    address: [{ line: [CANARY.street], city: 'Springfield', postalCode: '01234' }],
    telecom: [{ system: 'phone', value: CANARY.phone }],
    birthDate: CANARY.birthDate,
    gender: 'female',
  });
}

function assessment(): Assessment {
  return {
    id: 'a1',
    model: { name: 'rationale-knowledge-model', version: '1', knowledgeBaseHash: 'h' },
    assessedAt: '2026-11-20T10:00:00Z',
    patient: { reference: 'Patient/pat-canary-1', ageYears: 75, sex: 'female' },
    findings: [
      {
        id: 'obs-a1c-1',
        code: 'a1c',
        kind: 'observation',
        // A display that (wrongly) carries the patient's name and a date: both must be scrubbed.
        label: `HbA1c 7.2 % for ${CANARY.name} on 2026-03-02`,
        value: 7.2,
        unit: '%',
        date: '2026-03-02',
        sources: [{ reference: 'Observation/a1c-1' }],
      },
      {
        id: 'obs-egfr-1',
        code: 'egfr',
        kind: 'observation',
        label: 'eGFR 52 mL/min/1.73m²',
        value: 52,
        unit: 'mL/min/1.73m²',
        date: '2026-07-15',
        sources: [{ reference: 'Observation/egfr-1' }],
      },
    ],
    hypotheses: [],
    nextBestTests: [],
    scores: [],
    recommendations: [],
    safety: [],
    citations: evidence,
    dataGaps: [],
  };
}

const good: LlmOutput = {
  hypotheses: [
    {
      condition: 'Diabetic kidney disease',
      snomedCode: '127013003',
      probability: 0.4,
      rationale: 'HbA1c 7.2 % with eGFR 52; repeat in 3 months (next check after 2026-05-02).',
      findingIds: ['F1', 'F2'],
      evidenceIds: ['ada-soc-2025'],
      statedValues: [
        { findingId: 'F1', value: 7.2, unit: '%' },
        { findingId: 'F2', value: 52, unit: 'mL/min/1.73m²' },
      ],
    },
  ],
  recommendations: [
    {
      title: 'Order urine albumin-to-creatinine ratio',
      kind: 'order-test',
      rationale: 'Diabetes with reduced eGFR',
      findingIds: ['F2'],
      evidenceIds: ['ada-soc-2025'],
      statedValues: [],
    },
  ],
  reasoning: [{ text: 'eGFR below 60 with diabetes', findingIds: ['F2'], evidenceIds: [] }],
};

function completion(content: string) {
  return {
    id: 'cmpl-1',
    object: 'chat.completion',
    created: 0,
    model: 'test-model',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal: null } }],
  };
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const settings = (over: Partial<LlmSettings> = {}): LlmSettings => ({
  endpoint: { kind: 'openai', baseUrl: BASE, apiKey: 'k', model: 'test-model' },
  budgetMs: 300,
  deadlineMs: 1500,
  dateShiftSecret: SECRET,
  circuitFailureThreshold: 5,
  circuitOpenMs: 30_000,
  ...over,
});

/** Answers each call with the next responder; records the bodies sent. */
function endpoint(...responders: Array<() => Response | Promise<Response>>) {
  const bodies: string[] = [];
  server.use(
    http.post(`${BASE}/chat/completions`, async ({ request }) => {
      bodies.push(await request.text());
      const responder = responders[Math.min(bodies.length - 1, responders.length - 1)]!;
      return responder();
    }),
  );
  return bodies;
}

/** The de-identified summary inside a chat request body. */
function sentSummary(body: string): { patient: { age: string } } {
  const request = JSON.parse(body) as { messages: Array<{ role: string; content: string }> };
  return JSON.parse(request.messages.find((m) => m.role === 'user')!.content) as { patient: { age: string } };
}

const ok = (output: unknown) => () => HttpResponse.json(completion(JSON.stringify(output)));

describe('LLM enricher', () => {
  it('merges a good answer as verified, LLM-marked claims with real finding ids', async () => {
    endpoint(ok(good));
    const additions = await createLlmEnricher(settings(), { evidence }).enrich(assessment(), record());
    expect(additions.status).toBe('complete');
    expect(additions.promptVersion).toBeDefined();
    expect(additions.hypotheses).toHaveLength(1);
    expect(additions.hypotheses[0]).toMatchObject({
      origin: 'llm',
      label: 'Diabetic kidney disease',
      status: 'suggested',
    });
    expect(additions.hypotheses[0]!.criteria?.findingIds).toEqual(['obs-a1c-1', 'obs-egfr-1']);
    expect(additions.recommendations[0]).toMatchObject({ origin: 'llm', findingIds: ['obs-egfr-1'] });
    expect(additions.reasoning).toHaveLength(1);
    expect(additions.citations?.map((c) => c.id)).toEqual(['ada-soc-2025']);
    expect(additions.dropped).toEqual({});
  });

  it('shifts dates the LLM wrote back to real dates', async () => {
    endpoint(ok(good));
    const shift = dateShiftDays(SECRET, 'Patient/pat-canary-1');
    const shifted = shiftDatesIn('2026-05-02', shift);
    const answer = structuredClone(good);
    answer.hypotheses[0]!.rationale = `Recheck after ${shifted}.`;
    endpoint(ok(answer));
    const additions = await createLlmEnricher(settings(), { evidence }).enrich(assessment(), record());
    expect(additions.hypotheses[0]!.rationale).toBe('Recheck after 2026-05-02.');
  });

  it('drops claims that cite findings or evidence that do not exist, and counts them', async () => {
    const answer = structuredClone(good);
    answer.hypotheses.push({
      ...good.hypotheses[0]!,
      condition: 'Invented',
      findingIds: ['F99'],
      statedValues: [],
    });
    answer.recommendations.push({ ...good.recommendations[0]!, evidenceIds: ['pmid-00000000'] });
    answer.reasoning.push({ text: 'uncited claim', findingIds: [], evidenceIds: [] });
    endpoint(ok(answer));
    const additions = await createLlmEnricher(settings(), { evidence }).enrich(assessment(), record());
    expect(additions.hypotheses.map((h) => h.label)).toEqual(['Diabetic kidney disease']);
    expect(additions.recommendations).toHaveLength(1);
    expect(additions.dropped).toEqual({ 'unknown-finding': 1, 'unknown-citation': 1, uncited: 1 });
  });

  it('drops claims whose stated value contradicts the cited finding', async () => {
    const answer = structuredClone(good);
    answer.hypotheses[0]!.statedValues = [{ findingId: 'F1', value: 9.4, unit: '%' }];
    answer.recommendations[0]!.statedValues = [{ findingId: 'F2', value: 52, unit: 'mg/dL' }];
    endpoint(ok(answer));
    const additions = await createLlmEnricher(settings(), { evidence }).enrich(assessment(), record());
    expect(additions.hypotheses).toHaveLength(0);
    expect(additions.recommendations).toHaveLength(0);
    expect(additions.dropped).toEqual({ 'contradicted-value': 2 });
  });

  it('retries malformed JSON, then falls back within the deadline', async () => {
    const bodies = endpoint(() => HttpResponse.json(completion('{"hypotheses": [oops')));
    const started = Date.now();
    const additions = await createLlmEnricher(settings({ deadlineMs: 400 }), { evidence }).enrich(
      assessment(),
      record(),
    );
    expect(additions.status).toBe('failed');
    expect(bodies.length).toBeGreaterThan(1);
    // Bounded by the deadline, not by the retries: a loose bound, so a loaded CI machine passes.
    expect(Date.now() - started).toBeLessThan(400 + 3_000);
  });

  it('gives up on an endpoint that does not answer within the deadline', async () => {
    endpoint(async () => {
      await delay(5_000);
      return HttpResponse.json(completion(JSON.stringify(good)));
    });
    const started = Date.now();
    const additions = await createLlmEnricher(settings({ deadlineMs: 250 }), { evidence }).enrich(
      assessment(),
      record(),
    );
    expect(additions.status).toBe('timeout');
    expect(additions.hypotheses).toEqual([]);
    // Cut at the deadline, not when the endpoint answers 5 s later.
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('waits out a short Retry-After on 429 and succeeds', async () => {
    const bodies = endpoint(
      () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '0' } }),
      ok(good),
    );
    const additions = await createLlmEnricher(settings(), { evidence }).enrich(assessment(), record());
    expect(additions.status).toBe('complete');
    expect(bodies).toHaveLength(2);
  });

  it('falls back at once when Retry-After reaches past the deadline', async () => {
    const bodies = endpoint(() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '120' } }));
    const started = Date.now();
    const additions = await createLlmEnricher(settings(), { evidence }).enrich(assessment(), record());
    expect(additions.status).toBe('failed');
    expect(bodies).toHaveLength(1);
    // Not after the 120 s the endpoint asked for.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('retries a 500 and falls back within the deadline when it persists', async () => {
    const bodies = endpoint(() => HttpResponse.json({ error: { message: 'boom' } }, { status: 500 }));
    const started = Date.now();
    const additions = await createLlmEnricher(settings({ deadlineMs: 400 }), { evidence }).enrich(
      assessment(),
      record(),
    );
    expect(additions.status).toBe('failed');
    expect(bodies.length).toBeGreaterThan(1);
    // Bounded by the deadline, not by the retries: a loose bound, so a loaded CI machine passes.
    expect(Date.now() - started).toBeLessThan(400 + 3_000);
  });

  it('opens the circuit after repeated failures, then closes it after a successful trial', async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const bodies = endpoint(() => HttpResponse.json({ error: { message: 'bad request' } }, { status: 400 }));
    const enricher = createLlmEnricher(settings({ circuitFailureThreshold: 2, circuitOpenMs: 10_000 }), {
      evidence,
      now,
    });
    await enricher.enrich(assessment(), record());
    await enricher.enrich(assessment(), record());
    expect(bodies).toHaveLength(2);

    const whileOpen = await enricher.enrich(assessment(), record());
    expect(whileOpen.status).toBe('failed');
    expect(bodies).toHaveLength(2); // no call while open

    clock += 10_001;
    server.resetHandlers();
    const trialBodies = endpoint(ok(good));
    const trial = await enricher.enrich(assessment(), record());
    expect(trial.status).toBe('complete');
    expect(trialBodies).toHaveLength(1);

    await enricher.enrich(assessment(), record());
    expect(trialBodies).toHaveLength(2); // closed again: calls flow
  });

  it('sends none of the patient identifiers and only shifted dates', async () => {
    const bodies = endpoint(ok(good));
    await createLlmEnricher(settings(), { evidence }).enrich(assessment(), record());
    const payload = bodies.join('\n');
    for (const value of [
      CANARY.name,
      'Zanzibarova',
      'Quixotica',
      CANARY.mrn,
      CANARY.street,
      CANARY.phone,
      CANARY.birthDate,
      'pat-canary-1',
    ]) {
      expect(payload).not.toContain(value);
    }
    // Real finding dates and FHIR ids stay home; the shifted dates go out.
    expect(payload).not.toContain('2026-03-02');
    expect(payload).not.toContain('2026-07-15');
    expect(payload).not.toContain('Observation/a1c-1');
    expect(payload).not.toContain('obs-a1c-1');
    const shift = dateShiftDays(SECRET, 'Patient/pat-canary-1');
    expect(shift).not.toBe(0);
    expect(payload).toContain(shiftDatesIn('2026-03-02', shift));
    // 75 is reported as is; over 89 would be grouped.
    expect(sentSummary(bodies[0]!).patient.age).toBe('75');
  });

  it('groups ages over 89', async () => {
    const bodies = endpoint(ok(good));
    const old = assessment();
    old.patient.ageYears = 93;
    await createLlmEnricher(settings(), { evidence }).enrich(old, record());
    expect(sentSummary(bodies[0]!).patient.age).toBe('90+');
    expect(bodies[0]).not.toContain('93');
  });
});
