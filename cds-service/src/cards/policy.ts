/**
 * The card policy (DESIGN.md §3a, §6; issues 4 and 19): which Assessment items become cards, in
 * what order, and why the others were held back. Few cards, filled by urgency into a per-hook
 * budget: can't-miss acute problems the current encounter supports (Assessment.cantMiss), then
 * order safety, then strong chronic gaps and diagnoses meeting their criteria, then other
 * recommendations and probabilistic suggestions, then screening. Order hooks show order safety
 * only: the clinician is mid-order, and the rest waits for the next chart open (the right point in
 * the workflow, Osheroff's CDS Five Rights).
 * Order-safety cards are never dropped by the budget; nothing is shown for a diagnosis already on
 * the problem list, for a topic the clinician snoozed for this patient, or for an item an
 * exclusion withholds (model/exclusions: a chronic-disease diagnosis or a Beers "avoid" in hospice).
 */
import { ORDER_HOOKS as ORDER_HOOK_NAMES } from '@rationale/shared-types';
import type {
  Assessment,
  CantMiss,
  HookName,
  Hypothesis,
  Recommendation,
  SafetyAlert,
  SiteModelPrediction,
  SiteModelResult,
} from '@rationale/shared-types';
import type { CardThresholds, SuppressedCard } from './types';
import { safetyIndicator } from './render';
import { cantMissTopic, diagnosisTopic, recommendationTopic, safetyTopic, siteModelTopic } from './topics';

export type CardItem =
  | { kind: 'cant-miss'; topic: string; item: CantMiss }
  | { kind: 'safety'; topic: string; alert: SafetyAlert }
  | { kind: 'recommendation'; topic: string; recommendation: Recommendation }
  | { kind: 'diagnosis'; topic: string; hypothesis: Hypothesis }
  | { kind: 'site-model'; topic: string; result: SiteModelResult; prediction: SiteModelPrediction };

export interface PolicyInput {
  hook: HookName;
  budget: number;
  thresholds: CardThresholds;
  snoozedTopics: ReadonlySet<string>;
  /** Alert ids order-select already returned for the same order: not repeated at order-sign. */
  shownAtOrderSelect?: ReadonlySet<string>;
}

export interface PolicyResult {
  /** The items to render, in display order. */
  shown: CardItem[];
  suppressed: SuppressedCard[];
}

/** Hooks whose requests carry draft orders; only they get order-safety cards. */
export const ORDER_HOOKS: ReadonlySet<HookName> = new Set<HookName>(ORDER_HOOK_NAMES);

/** The default budget of cards per hook call (DESIGN.md §6). */
export const DEFAULT_CARD_BUDGET = 3;

const SEVERITY_RANK = { high: 0, moderate: 1, low: 2 } as const;
const PRIORITY_RANK = { strong: 0, moderate: 1, weak: 2 } as const;

/** An exclusion (model/exclusions) withholds the item's card; the item stays in the assessment. */
function isExcluded(item: { exclusions?: ReadonlyArray<{ effect: string }> }): boolean {
  return (item.exclusions ?? []).some((r) => r.effect === 'suppress');
}

/**
 * A suggested diagnosis earns a card when its guideline criteria are met, or when its posterior
 * reaches the configured minimum; a probabilistic guess below it stays in the app.
 */
export function isCardWorthyDiagnosis(h: Hypothesis, thresholds: CardThresholds): boolean {
  return (
    h.status === 'suggested' && (h.criteria?.met === true || h.posterior >= thresholds.minSuggestedPosterior)
  );
}

function safetyOrder(a: SafetyAlert, b: SafetyAlert): number {
  return (
    Number(b.contraindicated) - Number(a.contraindicated) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
  );
}

function recommendationOrder(a: Recommendation, b: Recommendation): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || Number(b.dataComplete) - Number(a.dataComplete)
  );
}

/**
 * Among diagnoses that meet their criteria, those that change management most come first: an
 * undiagnosed diabetes or CKD matters more than a BMI class the clinician can see in the vitals.
 * A ranking of card order, not a clinical number; unlisted conditions come after the listed ones.
 */
const DIAGNOSIS_CARD_RANK: readonly string[] = [
  'hyperkalemia',
  'aki',
  'hyponatremia',
  'hfref',
  'af',
  'ckd',
  't2d',
  'fh',
  'htn',
  'hyperlipidemia',
  'anemia-iron-deficiency',
  'anemia',
  'hypothyroidism',
  'hyperthyroidism',
  'masld-fibrosis',
  'prediabetes',
  'obesity',
];

function diagnosisRank(h: Hypothesis): number {
  const i = DIAGNOSIS_CARD_RANK.indexOf(h.conditionId);
  return i === -1 ? DIAGNOSIS_CARD_RANK.length : i;
}

function diagnosisOrder(a: Hypothesis, b: Hypothesis): number {
  return (
    Number(b.criteria?.met === true) - Number(a.criteria?.met === true) ||
    diagnosisRank(a) - diagnosisRank(b) ||
    b.posterior - a.posterior ||
    (a.conditionId < b.conditionId ? -1 : 1)
  );
}

/**
 * Where an advice item stands in the budget, lower first, by urgency class (knowledge/urgency.ts):
 * an acute diagnosis meeting its criteria (hyperkalemia, AKI) before chronic gaps; strong chronic
 * gaps and chronic diagnoses meeting criteria before weaker advice and probabilistic guesses;
 * screening (a urine albumin test, a BMI class) last.
 */
