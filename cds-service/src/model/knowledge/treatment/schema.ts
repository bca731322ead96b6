/**
 * Schemas of the treatment knowledge: recommendation-rule metadata, proposed orders and the
 * order-safety tables. Everything is plain data validated at module load (a bad entry fails the
 * build, not a patient request); every number carries the id of the citation it comes from.
 */
import { z } from 'zod';
import { proposedOrderSchema, strengthSchema } from '@rationale/shared-types';
import { DRUG_CLASSES } from '../drugs/table';

export const thresholdSchema = z.object({
  value: z.number(),
  unit: z.string().min(1),
  citationId: z.string().min(1),
});
export type Threshold = z.infer<typeof thresholdSchema>;

export const RULE_DOMAINS = ['lipids', 'af', 'ckd', 'diabetes', 'hf', 'htn', 'opioids'] as const;

export const recommendationRuleSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  domain: z.enum(RULE_DOMAINS),
  kind: z.enum(['start', 'intensify', 'stop', 'avoid', 'order-test', 'monitor', 'refer']),
  /** What the rule checks, in one sentence (shown in the app's knowledge view). */
  summary: z.string().min(1),
  strength: strengthSchema,
  priority: z.enum(['strong', 'moderate', 'weak']),
  citationIds: z.array(z.string().min(1)).min(1),
  thresholds: z.record(z.string(), thresholdSchema),
  /** Recommendations with the same key propose the same therapy; only the first (strongest) is kept. */
  therapyKey: z.string().optional(),
});
export type RecommendationRule = z.infer<typeof recommendationRuleSchema>;

export const namedOrderSchema = z.object({ key: z.string().min(1), order: proposedOrderSchema });
export type NamedOrder = z.infer<typeof namedOrderSchema>;

const drugClassSchema = z.enum(DRUG_CLASSES);
/** Which drugs a safety rule applies to: any listed class or ingredient. */
export const drugSelectorSchema = z
  .object({ classes: z.array(drugClassSchema).optional(), ingredients: z.array(z.string()).optional() })
  .refine((s) => (s.classes?.length ?? 0) + (s.ingredients?.length ?? 0) > 0, { message: 'empty selector' });
export type DrugSelector = z.infer<typeof drugSelectorSchema>;

const severitySchema = z.enum(['high', 'moderate', 'low']);

/**
 * How old a value an order-safety check reads may be (issue 13, fresh data wins): an older one is
 * treated as missing and the alert says the value is not current instead of claiming a
 * contraindication or a dose. `citationIds` empty: the window is the model's convention, said so
 * in `basis`.
 */
export const safetyLookBackSchema = z
  .object({
    months: z.number().positive().optional(),
    /** Where the source states the window in days (shown in days). */
    days: z.number().int().positive().optional(),
    /** Why this window, in words; a convention says so. */
    basis: z.string().min(1),
    citationIds: z.array(z.string().min(1)),
  })
  .refine((l) => (l.months === undefined) !== (l.days === undefined), {
    message: 'a look-back is in months or in days',
  });
export type SafetyLookBack = z.infer<typeof safetyLookBackSchema>;

export const interactionSchema = z
  .object({
    id: z.string().regex(/^ddi-[a-z0-9-]+$/),
    a: drugSelectorSchema,
    b: drugSelectorSchema,
    severity: severitySchema,
    contraindicated: z.boolean(),
    title: z.string().min(1),
    detail: z.string().min(1),
    /** Only when the patient has renal impairment (eGFR below the threshold or CKD recorded). */
    requiresRenalImpairmentBelow: thresholdSchema.optional(),
    /** How old that eGFR may be (required with `requiresRenalImpairmentBelow`). */
    renalLookBack: safetyLookBackSchema.optional(),
    /** Safer alternative when the draft is the `a` drug, or the `b` drug (keys of PROPOSED_ORDERS). */
    alternativeForA: z.string().optional(),
    alternativeForB: z.string().optional(),
    citationIds: z.array(z.string().min(1)).min(1),
  })
  .refine((r) => !r.requiresRenalImpairmentBelow || r.renalLookBack, {
    message: 'a renal-impairment condition needs its look-back',
  });
export type Interaction = z.infer<typeof interactionSchema>;

export const renalRuleSchema = z
  .object({
    id: z.string().regex(/^renal-[a-z0-9-]+$/),
    drug: drugSelectorSchema,
    measure: z.enum(['egfr', 'crcl']),
    /** Fires when the measure is below this value (and at or above `atLeast`, when both are given). */
    below: thresholdSchema.optional(),
    atLeast: thresholdSchema.optional(),
    severity: severitySchema,
    contraindicated: z.boolean(),
    title: z.string().min(1),
    detail: z.string().min(1),
    alternative: z.string().optional(),
    citationIds: z.array(z.string().min(1)).min(1),
    /** How old the kidney-function value may be; an older one is treated as missing. */
    lookBack: safetyLookBackSchema,
  })
  .refine((r) => r.below || r.atLeast, { message: 'a renal rule needs a bound' });
