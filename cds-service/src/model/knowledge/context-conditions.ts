import type { ConditionCodeSet } from './condition-codes';

/**
 * Conditions the model does not diagnose but reads from the problem list, because recommendations
 * and order-safety rules depend on them (ASCVD, mechanical valve, ESRD, cirrhosis, ...).
 */
export const CONTEXT_CONDITIONS: ConditionCodeSet[] = [];
