/**
 * Cards: Assessment in, a few CDS Hooks cards out (DESIGN.md §6). The policy chooses and orders the
 * items (policy.ts), each becomes a card (render.ts), and the EHR profile adapts its shape
 * (ehr-profiles.ts). Pure: snoozed topics, the budget and the uuid source arrive in the options.
 */
import type { Assessment } from '@rationale/shared-types';
import type { CardRenderOptions, RenderCards, RenderedCard, RenderResult } from './types';
import { applyEhrProfile } from './ehr-profiles';
import { selectCards, type CardItem } from './policy';
import { safeCard } from './text';
import {
  cantMissCard,
  diagnosisCard,
  recommendationCard,
  renderContext,
  safetyCard,
  siteModelCard,
  type BuiltCard,
  type RenderContext,
} from './render';

function buildCard(item: CardItem, ctx: RenderContext): BuiltCard {
  switch (item.kind) {
    case 'cant-miss':
      return cantMissCard(item.item, ctx);
    case 'safety':
      return safetyCard(item.alert, ctx);
    case 'recommendation':
      return recommendationCard(item.recommendation, ctx);
    case 'diagnosis':
      return diagnosisCard(item.hypothesis, ctx);
    case 'site-model':
      return siteModelCard(item.result, item.prediction, ctx);
  }
}

/**
 * Renders the cards one hook call returns: at most `options.budget` advice cards after every
 * order-safety card, each adapted to `options.profile`; everything held back is listed in
 * `suppressed` with its reason, for monitoring and silent mode.
 */
export const renderCards: RenderCards = (
  assessment: Assessment,
  options: CardRenderOptions,
): RenderResult => {
  const { shown, suppressed } = selectCards(assessment, {
    hook: options.hook,
    budget: options.budget,
    thresholds: options.thresholds,
    snoozedTopics: options.snoozedTopics,
    ...(options.shownAtOrderSelect ? { shownAtOrderSelect: options.shownAtOrderSelect } : {}),
  });
  const ctx = renderContext(assessment, options);
  const cards: RenderedCard[] = shown.map((item) => {
    const built = buildCard(item, ctx);
    const card = safeCard(
      applyEhrProfile(built.card, options.profile, { assessment, newUuid: options.newUuid }),
    );
    return {
      card,
      topic: card.source.topic?.code ?? built.topic.code,
      suggestionUuids: (card.suggestions ?? [])
        .map((s) => s.uuid)
        .filter((u): u is string => u !== undefined),
      ...(item.kind === 'safety' ? { alertId: item.alert.id } : {}),
    };
  });
  return { cards, suppressed };
};

export type * from './types';
export {
  applyEhrProfile,
  EHR_PROFILES,
  profileSupportsHook,
  splitSuggestions,
  findAssessmentNote,
} from './ehr-profiles';
export { DEFAULT_CARD_BUDGET, ORDER_HOOKS, isCardWorthyDiagnosis, selectCards } from './policy';
export { diagnosisIndicator, recommendationIndicator, safetyIndicator, REASONING_LINK_LABEL } from './render';
export { ALL_OVERRIDE_REASONS, ADVICE_OVERRIDE_REASONS, SAFETY_OVERRIDE_REASONS } from './override-reasons';
export { TOPIC_SYSTEM, topicCode, isEpicTopicCode } from './topics';
export { SUMMARY_MAX, fitSummary } from './text';
