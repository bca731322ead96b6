/**
 * The treatment half of the knowledge base as plain data: recommendation rules, proposed orders,
 * the drug table and the order-safety tables. assess.ts hashes TREATMENT_KNOWLEDGE into the
 * knowledge-base hash, so every card can be traced to the exact rules that produced it.
 */
import { DRUGS, STATIN_INTENSITY } from '../drugs';
import { CONTEXT_CONDITIONS } from '../context-conditions';
import { PROPOSED_ORDERS } from './orders';
import { RECOMMENDATION_RULES } from './rules';
import {
  ALLERGY_CROSS_REACTIVITY,
  CONDITION_RULES,
  DOSE_LIMITS,
  DRUG_INTERACTIONS,
  DUPLICATE_GROUPS,
  PREGNANCY_RULES,
  RENAL_DOSE_BANDS,
  RENAL_RULES,
} from './safety-tables';

export { PROPOSED_ORDERS, proposedOrder } from './orders';
export { RECOMMENDATION_RULES, rule, threshold } from './rules';
export * from './safety-tables';
export type * from './schema';

export const TREATMENT_KNOWLEDGE = Object.freeze({
  recommendationRules: RECOMMENDATION_RULES,
  proposedOrders: [...PROPOSED_ORDERS.entries()].map(([key, order]) => ({ key, order })),
  drugs: DRUGS,
  statinIntensity: STATIN_INTENSITY,
  contextConditions: CONTEXT_CONDITIONS,
  interactions: DRUG_INTERACTIONS,
  renalRules: RENAL_RULES,
  renalDoseBands: RENAL_DOSE_BANDS,
  conditionRules: CONDITION_RULES,
  duplicateGroups: DUPLICATE_GROUPS,
  pregnancyRules: PREGNANCY_RULES,
  doseLimits: DOSE_LIMITS,
  allergyCrossReactivity: ALLERGY_CROSS_REACTIVITY,
});
