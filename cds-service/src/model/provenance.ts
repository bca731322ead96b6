/**
 * Model provenance: name, version and a sha256 over the canonical JSON of all knowledge data
 * (diagnostic knowledge base, condition code sets, drug table, treatment rules, citations), so an
 * Assessment can be traced to the exact knowledge that produced it.
 */
import { createHash } from 'node:crypto';
import { CITATIONS } from './knowledge/evidence';
import { DIAGNOSTIC_KB } from './knowledge/conditions';
import { DIAGNOSTIC_CONDITION_CODES } from './knowledge/condition-index';
import { CONTEXT_CONDITIONS } from './knowledge/context-conditions';
import { DRUGS } from './knowledge/drugs';
import { TREATMENT_KNOWLEDGE } from './knowledge/treatment';
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
    citations: CITATIONS,
  };
}

/** sha256 (hex) of the canonical JSON of all knowledge data. */
export const KNOWLEDGE_BASE_HASH: string = createHash('sha256')
  .update(canonicalJson(knowledgeData()))
  .digest('hex');

export const MODEL_PROVENANCE = Object.freeze({
  name: MODEL_NAME,
  version: MODEL_VERSION,
  knowledgeBaseHash: KNOWLEDGE_BASE_HASH,
});
