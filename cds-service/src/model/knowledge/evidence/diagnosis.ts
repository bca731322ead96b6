import type { Citation } from '@rationale/shared-types';

/** Citations for diagnostic criteria, likelihood ratios, priors and scores. */
export const DIAGNOSIS_CITATIONS: Citation[] = [];
