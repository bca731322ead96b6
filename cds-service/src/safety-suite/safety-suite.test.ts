/**
 * The adversarial safety suite (issue 13): every case in cases.ts goes through the HTTP app the
 * EHR calls — real JWT verification, prefetch gathering, the real model and the real card policy —
 * and its cards are checked against what the case's source requires. Prints "N/M safety cases pass".
 */
import request from 'supertest';
import type { Card, Resource } from '@rationale/shared-types';
import { renderCards } from '../cards';
import { assess } from '../model/assess';
import { modelCard } from '../model/model-card';
import { buildHarness, type Harness } from '../test-support/harness';
import { SAFETY_CASES, type SafetyCase } from './cases';

const SERVICE: Record<SafetyCase['hook'], string> = {
  'patient-view': '/cds-services/rationale-patient-view',
  'order-sign': '/cds-services/rationale-order-sign',
};

const searchset = (resources: Resource[]): Resource => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((r) => ({ resource: r, search: { mode: 'match' } })),
});

function hookBody(c: SafetyCase): Record<string, unknown> {
  const of = (...types: string[]) => c.resources.filter((r) => types.includes(r.resourceType));
  return {
    hook: c.hook,
    hookInstance: `safety-${c.id}`,
    context: {
      userId: 'Practitioner/doc1',
      patientId: 'p1',
      ...(c.hook === 'order-sign'
        ? {
            draftOrders: {
              resourceType: 'Bundle',
              type: 'collection',
              entry: (c.drafts ?? []).map((r) => ({ resource: r })),
            },
          }
        : {}),
    },
    prefetch: {
      patient: c.patient,
      conditions: searchset(of('Condition')),
      observations: searchset(of('Observation')),
      medications: searchset(of('MedicationRequest', 'MedicationStatement')),
      allergies: searchset(of('AllergyIntolerance')),
      encounters: searchset(of('Encounter')),
      procedures: searchset(of('Procedure')),
      serviceRequests: searchset(of('ServiceRequest')),
      carePlans: searchset(of('CarePlan')),
    },
  };
}

/** What is wrong with the cards for this case; empty when the case passes. */
function problems(c: SafetyCase, cards: Card[]): string[] {
  const topics = cards.map((card) => card.source.topic?.code ?? '');
  const out: string[] = [];
  for (const p of c.must ?? []) if (!topics.some((t) => p.test(t))) out.push(`missing ${p}`);
  for (const p of c.mustNot ?? []) if (topics.some((t) => p.test(t))) out.push(`unexpected ${p}`);
  if (c.infoAtMost)
    for (const card of cards)
      if (c.infoAtMost.test(card.source.topic?.code ?? '') && card.indicator !== 'info')
        out.push(`${card.source.topic?.code} is ${card.indicator}, not info`);
  if (c.mustSay) {
    const { topic, text } = c.mustSay;
    const card = cards.find((x) => topic.test(x.source.topic?.code ?? ''));
    if (!card) out.push(`missing ${topic}`);
    else if (!text.test(card.detail ?? '')) out.push(`${topic} does not say ${text}: ${card.detail ?? ''}`);
  }
  if (c.mustNotPropose)
    for (const card of cards)
      if (c.mustNotPropose.test(JSON.stringify(card.suggestions ?? [])))
        out.push(`${card.source.topic?.code} proposes ${c.mustNotPropose}`);
  return out.length ? [...out, `cards: ${topics.join(', ') || 'none'}`] : [];
}

let harness: Harness;
const results = new Map<string, boolean>();

beforeAll(async () => {
  harness = await buildHarness({ deps: { assess, renderCards, modelCard } });
});

afterAll(() => {
  const passed = [...results.values()].filter(Boolean).length;
  process.stdout.write(`\n${passed}/${SAFETY_CASES.length} safety cases pass\n`);
});

describe('adversarial safety suite', () => {
  it('has at least 150 cases, each with a source and an expectation', () => {
    expect(SAFETY_CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(SAFETY_CASES.map((c) => c.id)).size).toBe(SAFETY_CASES.length);
    for (const c of SAFETY_CASES) {
      expect(c.source.length).toBeGreaterThan(10);
      expect(
        Boolean(c.must?.length || c.mustNot?.length || c.infoAtMost || c.mustNotPropose || c.mustSay),
      ).toBe(true);
    }
  });

  it.each(SAFETY_CASES.map((c) => [c.id, c] as const))('%s', async (id, c) => {
    results.set(id, false);
    const path = SERVICE[c.hook];
    const res = await request(harness.app)
      .post(path)
      .set('Authorization', `Bearer ${await harness.token(path)}`)
      .send(hookBody(c));
    expect(res.status).toBe(200);
    const found = problems(c, res.body.cards as Card[]);
    expect({ case: c.title, source: c.source, problems: found }).toEqual({
      case: c.title,
      source: c.source,
      problems: [],
    });
    results.set(id, true);
  });
});