export type RenalRule = z.infer<typeof renalRuleSchema>;

export const renalDoseBandSchema = z.object({
  id: z.string().regex(/^renal-[a-z0-9-]+$/),
  ingredient: z.string(),
  measure: z.enum(['egfr', 'crcl']),
  /** Bands by CrCl/eGFR lower bound (inclusive), highest first; maxDailyMg the label's maximum in that band. */
  bands: z.array(z.object({ from: z.number(), maxDailyMg: z.number().positive() })).min(1),
  /** How old the kidney-function values may be; older ones are treated as missing. */
  lookBack: safetyLookBackSchema,
  severity: severitySchema,
  citationIds: z.array(z.string().min(1)).min(1),
});
export type RenalDoseBand = z.infer<typeof renalDoseBandSchema>;

export const conditionRuleSchema = z.object({
  id: z.string().regex(/^cond-[a-z0-9-]+$/),
  drug: drugSelectorSchema,
  conditionIds: z.array(z.string()).min(1),
  severity: severitySchema,
  contraindicated: z.boolean(),
  title: z.string().min(1),
  detail: z.string().min(1),
  alternative: z.string().optional(),
  citationIds: z.array(z.string().min(1)).min(1),
});
export type ConditionRule = z.infer<typeof conditionRuleSchema>;

export const duplicateGroupSchema = z.object({
  id: z.string().regex(/^dup-[a-z0-9-]+$/),
  label: z.string().min(1),
  classes: z.array(drugClassSchema).min(1),
  severity: severitySchema,
  detail: z.string().min(1),
  citationIds: z.array(z.string().min(1)).min(1),
});
export type DuplicateGroup = z.infer<typeof duplicateGroupSchema>;

export const pregnancyRuleSchema = z.object({
  id: z.string().regex(/^preg-[a-z0-9-]+$/),
  drug: drugSelectorSchema,
  severity: severitySchema,
  contraindicated: z.boolean(),
  title: z.string().min(1),
  detail: z.string().min(1),
  alternative: z.string().optional(),
  /** Conditions under which the drug is still indicated in pregnancy (the alert then stays but is not contraindicated). */
  exceptConditionIds: z.array(z.string()).optional(),
  citationIds: z.array(z.string().min(1)).min(1),
});
export type PregnancyRule = z.infer<typeof pregnancyRuleSchema>;

export const doseLimitSchema = z.object({
  id: z.string().regex(/^dose-[a-z0-9-]+$/),
  ingredient: z.string(),
  maxDaily: thresholdSchema,
  /** A lower maximum from this age (years). */
  olderAdult: z.object({ fromAge: thresholdSchema, maxDaily: thresholdSchema }).optional(),
  severity: severitySchema,
  detail: z.string().min(1),
  citationIds: z.array(z.string().min(1)).min(1),
});
export type DoseLimit = z.infer<typeof doseLimitSchema>;

export const crossReactivitySchema = z.object({
  id: z.string().regex(/^allergy-[a-z0-9-]+$/),
  allergyClass: drugClassSchema,
  drugClass: drugClassSchema,
  /** `none`: no alert (cross-reactivity not established); `low`: alert only for a high-criticality allergy. */
  risk: z.enum(['none', 'low']),
  severity: severitySchema,
  detail: z.string().min(1),
  alternative: z.string().optional(),
  citationIds: z.array(z.string().min(1)).min(1),
});
export type CrossReactivity = z.infer<typeof crossReactivitySchema>;

/** A drug to avoid from an age on (AGS Beers Criteria 2023 "avoid"). */
export const olderAdultRuleSchema = z.object({
  id: z.string().regex(/^beers-[a-z0-9-]+$/),
  drug: drugSelectorSchema,
  fromAge: thresholdSchema,
  severity: severitySchema,
  title: z.string().min(1),
  detail: z.string().min(1),
  alternative: z.string().optional(),
  citationIds: z.array(z.string().min(1)).min(1),
});
export type OlderAdultRule = z.infer<typeof olderAdultRuleSchema>;

/** A potassium-raising drug when the newest potassium (within the look-back) is above a limit. */
export const hyperkalemiaRuleSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+-hyperkalemia$/),
  drug: drugSelectorSchema,
  above: thresholdSchema,
  lookBack: safetyLookBackSchema,
  severity: severitySchema,
  contraindicated: z.boolean(),
  title: z.string().min(1),
  detail: z.string().min(1),
  citationIds: z.array(z.string().min(1)).min(1),
});
export type HyperkalemiaRule = z.infer<typeof hyperkalemiaRuleSchema>;
