import { cardSchema } from '@rationale/shared-types';
import { renderCards } from './index';
import {
  assessmentWith,
  ckdHypothesis,
  heartFailureHypothesis,
  penicillinAllergyAlert,
  renderOptions,
  sglt2Recommendation,
  statinRecommendation,
  t2dRecordedHypothesis,
  typicalAssessment,
  uacrRecommendation,
  warfarinNsaidAlert,
} from './fixtures';

const topics = (r: ReturnType<typeof renderCards>) => r.cards.map((c) => c.topic);

describe('card policy: budget and priority', () => {
  it('fills the default budget of 3 by priority and lists the rest as suppressed by budget', () => {
    const result = renderCards(typicalAssessment(), renderOptions());
    expect(topics(result)).toEqual(['rxstatindiabetes4075', 'rxsglt2it2dckd', 'dxckd']);
    expect(result.suppressed).toContainEqual({ topic: 'rxdiabetesuacrannual', reason: 'budget' });
  });

  it('shows only the highest-priority card when the budget is 1', () => {
    const result = renderCards(typicalAssessment(), renderOptions({ budget: 1 }));
    expect(topics(result)).toEqual(['rxstatindiabetes4075']);
    expect(result.suppressed.filter((s) => s.reason === 'budget').map((s) => s.topic)).toEqual([
      'rxsglt2it2dckd',
      'dxckd',
      'rxdiabetesuacrannual',
    ]);
  });

  it('orders strong gaps, then diagnoses meeting their criteria, then other recommendations, whatever the input order', () => {
    const assessment = assessmentWith({
      hypotheses: [ckdHypothesis()],
      recommendations: [
        uacrRecommendation(),
        statinRecommendation({ priority: 'weak' }),
        sglt2Recommendation(),
      ],
    });
    const result = renderCards(assessment, renderOptions({ budget: 10 }));
    expect(topics(result)).toEqual([
      'rxsglt2it2dckd',
      'dxckd',
      'rxdiabetesuacrannual',
      'rxstatindiabetes4075',
    ]);
  });

  it('puts a strong gap with complete data ahead of a strong gap with missing data', () => {
    const assessment = assessmentWith({ recommendations: [sglt2Recommendation(), statinRecommendation()] });
    expect(topics(renderCards(assessment, renderOptions({ budget: 1 })))).toEqual(['rxstatindiabetes4075']);
  });

  it('ranks suggested diagnoses with criteria met before higher posteriors without them', () => {
    const assessment = assessmentWith({
      hypotheses: [heartFailureHypothesis({ posterior: 0.95 }), ckdHypothesis({ posterior: 0.7 })],
    });
    expect(topics(renderCards(assessment, renderOptions()))).toEqual(['dxckd', 'dxhfref']);
  });
});

describe('card policy: order safety', () => {
  const orderAssessment = () =>
    typicalAssessment({ hook: 'order-sign', safety: [warfarinNsaidAlert(), penicillinAllergyAlert()] });

  it('never drops an order-safety card for the budget, even when safety alone exceeds it', () => {
    for (const budget of [0, 1, 2]) {
      const result = renderCards(orderAssessment(), renderOptions({ hook: 'order-sign', budget }));
      expect(topics(result)).toEqual(['safetyallergypenicillin', 'safetyddiwarfarinnsaid']);
      expect(result.suppressed.some((s) => s.topic.startsWith('safety'))).toBe(false);
    }
  });

  it('shows only order-safety cards on order hooks: the rest waits for the next chart open', () => {
    for (const hook of ['order-select', 'order-sign'] as const) {
      const result = renderCards(orderAssessment(), renderOptions({ hook, budget: 3 }));
      expect(topics(result)).toEqual(['safetyallergypenicillin', 'safetyddiwarfarinnsaid']);
    }
    const chartOpen = renderCards(orderAssessment(), renderOptions({ hook: 'patient-view', budget: 3 }));
    expect(topics(chartOpen)).toContain('rxstatindiabetes4075');
  });

  it('shows one card per draft order when one rule fires for two orders, both under the rule’s topic', () => {
    const second = warfarinNsaidAlert({
      id: 's-ddi-2',
      order: { reference: 'MedicationRequest/draft-3', label: 'naproxen 500 mg tablet' },
      title: 'Warfarin + naproxen: major bleeding risk',
    });
    const result = renderCards(
      typicalAssessment({ safety: [warfarinNsaidAlert(), second, warfarinNsaidAlert({ id: 's-ddi-dup' })] }),
      renderOptions({ hook: 'order-sign', budget: 1 }),
    );
    expect(result.cards.map((c) => [c.topic, c.card.summary])).toEqual([
      ['safetyddiwarfarinnsaid', 'Warfarin + ibuprofen: major bleeding risk'],
      ['safetyddiwarfarinnsaid', 'Warfarin + naproxen: major bleeding risk'],
    ]);
  });

  it('does not render order-safety cards on patient-view, which carries no draft orders', () => {
    const result = renderCards(orderAssessment(), renderOptions({ hook: 'patient-view' }));
    expect(topics(result).some((t) => t.startsWith('safety'))).toBe(false);
  });
});

