/**
 * Drug knowledge: RxNorm ingredient → drug classes, used by findings (medication facts) and by
 * recommendations and order safety. Owned by the treatment side of the model; the table is data,
 * every class membership checkable against RxNorm and the cited guideline's drug lists.
 */
import type { Coding } from '@rationale/shared-types';

export interface DrugClassification {
  rxnorm?: string;
  ingredient: string;
  classes: string[];
}

/**
 * Classifies a medication from its codings (RxNorm ingredient or clinical drug codes) or, failing
 * that, its text. Returns undefined for a drug the knowledge base does not know.
 */
export function classifyMedication(codings: Coding[], text?: string): DrugClassification | undefined {
  const haystack = [text, ...codings.map((c) => c.display)].filter(Boolean).join(' ').toLowerCase();
  for (const entry of SEED) {
    if (codings.some((c) => c.code && entry.rxnorm === c.code) || haystack.includes(entry.ingredient)) {
      return { rxnorm: entry.rxnorm, ingredient: entry.ingredient, classes: entry.classes };
    }
  }
  return undefined;
}

// Seed entries so both halves of the model compile from the start; the full table replaces this.
const SEED: Array<{ rxnorm: string; ingredient: string; classes: string[] }> = [
  { rxnorm: '6809', ingredient: 'metformin', classes: ['biguanide', 'glucose-lowering'] },
  { rxnorm: '83367', ingredient: 'atorvastatin', classes: ['statin'] },
];

export interface AllergyClassification {
  /** Drug classes the allergy covers, including established cross-reactive classes. */
  classes: string[];
  ingredients: string[];
}

/** Classifies an AllergyIntolerance's substance codings (RxNorm, SNOMED CT) or text. */
export function classifyAllergy(codings: Coding[], text?: string): AllergyClassification {
  const match = classifyMedication(codings, text);
  return match ? { classes: match.classes, ingredients: [match.ingredient] } : { classes: [], ingredients: [] };
}
