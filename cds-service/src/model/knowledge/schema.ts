/**
 * The diagnostic knowledge base's schema. Knowledge is data; this schema validates it when the
 * module loads, so a bad entry (a likelihood ratio without a citation, an unknown finding, a
 * prior outside 0-1) fails the build and the tests, never a patient request.
 */
import { z } from 'zod';

/**
 * How a likelihood ratio was obtained:
 * - `study`: measured diagnostic accuracy (sensitivity/specificity or LR) in the cited study;
 * - `definition`: the finding meets (or excludes) the cited guideline's diagnostic threshold; the
 *   LR is the model's fixed convention for a definition-level finding (DEFINITION_LR below), not a
 *   measured accuracy;
 * - `association`: the cited guideline lists the finding as a typical feature; the LR is the
 *   model's fixed modest convention (ASSOCIATION_LR) and its absence counts for nothing;
 * - `phenotype`: a piece of record evidence (a treatment, a procedure, a coded reason) that a
 *   published computable phenotype uses to infer the problem; the LR is the model's convention
 *   for how specific that evidence is (PHENOTYPE_LR below), and its absence counts for nothing.
 */
export const evidenceBasisSchema = z.enum(['study', 'definition', 'association', 'phenotype']);
export type EvidenceBasis = z.infer<typeof evidenceBasisSchema>;

/** Model conventions for definition- and association-level findings (see evidenceBasisSchema). */
export const DEFINITION_LR = Object.freeze({
  /** One value meets the guideline threshold (a single A1c ≥ 6.5%). */
  met: 20,
  /** The guideline's confirmation is met (repeat test, persistence > 3 months, measured LVEF). */
  confirmed: 100,
  /** The defining test was done and is normal, but other routes to the diagnosis remain. */
  normal: 0.2,
  /** The defining test was done and is normal, and it is the only route to the diagnosis. */
  excluded: 0.05,
});
export const ASSOCIATION_LR = Object.freeze({ weak: 1.5, moderate: 2, strong: 3 });

/**
 * Model conventions for record evidence (basis `phenotype`). A likelihood ratio follows from a
 * rule's positive predictive value at a prevalence: LR+ = [PPV / (1 − PPV)] / [p / (1 − p)].
 * Wright et al. (JAMIA 2011) report PPVs of 79.8-99.6% for their 17 problem-inference rules built
 * from medications, labs, billing codes and vitals; at a 10% prevalence the lowest of those,
 * 79.8%, is an LR of (0.798 / 0.202) / (0.1 / 0.9) ≈ 36. The per-rule PPVs are not reproduced
 * here (not verified), so the tiers are conventions, set below that floor:
 */
export const PHENOTYPE_LR = Object.freeze({
  /**
   * Evidence that exists only because of the condition once its confounders are ruled out: PCI or
   * CABG, dialysis, thyroid hormone replacement, urate-lowering therapy (as DEFINITION_LR.confirmed).
   */
  defining: 100,
  /**
   * Evidence with essentially one indication in adults once its listed confounders are absent
   * (insulin, metformin, an oral anticoagulant, cardioversion, a coded reason).
   */
  specific: 30,
  /** A first-line treatment of the condition that has other uses (a statin, a loop diuretic, warfarin). */
  typical: 10,
  /** A treatment the condition often gets among many others (a beta-blocker, a calcium-channel blocker). */
  supportive: 2,
  /** What any of these falls to when a confounder (another indication) is on the record. */
  confounded: 1.5,
});

const opSchema = z.enum(['>=', '>', '<', '<=']);

