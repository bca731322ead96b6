/**
 * How a coded Condition (SNOMED CT or ICD-10-CM) maps to a knowledge-base condition id. The
 * diagnostic knowledge base defines these for the conditions it reasons about; CONTEXT_CONDITIONS
 * (knowledge/context-conditions.ts) adds those that only gate recommendations and safety checks.
 */
export interface ConditionCodeSet {
  /** Knowledge-base condition id: `t2d`, `ckd`, `af`, `ascvd`, `mechanical-valve`, ... */
  id: string;
  label: string;
  snomed: string[];
  /** ICD-10-CM codes or prefixes ("E11" matches E11.9). */
  icd10: string[];
  /** Citation ids for the value set the codes come from, where one exists. */
  citationIds: string[];
}
