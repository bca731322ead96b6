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
    const label = labelOf(sets, match.id) ?? match.label;
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
  const index = indexOf(sets);
  // For each set (by position), the first coding that matches it, as a scan of the sets would find.
  const firstCoding = new Map<number, Coding>();
  for (const c of codings) {
    if (c.code === undefined) continue;
    const hits =
      c.system === SNOMED
        ? index.snomed.get(c.code)
        : c.system === ICD10CM
          ? icdPrefixHits(index.icd10, c.code)
          : undefined;
    for (const i of hits ?? []) if (!firstCoding.has(i)) firstCoding.set(i, c);
  }
  const out: ConditionMatch[] = [];
  const seen = new Set<string>();
  for (const i of [...firstCoding.keys()].sort((a, b) => a - b)) {
    const set = sets[i] as ConditionCodeSet;
    if (seen.has(set.id)) continue;
    seen.add(set.id);
    out.push({ id: set.id, label: set.label, coding: firstCoding.get(i), matchedBy: 'code' });
  }
  return out;
}

/** Code → positions of the sets listing it (SNOMED CT), ICD-10-CM prefix → positions. */
interface SetIndex {
  snomed: ReadonlyMap<string, readonly number[]>;
  icd10: ReadonlyMap<string, readonly number[]>;
}

/**
 * Built once per list of sets (at load for the knowledge base's own): a request looks codes up
 * in Maps, walking an ICD-10-CM code's prefixes, and never scans the sets.
 */
function indexSets(sets: readonly ConditionCodeSet[]): SetIndex {
  const snomed = new Map<string, number[]>();
  const icd10 = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [i]);
    else if (!list.includes(i)) list.push(i);
  };
  sets.forEach((set, i) => {
    for (const code of set.snomed) add(snomed, code, i);
    for (const prefix of set.icd10) add(icd10, prefix, i);
  });
  return { snomed, icd10 };
}

/** Positions of the sets with an ICD-10-CM prefix the code starts with (every prefix length). */
function icdPrefixHits(index: ReadonlyMap<string, readonly number[]>, code: string): number[] {
  const out: number[] = [];
  for (let end = 1; end <= code.length; end++)
    for (const i of index.get(code.slice(0, end)) ?? []) if (!out.includes(i)) out.push(i);
  return out;
}

const ALL_SETS: readonly ConditionCodeSet[] = [...DIAGNOSTIC_CONDITION_CODES, ...CONTEXT_CONDITIONS];

/** Each list of sets is indexed once (the knowledge base's own at load), then looked up. */
const INDEXES = new WeakMap<readonly ConditionCodeSet[], SetIndex>();
function indexOf(sets: readonly ConditionCodeSet[]): SetIndex {
  let index = INDEXES.get(sets);
  if (!index) {
    index = indexSets(sets);
    INDEXES.set(sets, index);
  }
  return index;
}
indexOf(ALL_SETS);
const ALL_LABELS: ReadonlyMap<string, string> = new Map(
  [...ALL_SETS].reverse().map((set) => [set.id, set.label] as const),
);

function labelOf(sets: readonly ConditionCodeSet[], id: string): string | undefined {
  return sets === ALL_SETS ? ALL_LABELS.get(id) : sets.find((s) => s.id === id)?.label;
}
function allSets(): readonly ConditionCodeSet[] {
  return ALL_SETS;
}
