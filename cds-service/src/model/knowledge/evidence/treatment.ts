import type { Citation } from '@rationale/shared-types';

/** Citations for treatment guidelines, drug facts and order-safety rules. */
export const TREATMENT_CITATIONS: Citation[] = [];
