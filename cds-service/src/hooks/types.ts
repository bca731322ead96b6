/**
 * What a hook handler needs, passed in (STYLE.md: no module-level singletons). The model, the card
 * renderer, the store and the LLM reasoner arrive as interfaces so the protocol is testable alone.
 */
import type { AssessFn } from '../assessment/assess-patient';
import type { EhrProfileName, RenderCards } from '../cards/types';
import type { Config } from '../config';
import type { FhirGateway } from '../fhir/fhir-gateway';
import type { LlmEnricher } from '../llm/types';
import type { SiteModel } from '../assessment/site-model-step';
import type { Logger } from '../logger';
import type { AssessmentStore, AuditLog, FeedbackStore, OrderAlertLedger } from '../store/store';

export type { AssessFn };

/** The parts of the store that hooks and their feedback use. */
export type HookStore = Pick<AssessmentStore, 'recordHook' | 'saveLlmAdditions'> &
  Pick<FeedbackStore, 'activeSnoozes' | 'saveFeedback' | 'getIssuedCard' | 'snooze'> &
  OrderAlertLedger &
  AuditLog;

export interface HookDeps {
  config: Config;
  /**
   * Hooks store what a call left behind and read snoozes (and, order-sign, the alerts order-select
   * returned); feedback stores feedback, snoozes and audit events. Nothing more of the store.
   */
  store: HookStore;
  gateway: FhirGateway;
  assess: AssessFn;
  renderCards: RenderCards;
  llm?: LlmEnricher;
  /** The site's own models (configuration `models`). */
  siteModels?: readonly SiteModel[];
  clock: () => Date;
  newId: () => string;
}

/** Who called, as established by authentication. */
export interface Caller {
  /** JWT `iss`; absent when authentication is off. */
  issuer?: string;
  profile: EhrProfileName;
}

/** Per-request facts the HTTP layer knows. */
export interface HookCallContext {
  caller: Caller;
  /** The SMART launch URL for card links. */
  appLaunchUrl?: string;
  logger: Logger;
}
