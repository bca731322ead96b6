/**
 * Problem-list code sets: the diagnostic conditions' codes (from the knowledge base) plus those
 * only read as context (CONTEXT_CONDITIONS, owned by the treatment side), and the lookup the
 * findings extractor uses to map a Condition's codings to condition ids.
 */
import type { Coding } from '@rationale/shared-types';
import type { ConditionCodeSet } from './condition-codes';
import { DIAGNOSTIC_KB } from './conditions';
import { CONTEXT_CONDITIONS } from './context-conditions';

const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** Condition code sets of the diagnostic knowledge base, plus heart failure of any type. */
export const DIAGNOSTIC_CONDITION_CODES: ConditionCodeSet[] = [
  ...DIAGNOSTIC_KB.conditions.map((c) => ({
    id: c.id,
    label: c.label,
    snomed: c.snomed,
    icd10: c.icd10,
    citationIds: c.criteria?.citationIds ?? c.citationIds,
  })),
  {
    // Heart failure of any ejection fraction: read for CHA2DS2-VASc and as history for ADHF.
    id: 'heart-failure',
    label: 'Heart failure',
    snomed: ['84114007', '42343007', '88805009', '10633002', '703272007', '446221000'],
    icd10: ['I50'],
    citationIds: ['heidenreich-2022-hf'],
  },
];

export interface ConditionMatch {
  id: string;
  label: string;
  coding: Coding;
}

/** Every condition id (diagnostic and context) a Condition's codings map to, in stable order. */
export function matchConditionCodes(
  codings: readonly Coding[],
  sets: readonly ConditionCodeSet[] = allSets(),
): ConditionMatch[] {
  const out: ConditionMatch[] = [];
  const seen = new Set<string>();
  for (const set of sets) {
    if (seen.has(set.id)) continue;
    const coding = codings.find(
      (c) =>
        c.code !== undefined &&
        ((c.system === SNOMED && set.snomed.includes(c.code)) ||
          (c.system === ICD10CM && set.icd10.some((prefix) => c.code?.startsWith(prefix)))),
    );
    if (coding) {
      seen.add(set.id);
      out.push({ id: set.id, label: set.label, coding });
    }
  }
  return out;
}

function allSets(): ConditionCodeSet[] {
  return [...DIAGNOSTIC_CONDITION_CODES, ...CONTEXT_CONDITIONS];
}