export const findingRuleSchema = z.discriminatedUnion('type', [
  /** A lab or vital compared with a threshold: the latest value, or at least `count` values. */
  z.object({
    type: z.literal('lab'),
    analyte: z.string().min(1),
    op: opSchema,
    value: z.number(),
    /** Sex-specific thresholds override `value` (e.g. WHO anaemia: 13 g/dL men, 12 women). */
    female: z.number().optional(),
    male: z.number().optional(),
    select: z.enum(['latest', 'count']).default('latest'),
    count: z.number().int().min(1).default(1),
    /** `recent`: within settings.labRecencyMonths; `all`: any time (chronic conditions). */
    window: z.enum(['recent', 'all']).default('recent'),
  }),
  /** The latest value within [min, max). */
  z.object({
    type: z.literal('lab-range'),
    analyte: z.string().min(1),
    min: z.number(),
    max: z.number(),
    window: z.enum(['recent', 'all']).default('recent'),
  }),
  /** A finding the extractor derives (trend, ECG rhythm, BP average); absent when any `absentIf` code is present. */
  z.object({
    type: z.literal('derived'),
    code: z.string().min(1),
    absentIf: z.array(z.string()).default([]),
    /** The lab threshold the derivation applies (shown on the app's trend plot), when it has one. */
    threshold: z.object({ analyte: z.string().min(1), op: opSchema, value: z.number() }).optional(),
  }),
  /** A coded symptom or sign; absent only when explicitly recorded as absent. */
  z.object({ type: z.literal('symptom'), symptom: z.string().min(1) }),
  /** A condition on the problem list (history); never counted as absent. */
  z.object({ type: z.literal('recorded'), conditionIds: z.array(z.string().min(1)).min(1) }),
  /** Current smoker (LOINC 72166-2). */
  z.object({ type: z.literal('smoker') }),
  /**
   * A medication on the record, active or past (findings/record-evidence.ts), by ingredient or
   * drug class (knowledge/drugs); `active` requires a current prescription. Never absent.
   */
  z.object({
    type: z.literal('medication'),
    ingredients: z.array(z.string().min(1)).default([]),
    classes: z.array(z.string().min(1)).default([]),
    active: z.boolean().default(false),
  }),
  /** A procedure performed, by SNOMED CT code. Never absent. */
  z.object({ type: z.literal('procedure'), snomed: z.array(z.string().regex(/^\d+$/)).min(1) }),
  /** A condition named as the reason for an encounter or a prescription. Never absent. */
  z.object({ type: z.literal('reason'), conditionIds: z.array(z.string().min(1)).min(1) }),
  /** A resolved or inactive Condition of the record (history). Never absent. */
  z.object({ type: z.literal('history'), conditionIds: z.array(z.string().min(1)).min(1) }),
]);
export type FindingRule = z.infer<typeof findingRuleSchema>;

export const codingSchemaKb = z.object({
  system: z.string().url(),
  code: z.string().min(1),
  display: z.string().min(1),
});

/** What must be done to observe a finding: a lab (LOINC), a vital, a question to ask, a procedure. */
export const observableSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  kind: z.enum(['lab', 'vital', 'question', 'procedure']),
  code: codingSchemaKb.optional(),
});
export type Observable = z.infer<typeof observableSchema>;

export const findingDefSchema = z.object({
  code: z.string().min(1),
  label: z.string().min(1),
  /** The observable whose result reveals this finding (for next-best tests). */
  observable: z.string().min(1),
  rule: findingRuleSchema,
});
export type FindingDef = z.infer<typeof findingDefSchema>;

export const evidenceSchema = z
  .object({
    finding: z.string().min(1),
    lrPositive: z.number().positive().optional(),
    /** LR when the finding is absent; omitted = absence carries no information. */
    lrNegative: z.number().positive().optional(),
    sensitivity: z.number().gt(0).lt(1).optional(),
    specificity: z.number().gt(0).lt(1).optional(),
    /** Correlated findings share a group; only the strongest of a group counts. */
    group: z.string().optional(),
    basis: evidenceBasisSchema,
    citationId: z.string().min(1),
    /** Where in the source the number is (table, threshold). */
    note: z.string().optional(),
    /**
     * Other indications of the same evidence (metformin for prediabetes or PCOS): when one of these
     * conditions is on the record (active, resolved or a coded reason), LR+ falls to `lrPositive`.
     */
    confounders: z
      .array(
        z.object({
          conditionIds: z.array(z.string().min(1)).min(1),
          lrPositive: z.number().positive(),
          note: z.string().min(1),
        }),
      )
      .default([]),
  })
  .refine((e) => e.lrPositive !== undefined || (e.sensitivity !== undefined && e.specificity !== undefined), {
    message: 'evidence needs lrPositive or sensitivity and specificity',
  });
