/**
 * Model provenance: name, version and a sha256 over the canonical JSON of all knowledge data
 * (diagnostic knowledge base, condition code sets, drug table, treatment rules with their
 * premises and look-backs, the exclusion declarations, the generated terminology table with its
 * source and value-set versions, citations), so an Assessment can be traced to the exact
 * knowledge that produced it.
 */
import { createHash } from 'node:crypto';
import { EXCLUSIONS } from './exclusions/table';
import { DIAGNOSIS_EXCLUSIONS, SAFETY_CHECK_EXCLUSIONS } from './knowledge/card-exclusions';
import { CITATIONS } from './knowledge/evidence';
import { DIAGNOSTIC_KB } from './knowledge/conditions';
import { DIAGNOSTIC_CONDITION_CODES } from './knowledge/condition-index';
import { CONTEXT_CONDITIONS } from './knowledge/context-conditions';
import { DRUGS } from './knowledge/drugs';
import { HYPERKALEMIA_RULES, OLDER_ADULT_RULES, TREATMENT_KNOWLEDGE } from './knowledge/treatment';
import { RULE_PREMISES } from './knowledge/treatment/premises';
import { RULE_LOOK_BACKS } from './knowledge/treatment/look-backs';
import { RULE_EXCLUSIONS } from './knowledge/treatment/rule-exclusions';
import { TERMINOLOGY_TABLE } from './terminology';
import { DEFINITION_LR, ASSOCIATION_LR } from './knowledge/schema';

export const MODEL_NAME = 'rationale-knowledge-model';
export const MODEL_VERSION = '0.1.0';

/** JSON with object keys sorted at every level (Maps as sorted entry lists): one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (value instanceof Map) {
    const entries: Array<[string, unknown]> = [...(value as Map<unknown, unknown>).entries()].map(
      ([k, v]) => [String(k), normalize(v)],
    );
    return entries.sort(([a], [b]) => (a < b ? -1 : 1));
  }
  if (value instanceof Set) return [...value].map(normalize).sort();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'function') out[key] = normalize(v);
    }
    return out;
  }
  return value;
}

/** Every piece of knowledge data the model reads, in one object. */
export function knowledgeData(): unknown {
  return {
    diagnostic: DIAGNOSTIC_KB,
    conventions: { definition: DEFINITION_LR, association: ASSOCIATION_LR },
    conditionCodes: DIAGNOSTIC_CONDITION_CODES,
    contextConditions: CONTEXT_CONDITIONS,
    drugs: DRUGS,
    treatment: TREATMENT_KNOWLEDGE,
    safety: { hyperkalemia: HYPERKALEMIA_RULES, olderAdult: OLDER_ADULT_RULES },
    premises: RULE_PREMISES,
    lookBacks: RULE_LOOK_BACKS,
    exclusions: EXCLUSIONS,
    ruleExclusions: RULE_EXCLUSIONS,
    diagnosisExclusions: DIAGNOSIS_EXCLUSIONS,
    safetyCheckExclusions: SAFETY_CHECK_EXCLUSIONS,
    // The whole generated table: its source commit, every value set's version and the members.
    terminology: TERMINOLOGY_TABLE,
    citations: CITATIONS,
  };
}

/** sha256 (hex) of the canonical JSON of knowledge data (by default all of it). */
export function knowledgeHash(data: unknown = knowledgeData()): string {
  return createHash('sha256').update(canonicalJson(data)).digest('hex');
}

/** sha256 (hex) of the canonical JSON of all knowledge data, computed once at load. */
export const KNOWLEDGE_BASE_HASH: string = knowledgeHash();

export const MODEL_PROVENANCE = Object.freeze({
  name: MODEL_NAME,
  version: MODEL_VERSION,
  knowledgeBaseHash: KNOWLEDGE_BASE_HASH,
});
