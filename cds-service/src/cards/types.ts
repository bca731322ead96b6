/**
 * The card renderer's contract: Assessment in, at most `budget` CDS Hooks cards out, by the card
 * policy (DESIGN.md §6) and the EHR profile. Pure: snoozes and ids arrive as parameters.
 */
import type { Assessment, Card, EhrProfileName, HookName } from '@rationale/shared-types';

export type { EhrProfileName };

export interface CardThresholds {
  /** Minimum posterior for a `suggested` diagnosis to become a card (when criteria are not met). */
  minSuggestedPosterior: number;
}

export interface CardRenderOptions {
  hook: HookName;
  /** Maximum cards for this hook (default 3). Order-safety cards are never dropped by it. */
  budget: number;
  profile: EhrProfileName;
  thresholds: CardThresholds;
  /** Topic codes snoozed for this patient. */
  snoozedTopics: ReadonlySet<string>;
  /**
   * Ids of order-safety alerts order-select already returned for the same order (order-sign only):
   * held back, so an alert is returned once (hooks/order-alerts.ts).
   */
  shownAtOrderSelect?: ReadonlySet<string>;
  /** SMART app launch URL for the `smart` link; no link when absent. */
  appLaunchUrl?: string;
  /** source.label, e.g. "Rationale". */
  sourceLabel: string;
  /** Makes card and suggestion uuids; injected so renders are deterministic in tests. */
  newUuid: () => string;
}

export interface RenderedCard {
  card: Card;
  /** source.topic.code of the card. */
  topic: string;
  suggestionUuids: string[];
  /** Order-safety cards: the id of the alert behind the card. */
  alertId?: string;
}

export interface SuppressedCard {
  topic: string;
  /**
   * `excluded`: an exclusion withholds it (hospice care: a chronic-disease diagnosis, a Beers
   * "avoid"; a site model's declared exclusion). `silent-model`: a site model in silent mode, its
   * card counted, never shown.
   */
  reason:
    | 'budget'
    | 'snoozed'
    | 'below-threshold'
    | 'recorded'
    | 'shown-at-order-select'
    | 'excluded'
    | 'silent-model';
}

export interface RenderResult {
  cards: RenderedCard[];
  suppressed: SuppressedCard[];
}

export type RenderCards = (assessment: Assessment, options: CardRenderOptions) => RenderResult;