export type Evidence = z.infer<typeof evidenceSchema>;

export const priorSchema = z.object({
  value: z.number().gt(0).lt(1),
  /** `study`: a prevalence from the cited source; `convention`: the model's setting, anchored to the cited definition. */
  basis: z.enum(['study', 'convention']),
  citationId: z.string().min(1),
  bands: z
    .array(
      z.object({
        minAge: z.number().min(0),
        maxAge: z.number().optional(),
        sex: z.enum(['female', 'male']).optional(),
        value: z.number().gt(0).lt(1),
      }),
    )
    .default([]),
  note: z.string().optional(),
});

export const conditionKnowledgeSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string().min(1),
  /** `chronic`: detectable from labs and vitals; `acute`: symptom-level differential. */
  category: z.enum(['chronic', 'acute']),
  /** Problem-list codes that mean the condition is recorded. */
  snomed: z.array(z.string().regex(/^\d+$/)).min(1),
  icd10: z.array(z.string().regex(/^[A-Z]\d[0-9A-Z](\.\w+)?$/)),
  /** Codes a clinician could add (first SNOMED CT, then ICD-10-CM), with displays. */
  addCodes: z.array(codingSchemaKb).min(1),
  prior: priorSchema,
  evidence: z.array(evidenceSchema),
  criteria: z
    .object({ description: z.string().min(1), citationIds: z.array(z.string().min(1)).min(1) })
    .optional(),
  citationIds: z.array(z.string().min(1)).min(1),
});
export type ConditionKnowledge = z.infer<typeof conditionKnowledgeSchema>;

export const knowledgeBaseSchema = z.object({
  observables: z.array(observableSchema),
  findings: z.array(findingDefSchema),
  conditions: z.array(conditionKnowledgeSchema),
});
export type KnowledgeBase = z.infer<typeof knowledgeBaseSchema>;

/**
 * Parses the knowledge base and checks its cross-references: every evidence finding defined,
 * every finding's observable defined, every citation id known, ids unique.
 */
export function validateKnowledgeBase(data: unknown, citationIds: ReadonlySet<string>): KnowledgeBase {
  const kb = knowledgeBaseSchema.parse(data);
  const problems: string[] = [];
  const unique = (label: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`duplicate ${label} ${id}`);
      seen.add(id);
    }
    return seen;
  };
  const observables = unique(
    'observable',
    kb.observables.map((o) => o.id),
  );
  const findings = unique(
    'finding',
    kb.findings.map((f) => f.code),
  );
  unique(
    'condition',
    kb.conditions.map((c) => c.id),
  );
  for (const f of kb.findings) {
    if (!observables.has(f.observable))
      problems.push(`finding ${f.code}: unknown observable ${f.observable}`);
  }
  for (const c of kb.conditions) {
    const cite = (id: string, where: string) => {
      if (!citationIds.has(id)) problems.push(`${c.id}: ${where} cites unknown ${id}`);
    };
    cite(c.prior.citationId, 'prior');
    c.citationIds.forEach((id) => cite(id, 'condition'));
    c.criteria?.citationIds.forEach((id) => cite(id, 'criteria'));
    for (const e of c.evidence) {
      if (!findings.has(e.finding)) problems.push(`${c.id}: unknown finding ${e.finding}`);
      cite(e.citationId, `evidence ${e.finding}`);
    }
  }
  if (problems.length) throw new Error(`Invalid knowledge base:\n${problems.join('\n')}`);
  return kb;
}

/** LR+ and LR− of an evidence entry (from sensitivity and specificity when those are given). */
export function likelihoodRatios(e: Evidence): { positive: number; negative: number } {
  if (e.lrPositive !== undefined) return { positive: e.lrPositive, negative: e.lrNegative ?? 1 };
  const sens = e.sensitivity as number;
  const spec = e.specificity as number;
  return { positive: sens / (1 - spec), negative: e.lrNegative ?? (1 - sens) / spec };
}
