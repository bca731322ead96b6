/**
 * The evidence library: every citation the model can refer to, by id. Diagnosis-side and
 * treatment-side entries live in their own files; ids are unique across both (checked by test).
 */
import type { Citation } from '@rationale/shared-types';
import { DIAGNOSIS_CITATIONS } from './diagnosis';
import { TREATMENT_CITATIONS } from './treatment';

export const CITATIONS: ReadonlyMap<string, Citation> = new Map(
  [...DIAGNOSIS_CITATIONS, ...TREATMENT_CITATIONS].map((c) => [c.id, c]),
);