export function adviceTier(item: CardItem): number {
  if (item.kind === 'cant-miss') return 0;
  if (item.kind === 'recommendation') {
    const r = item.recommendation;
    if (r.urgency?.class === 'screening') return 6;
    return r.priority === 'strong' ? 2 : 4;
  }
  if (item.kind === 'diagnosis') {
    const h = item.hypothesis;
    const met = h.criteria?.met === true;
    if (h.urgency?.class === 'cant-miss') return met ? 1 : 5;
    if (h.urgency?.class === 'screening') return 6;
    return met ? 3 : 5;
  }
  // A site model's probability: beside the knowledge model's probabilistic suggestions.
  if (item.kind === 'site-model') return 5;
  return 7;
}

/**
 * Chooses the cards for one hook call. Pure: the same assessment and input give the same result.
 * The knowledge model's items and live site models' outputs become cards; the LLM reasoner's
 * additions are shown in the app.
 */
export function selectCards(assessment: Assessment, input: PolicyInput): PolicyResult {
  const suppressed: SuppressedCard[] = [];
  const seen = new Set<string>();
  const budget = Math.max(0, Math.floor(input.budget));

  // A topic appears at most once, under its highest-priority item.
  const claim = (topic: string): boolean => {
    if (seen.has(topic)) return false;
    seen.add(topic);
    return true;
  };

  // 1. Order safety for the draft orders: never dropped by the budget. An alert order-select already
  //    returned for the same order is not repeated at order-sign. A snooze holds one back, except
  //    for a contraindicated, high-severity order, which is re-checked every time it is ordered.
  const safety: CardItem[] = [];
  if (ORDER_HOOKS.has(input.hook)) {
    const seenOrders = new Set<string>();
    for (const alert of [...assessment.safety].sort(safetyOrder)) {
      const topic = safetyTopic(alert).code;
      // One card per rule and draft order: two NSAIDs with warfarin are two cards under one topic.
      const key = `${topic} ${alert.order.reference}`;
      if (seenOrders.has(key)) continue;
      seenOrders.add(key);
      seen.add(topic);
      if (isExcluded(alert)) {
        suppressed.push({ topic, reason: 'excluded' });
        continue;
      }
      if (input.shownAtOrderSelect?.has(alert.id)) {
        suppressed.push({ topic, reason: 'shown-at-order-select' });
        continue;
      }
      if (input.snoozedTopics.has(topic) && safetyIndicator(alert) !== 'critical') {
        suppressed.push({ topic, reason: 'snoozed' });
        continue;
      }
      safety.push({ kind: 'safety', topic, alert });
    }
  }

  // 2. Advice (patient-view and the encounter hooks): strong gaps, diagnoses meeting criteria,
  //    other recommendations, diagnoses suggested by probability alone.
  if (ORDER_HOOKS.has(input.hook)) return { shown: safety, suppressed };
  const recordedConditions = new Set(
    assessment.hypotheses.filter((h) => h.status === 'recorded').map((h) => h.conditionId),
  );
  const advice: CardItem[] = [];
  // Can't-miss acute problems first: they claim their condition's topic, so the same condition
  // never shows again as a probabilistic diagnosis card.
  for (const item of assessment.cantMiss ?? []) {
    const topic = cantMissTopic(item).code;
    if (claim(topic)) advice.push({ kind: 'cant-miss', topic, item });
  }
  for (const recommendation of assessment.recommendations
    .filter((r) => r.origin === 'knowledge-model')
    .sort(recommendationOrder)) {
    const topic = recommendationTopic(recommendation).code;
    if (claim(topic)) advice.push({ kind: 'recommendation', topic, recommendation });
  }
  for (const hypothesis of assessment.hypotheses
    .filter((h) => h.origin === 'knowledge-model')
    .sort(diagnosisOrder)) {
    const topic = diagnosisTopic(hypothesis).code;
    if (hypothesis.status === 'unlikely') continue;
    if (hypothesis.status === 'recorded' || recordedConditions.has(hypothesis.conditionId)) {
      if (claim(topic)) suppressed.push({ topic, reason: 'recorded' });
      continue;
    }
    if (!claim(topic)) continue;
    if (isExcluded(hypothesis)) {
      suppressed.push({ topic, reason: 'excluded' });
      continue;
    }
    if (!isCardWorthyDiagnosis(hypothesis, input.thresholds)) {
      suppressed.push({ topic, reason: 'below-threshold' });
      continue;
    }
    advice.push({ kind: 'diagnosis', topic, hypothesis });
  }

  // The site's own models (issue 16): a live model's output at or above its info threshold, unless
  // recorded already, excluded, or the model is silent (then counted as withheld, never shown).
  for (const result of assessment.siteModels ?? []) {
    if (result.status !== 'complete') continue;
    for (const prediction of [...result.predictions].sort((a, b) => b.probability - a.probability)) {
      if (prediction.level === 'none') continue;
      const topic = siteModelTopic(result, prediction).code;
      if (!claim(topic)) continue;
      if (prediction.recorded || recordedConditions.has(prediction.conditionId))
        suppressed.push({ topic, reason: 'recorded' });
      else if (prediction.excludedBy) suppressed.push({ topic, reason: 'excluded' });
      else if (result.mode === 'silent') suppressed.push({ topic, reason: 'silent-model' });
      else advice.push({ kind: 'site-model', topic, result, prediction });
    }
  }

  // A stable sort keeps each tier in the order built above.
  advice.sort((a, b) => adviceTier(a) - adviceTier(b));
  const shown: CardItem[] = [...safety];
  let room = Math.max(0, budget - safety.length);
  for (const item of advice) {
    if (input.snoozedTopics.has(item.topic)) {
      suppressed.push({ topic: item.topic, reason: 'snoozed' });
    } else if (room > 0) {
      shown.push(item);
      room--;
    } else {
      suppressed.push({ topic: item.topic, reason: 'budget' });
    }
  }
  return { shown, suppressed };
}
