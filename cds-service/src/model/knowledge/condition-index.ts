/**
 * Problem-list code sets: the diagnostic conditions' codes (from the knowledge base) plus those
 * only read as context (CONTEXT_CONDITIONS, owned by the treatment side), and the lookup the
 * findings extractor uses to map a Condition's codings to condition ids.
 */
import type { Coding } from '@rationale/shared-types';
import { groupsOfConcept } from '../terminology';
import type { ConditionCodeSet } from './condition-codes';
import { DIAGNOSTIC_KB } from './conditions';
import { CONTEXT_CONDITIONS } from './context-conditions';

const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** Condition code sets of the diagnostic knowledge base (heart failure of any type among them). */
export const DIAGNOSTIC_CONDITION_CODES: ConditionCodeSet[] = DIAGNOSTIC_KB.conditions.map((c) => ({
  id: c.id,
  label: c.label,
  snomed: c.snomed,
  icd10: c.icd10,
  citationIds: c.criteria?.citationIds ?? c.citationIds,
}));

export interface ConditionMatch {
  id: string;
  label: string;
  /** The coding that matched; undefined when only the text did (`matchedBy: 'text'`). */
  coding?: Coding;
  matchedBy?: 'code' | 'text';
}

/**
 * Every condition id (diagnostic and context) a Condition's codings map to, in stable order: the
 * knowledge base's own code sets, then the terminology layer's published value sets and ICD-10-CM
 * hierarchy (every coding tried); the text only when no coding is recognised.
 */
export function matchConditionCodes(
  codings: readonly Coding[],
  sets: readonly ConditionCodeSet[] = allSets(),
  text?: string,
): ConditionMatch[] {
  const out = matchKnowledgeCodes(codings, sets);
  for (const match of groupsOfConcept({ coding: [...codings], text }, out.length === 0)) {
    if (out.some((m) => m.id === match.id)) continue;
    const label = sets.find((s) => s.id === match.id)?.label ?? match.label;
    out.push({
      id: match.id,
      label,
      ...(match.coding ? { coding: match.coding } : {}),
      matchedBy: match.matchedBy,
    });
  }
  return out;
}

function matchKnowledgeCodes(
  codings: readonly Coding[],
  sets: readonly ConditionCodeSet[],
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
      out.push({ id: set.id, label: set.label, coding, matchedBy: 'code' });
    }
  }
  return out;
}

const ALL_SETS: readonly ConditionCodeSet[] = [...DIAGNOSTIC_CONDITION_CODES, ...CONTEXT_CONDITIONS];
function allSets(): readonly ConditionCodeSet[] {
  return ALL_SETS;
}
