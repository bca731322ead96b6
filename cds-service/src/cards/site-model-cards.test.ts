import { cardSchema, type SiteModelPrediction, type SiteModelResult } from '@rationale/shared-types';
import { renderCards } from './index';
import {
  assessmentWith,
  ckdHypothesis,
  renderOptions,
  statinRecommendation,
  typicalAssessment,
} from './fixtures';

function prediction(overrides: Partial<SiteModelPrediction> = {}): SiteModelPrediction {
  return {
    id: 't2d-risk:t2d',
    conditionId: 't2d-ml',
    label: 'Type 2 diabetes',
    probability: 0.42,
    level: 'info',
    recorded: false,
    summary: 'Type 2 diabetes risk 42% (a1c 6.3 %, age 58)',
    action: {
      resourceType: 'ServiceRequest',
      code: { system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' },
    },
    ...overrides,
  };
}

function result(overrides: Partial<SiteModelResult> = {}, p = prediction()): SiteModelResult {
  return {
    modelId: 't2d-risk',
    version: '1.0.0',
    owner: 'Clinical informatics',
    mode: 'live',
    provenance: { runtime: 'onnx', sha256: 'ab'.repeat(32) },
    status: 'complete',
    latencyMs: 1.2,
    features: [
      {
        name: 'a1c',
        value: 6.3,
        unit: '%',
        missing: false,
        sources: [{ reference: 'Observation/a2' }],
        contribution: 0.7,
      },
      { name: 'age', value: 58, missing: false, sources: [{ reference: 'Patient/p1' }], contribution: 0.2 },
      { name: 'glucose', value: 95, unit: 'mg/dL', missing: true, sources: [] },
    ],
    predictions: [p],
    ...overrides,
  };
}

const TOPIC = 'mlt2driskt2dml';
const withModels = (siteModels: SiteModelResult[]) => ({ ...assessmentWith({}), siteModels });

describe('site-model cards', () => {
  it('turns a live model output above its info threshold into a conforming card with its inputs and action', () => {
    const { cards } = renderCards(withModels([result()]), renderOptions());
    expect(cards.map((c) => c.topic)).toEqual([TOPIC]);
    const card = cardSchema.parse(cards[0]?.card);
    expect(card.indicator).toBe('info');
    expect(card.summary).toBe('Type 2 diabetes risk 42% (a1c 6.3 %, age 58)');
    expect(card.detail).toContain('by the site model t2d-risk 1.0.0');
    expect(card.detail).toContain('a1c 6.3 % (+0.7 log-odds)');
    expect(card.detail).toContain('Not in the record (default used):** glucose');
    expect(card.suggestions?.[0]?.actions?.[0]).toMatchObject({
      type: 'create',
      resource: { resourceType: 'ServiceRequest', code: { coding: [{ code: '4548-4' }] } },
    });
    expect(JSON.parse(card.links?.[0]?.appContext ?? '{}')).toMatchObject({ item: 't2d-risk:t2d' });
  });

  it('raises a warning only at the warning threshold, never critical', () => {
    const { cards } = renderCards(
      withModels([result({}, prediction({ level: 'warning', probability: 0.8 }))]),
      renderOptions(),
    );
    expect(cards[0]?.card.indicator).toBe('warning');
  });

  it.each([
    ['a silent model', result({ mode: 'silent' }), 'silent-model'],
    ['a condition recorded already', result({}, prediction({ recorded: true })), 'recorded'],
    ['a declared exclusion in the record', result({}, prediction({ excludedBy: 'hospice' })), 'excluded'],
  ] as const)('holds back %s and says why', (_what, r, reason) => {
    const out = renderCards(withModels([r]), renderOptions());
    expect(out.cards).toEqual([]);
    expect(out.suppressed).toContainEqual({ topic: TOPIC, reason });
  });

  it('shows nothing below the info threshold or when the model did not answer', () => {
    for (const r of [
      result({}, prediction({ level: 'none' })),
      result({ status: 'timeout', predictions: [] }),
    ]) {
      const out = renderCards(withModels([r]), renderOptions());
      expect(out.cards).toEqual([]);
      expect(out.suppressed.map((s) => s.topic)).not.toContain(TOPIC);
    }
  });

  it('obeys snoozes and the budget like the knowledge model', () => {
    const snoozed = renderCards(withModels([result()]), renderOptions({ snoozedTopics: new Set([TOPIC]) }));
    expect(snoozed.suppressed).toContainEqual({ topic: TOPIC, reason: 'snoozed' });
    const busy = {
      ...assessmentWith({ hypotheses: [ckdHypothesis()], recommendations: [statinRecommendation()] }),
      siteModels: [result()],
    };
    const out = renderCards(busy, renderOptions({ budget: 2 }));
    expect(out.cards.map((c) => c.topic)).toEqual(['rxstatindiabetes4075', 'dxckd']);
    expect(out.suppressed).toContainEqual({ topic: TOPIC, reason: 'budget' });
    // Order hooks show order safety only.
    expect(
      renderCards(
        { ...typicalAssessment(), siteModels: [result()] },
        renderOptions({ hook: 'order-sign' }),
      ).cards.map((c) => c.topic),
    ).not.toContain(TOPIC);
  });
});
