import { cardSchema, type Card } from '@rationale/shared-types';
import { renderCards } from './index';
import { applyEhrProfile, profileSupportsHook, splitSuggestions } from './ehr-profiles';
import {
  penicillinAllergyAlert,
  renderOptions,
  sequentialUuids,
  statinRecommendation,
  typicalAssessment,
  warfarinNsaidAlert,
  renderAllHooks,
} from './fixtures';

const rosuvastatin = {
  resourceType: 'MedicationRequest' as const,
  code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '301542', display: 'rosuvastatin' },
  instruction: 'rosuvastatin 10 mg orally once daily',
};
const assessment = typicalAssessment({
  safety: [warfarinNsaidAlert(), penicillinAllergyAlert()],
  recommendations: [
    statinRecommendation({ proposedOrders: [...statinRecommendation().proposedOrders, rosuvastatin] }),
  ],
});

function render(profile: 'generic' | 'epic' | 'oracle', hook?: 'patient-view' | 'order-sign') {
  return hook
    ? renderCards(assessment, renderOptions({ hook, profile, budget: 10 }))
    : renderAllHooks(assessment, { profile, budget: 10 });
}

describe('generic profile', () => {
  it('keeps a choice as at-most-one and an atomic replace as one suggestion with two actions', () => {
    const cards = render('generic').cards.map((c) => c.card);
    const ddi = cards.find((c) => c.source.topic?.code === 'safetyddiwarfarinnsaid');
    expect(ddi?.selectionBehavior).toBe('at-most-one');
    expect(ddi?.suggestions?.[0]?.actions).toHaveLength(2);
    const statin = cards.find((c) => c.source.topic?.code === 'rxstatindiabetes4075');
    expect(statin?.selectionBehavior).toBe('at-most-one');
  });
});

describe('epic profile', () => {
  const result = render('epic');
  const cards = result.cards.map((c) => c.card);

  it('uses selectionBehavior any only', () => {
    const withSuggestions = cards.filter((c) => (c.suggestions?.length ?? 0) > 0);
    expect(withSuggestions.length).toBeGreaterThan(2);
    expect(withSuggestions.every((c) => c.selectionBehavior === 'any')).toBe(true);
  });

  it('gives every suggestion exactly one action, its meaning in the action description', () => {
    for (const card of cards) {
      for (const s of card.suggestions ?? []) {
        expect(s.actions).toHaveLength(1);
        expect(s.actions?.[0]?.description.length).toBeGreaterThan(10);
        expect(s.label).toBe(s.actions?.[0]?.description);
      }
    }
  });

  it('splits a replace into a delete and a create, without offering the same delete twice', () => {
    const ddi = cards.find((c) => c.source.topic?.code === 'safetyddiwarfarinnsaid');
    expect(
      ddi?.suggestions?.map((s) => [
        s.actions?.[0]?.type,
        s.actions?.[0]?.resourceId ?? s.actions?.[0]?.resource?.resourceType,
        s.isRecommended,
      ]),
    ).toEqual([
      ['delete', 'MedicationRequest/draft-1', true],
      ['create', 'MedicationRequest', true],
    ]);
    expect(ddi?.suggestions?.[1]?.actions?.[0]?.description).toBe(
      'Order acetaminophen 650 mg orally every 6 hours as needed, at most 3 g per day',
    );
  });

  it('keeps every suggestion uuid distinct and reports them for feedback', () => {
    const uuids = result.cards.flatMap((c) => [c.card.uuid, ...c.suggestionUuids]);
    expect(new Set(uuids).size).toBe(uuids.length);
    for (const c of result.cards)
      expect(c.suggestionUuids).toEqual((c.card.suggestions ?? []).map((s) => s.uuid));
  });

  it('sends alphanumeric topic codes of at most 100 characters and no HTML', () => {
    for (const card of cards) {
      expect(card.source.topic?.code).toMatch(/^[A-Za-z0-9]{1,100}$/);
      expect(card.detail).not.toMatch(/<[A-Za-z/]/);
      expect(cardSchema.safeParse(card).success).toBe(true);
    }
  });

  it('marks the Markdown detail as CommonMark for Epic, and only for Epic', () => {
    for (const card of cards) {
      expect(card.extension).toEqual({
        'com.epic.cdshooks.card.detail.content-type': 'text/markdown; variant=CommonMark',
      });
    }
    expect(render('generic').cards.every((c) => c.card.extension === undefined)).toBe(true);
  });

  it('repairs a card built elsewhere: non-alphanumeric topic, HTML in detail, at-most-one', () => {
    const card: Card = {
      summary: 'Check the order',
      detail: 'Value <b>high</b>',
      indicator: 'info',
      source: {
        label: 'Rationale',
        topic: { system: 'https://rationale.health/cds/topic', code: 'rx-statin/diabetes 40-75' },
      },
      selectionBehavior: 'at-most-one',
      suggestions: [
        {
          label: 'x',
          uuid: 's1',
          actions: [{ type: 'delete', description: 'Remove the draft', resourceId: 'ServiceRequest/1' }],
        },
      ],
    };
    const out = applyEhrProfile(card, 'epic', { assessment, newUuid: sequentialUuids('n') });
    expect(out.source.topic?.code).toBe('rxstatindiabetes4075');
    expect(out.detail).toBe('Value \\<b>high\\</b>');
    expect(out.selectionBehavior).toBe('any');
  });
});

describe('oracle profile', () => {
  const cards = render('oracle', 'patient-view').cards.map((c) => c.card);

  it('still sends the SMART link but names in the detail how to find the assessment', () => {
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      expect(card.links?.[0]?.type).toBe('smart');
      expect(card.detail).toContain(
        '**Finding this assessment:** open "Review the reasoning" from this patient\'s chart; the app shows the patient\'s latest assessment, made 2026-05-20 (assessment `asmt-1`).',
      );
    }
  });

  it('uses one action per suggestion and selectionBehavior any', () => {
    const statin = cards.find((c) => c.source.topic?.code === 'rxstatindiabetes4075');
    expect(statin?.selectionBehavior).toBe('any');
    expect(statin?.suggestions).toHaveLength(2);
    for (const card of cards) for (const s of card.suggestions ?? []) expect(s.actions).toHaveLength(1);
  });

  it('supports patient-view only, Epic the three order and chart hooks', () => {
    expect(profileSupportsHook('oracle', 'patient-view')).toBe(true);
    expect(profileSupportsHook('oracle', 'order-sign')).toBe(false);
    expect(profileSupportsHook('epic', 'order-select')).toBe(true);
    expect(profileSupportsHook('epic', 'encounter-start')).toBe(false);
  });

  it('does not add the note for generic or Epic, which pass appContext', () => {
    for (const profile of ['generic', 'epic'] as const) {
      expect(
        render(profile, 'patient-view').cards.some((c) => c.card.detail?.includes('Finding this assessment')),
      ).toBe(false);
    }
  });
});

describe('splitSuggestions', () => {
  it('keeps the original uuid on the first piece and mints new ones for the rest', () => {
    const out = splitSuggestions(
      [
        {
          label: 'Replace',
          uuid: 'keep',
          isRecommended: true,
          actions: [
            { type: 'delete', description: 'Remove A', resourceId: 'MedicationRequest/a' },
            { type: 'create', description: 'Order B', resource: { resourceType: 'MedicationRequest' } },
          ],
        },
      ],
      sequentialUuids('new'),
    );
    expect(out.map((s) => [s.uuid, s.label])).toEqual([
      ['keep', 'Remove A'],
      ['new-1', 'Order B'],
    ]);
  });
});
