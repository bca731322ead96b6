/**
 * How an Assessment becomes a hook's answer, the same for the live hook, the dry run and eval: the
 * card policy and EHR profile (cards/), then conformance to the CDS Hooks card schema, then the
 * service's mode (a silent service stores and counts its cards but returns none).
 */
import { cardSchema, type Assessment, type Card } from '@rationale/shared-types';
import type { EhrProfileName, RenderCards, RenderedCard, SuppressedCard } from '../cards/types';
import type { ServiceHook, ServiceSettings } from '../config';

/** source.label of every card. */
export const SOURCE_LABEL = 'Rationale';

export interface CardChoiceOptions {
  hook: ServiceHook;
  /** The service's settings: card budget and mode. */
  service: Pick<ServiceSettings, 'cardBudget' | 'mode'>;
  profile: EhrProfileName;
  minSuggestedPosterior: number;
  /** Topic codes snoozed for this patient. */
  snoozedTopics: ReadonlySet<string>;
  /** Order-sign: alert ids order-select already returned for the same order (not repeated). */
  shownAtOrderSelect?: ReadonlySet<string>;
  /** SMART launch URL for card links; no link when absent. */
  appLaunchUrl?: string;
  newUuid: () => string;
}

/** A card the renderer produced that does not meet the spec, with the offending paths. */
export interface DroppedCard {
  topic: string;
  issues: string[];
}

export interface CardChoice {
  /** The cards the EHR receives: none in silent mode. */
  returned: Card[];
  /** Every conforming card, returned or withheld: what the store records as issued. */
  issued: RenderedCard[];
  /** What the card policy held back, and why. */
  suppressed: SuppressedCard[];
  /** Cards dropped for not conforming (a renderer bug, logged by the caller). */
  dropped: DroppedCard[];
  silent: boolean;
}

/** Picks a hook's cards for an Assessment. Pure: snoozes, ids and the launch URL arrive as options. */
export function chooseCards(
  assessment: Assessment,
  options: CardChoiceOptions,
  renderCards: RenderCards,
): CardChoice {
  const rendered = renderCards(assessment, {
    hook: options.hook,
    budget: options.service.cardBudget,
    profile: options.profile,
    thresholds: { minSuggestedPosterior: options.minSuggestedPosterior },
    snoozedTopics: options.snoozedTopics,
    ...(options.shownAtOrderSelect ? { shownAtOrderSelect: options.shownAtOrderSelect } : {}),
    ...(options.appLaunchUrl ? { appLaunchUrl: options.appLaunchUrl } : {}),
    sourceLabel: SOURCE_LABEL,
    newUuid: options.newUuid,
  });
  const issued: RenderedCard[] = [];
  const dropped: DroppedCard[] = [];
  for (const r of rendered.cards) {
    const problems = nonConformance(r);
    if (problems.length) dropped.push({ topic: r.topic, issues: problems });
    else issued.push(r);
  }
  const silent = options.service.mode === 'silent';
  return {
    returned: silent ? [] : issued.map((r) => r.card),
    issued,
    suppressed: rendered.suppressed,
    dropped,
    silent,
  };
}

/**
 * Where a card misses the spec's letter (summary under 140 characters, uuid, source.label,
 * indicator, selectionBehavior with suggestions, a display on each override reason). A renderer
 * bug drops the card rather than sending the EHR a card it must treat as an error.
 */
function nonConformance(r: RenderedCard): string[] {
  const parsed = cardSchema.safeParse(r.card);
  if (!parsed.success) return parsed.error.issues.map((i) => i.path.join('.'));
  return typeof r.card.uuid === 'string' && r.card.uuid.length > 0 ? [] : ['uuid'];
}