describe('card policy: what never becomes a card', () => {
  it('gives no card for a diagnosis already recorded, and says so', () => {
    const result = renderCards(typicalAssessment(), renderOptions({ budget: 10 }));
    expect(topics(result)).not.toContain('dxt2d');
    expect(result.suppressed).toContainEqual({ topic: 'dxt2d', reason: 'recorded' });
  });

  it('gives no card for a suggested hypothesis of a condition another hypothesis shows as recorded', () => {
    const assessment = assessmentWith({
      hypotheses: [
        t2dRecordedHypothesis(),
        t2dRecordedHypothesis({ id: 'h-t2d-2', status: 'suggested', posterior: 0.99 }),
      ],
    });
    const result = renderCards(assessment, renderOptions());
    expect(result.cards).toHaveLength(0);
    expect(result.suppressed).toEqual([{ topic: 'dxt2d', reason: 'recorded' }]);
  });

  it('holds back a suggested diagnosis below the posterior threshold unless its criteria are met', () => {
    const below = renderCards(assessmentWith({ hypotheses: [heartFailureHypothesis()] }), renderOptions());
    expect(below.cards).toHaveLength(0);
    expect(below.suppressed).toEqual([{ topic: 'dxhfref', reason: 'below-threshold' }]);

    const lowered = renderCards(
      assessmentWith({ hypotheses: [heartFailureHypothesis()] }),
      renderOptions({ thresholds: { minSuggestedPosterior: 0.2 } }),
    );
    expect(topics(lowered)).toEqual(['dxhfref']);

    const criteriaMet = renderCards(
      assessmentWith({ hypotheses: [ckdHypothesis({ posterior: 0.3 })] }),
      renderOptions(),
    );
    expect(topics(criteriaMet)).toEqual(['dxckd']);
  });

  it('ignores unlikely hypotheses and the LLM reasoner’s items (the app shows those)', () => {
    const assessment = assessmentWith({
      hypotheses: [
        ckdHypothesis({ status: 'unlikely' }),
        heartFailureHypothesis({ origin: 'llm', posterior: 0.9 }),
      ],
      recommendations: [statinRecommendation({ origin: 'llm' })],
    });
    const result = renderCards(assessment, renderOptions());
    expect(result.cards).toHaveLength(0);
  });
});

describe('card policy: snoozes', () => {
  it('suppresses a snoozed topic and gives its slot to the next card', () => {
    const result = renderCards(
      typicalAssessment(),
      renderOptions({ snoozedTopics: new Set(['rxstatindiabetes4075']) }),
    );
    expect(topics(result)).toEqual(['rxsglt2it2dckd', 'dxckd', 'rxdiabetesuacrannual']);
    expect(result.suppressed).toContainEqual({ topic: 'rxstatindiabetes4075', reason: 'snoozed' });
  });

  it('suppresses a snoozed suggested diagnosis', () => {
    const result = renderCards(
      assessmentWith({ hypotheses: [ckdHypothesis()] }),
      renderOptions({ snoozedTopics: new Set(['dxckd']) }),
    );
    expect(result.cards).toHaveLength(0);
    expect(result.suppressed).toEqual([{ topic: 'dxckd', reason: 'snoozed' }]);
  });

  it('honours a snooze on an order-safety warning but re-checks a contraindicated high-severity order every time', () => {
    const assessment = typicalAssessment({
      safety: [warfarinNsaidAlert(), penicillinAllergyAlert()],
      recommendations: [],
    });
    const result = renderCards(
      assessment,
      renderOptions({
        hook: 'order-sign',
        snoozedTopics: new Set(['safetyddiwarfarinnsaid', 'safetyallergypenicillin']),
      }),
    );
    expect(topics(result)).toEqual(['safetyallergypenicillin']);
    expect(result.suppressed).toContainEqual({ topic: 'safetyddiwarfarinnsaid', reason: 'snoozed' });
  });
});

describe('card policy: indicators', () => {
  const indicatorOf = (
    assessment: ReturnType<typeof assessmentWith>,
    hook: 'patient-view' | 'order-sign' = 'patient-view',
  ) => renderCards(assessment, renderOptions({ hook })).cards.map((c) => c.card.indicator);

  it('warns for a strong guideline gap only when its data are complete', () => {
    expect(indicatorOf(assessmentWith({ recommendations: [statinRecommendation()] }))).toEqual(['warning']);
    expect(
      indicatorOf(assessmentWith({ recommendations: [statinRecommendation({ dataComplete: false })] })),
    ).toEqual(['info']);
    expect(
      indicatorOf(assessmentWith({ recommendations: [statinRecommendation({ priority: 'moderate' })] })),
    ).toEqual(['info']);
  });

  it('keeps suggested diagnoses at info however probable', () => {
    expect(indicatorOf(assessmentWith({ hypotheses: [ckdHypothesis({ posterior: 0.999 })] }))).toEqual([
      'info',
    ]);
  });

  it('is critical only for a contraindicated order with high-severity evidence; other order problems warn', () => {
    const safety = (over: Parameters<typeof penicillinAllergyAlert>[0]) =>
      assessmentWith({ safety: [penicillinAllergyAlert(over)] });
    expect(indicatorOf(safety({}), 'order-sign')).toEqual(['critical']);
    expect(indicatorOf(safety({ severity: 'moderate' }), 'order-sign')).toEqual(['warning']);
    expect(indicatorOf(safety({ contraindicated: false }), 'order-sign')).toEqual(['warning']);
    expect(indicatorOf(safety({ severity: 'low', contraindicated: false }), 'order-sign')).toEqual([
      'warning',
    ]);
  });

  it('never renders critical on patient-view, whatever the model produced', () => {
    const assessment = typicalAssessment({
      hypotheses: [ckdHypothesis({ posterior: 1 }), heartFailureHypothesis({ posterior: 0.99 })],
      safety: [penicillinAllergyAlert()],
    });
    const result = renderCards(assessment, renderOptions({ budget: 10 }));
    expect(result.cards.length).toBeGreaterThan(0);
    expect(result.cards.every((c) => c.card.indicator !== 'critical')).toBe(true);
  });
});

describe('card policy: determinism and validity', () => {
  it('renders the same cards for the same input and uuid source', () => {
    const a = renderCards(typicalAssessment(), renderOptions());
    const b = renderCards(typicalAssessment(), renderOptions());
    expect(a).toEqual(b);
  });

  it('gives every card and suggestion a distinct uuid from options.newUuid and reports the suggestion uuids', () => {
    const result = renderCards(
      typicalAssessment({ safety: [warfarinNsaidAlert(), penicillinAllergyAlert()] }),
      renderOptions({ hook: 'order-sign', budget: 5 }),
    );
    const uuids = result.cards.flatMap((c) => [c.card.uuid, ...c.suggestionUuids]);
    expect(new Set(uuids).size).toBe(uuids.length);
    expect(uuids.every((u) => /^uuid-\d+$/.test(u ?? ''))).toBe(true);
    for (const c of result.cards)
      expect(c.suggestionUuids).toEqual((c.card.suggestions ?? []).map((s) => s.uuid));
  });

  it('produces only cards that pass the CDS Hooks card schema, on every hook and profile', () => {
    const assessment = typicalAssessment({ safety: [warfarinNsaidAlert(), penicillinAllergyAlert()] });
    for (const hook of ['patient-view', 'order-select', 'order-sign'] as const) {
      for (const profile of ['generic', 'epic', 'oracle'] as const) {
        const result = renderCards(assessment, renderOptions({ hook, profile, budget: 10 }));
        for (const { card } of result.cards) expect(cardSchema.safeParse(card).error).toBeUndefined();
      }
    }
  });
});
