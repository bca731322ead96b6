/**
 * Which exclusions apply to each recommendation rule, declared as data beside the rules
 * (rules.ts), each with the source that says so. Every rule has a declaration (a test fails
 * otherwise); a rule that no exclusion may silence (a stop for safety) says why instead.
 * Premises (when a rule may fire) are declared elsewhere; exclusions only withhold or weaken.
 */
import { z } from 'zod';
import { EXCLUSION_IDS, type ExclusionId } from '../../exclusions/table';

export const ruleExclusionSchema = z.object({
  exclusion: z.enum(EXCLUSION_IDS),
  citationIds: z.array(z.string().min(1)).min(1),
  /** age-band only: above this age the rule's recommendation is a shared decision (information). */
  aboveAge: z.number().optional(),
});
export type RuleExclusion = z.infer<typeof ruleExclusionSchema>;

export const ruleExclusionsSchema = z.object({
  exclusions: z.array(ruleExclusionSchema),
  /** Why no exclusion applies, when `exclusions` is empty. */
  noneBecause: z.string().optional(),
});
export type RuleExclusions = z.infer<typeof ruleExclusionsSchema>;

const CHOL = 'acc-aha-2018-cholesterol';
const KDIGO = 'kdigo-2024-ckd-treatment';
const HOSPICE = 'ecqm-hospice-palliative-exclusion';
const ADA = 'ada-soc-2025-glycemic-goals';
const x = (exclusion: ExclusionId, ...citationIds: string[]): RuleExclusion => ({ exclusion, citationIds });

const STATIN_START: RuleExclusion[] = [
  x('hospice', HOSPICE),
  x('pregnancy', CHOL, 'fda-label-atorvastatin'),
  x('lactation', 'fda-label-atorvastatin'),
  x('intolerance', CHOL, 'aaaai-acaai-2022-drug-allergy'),
  // KDIGO 2013 lipid guideline 2A: statins are not initiated in dialysis-dependent CKD.
  x('dialysis', 'kdigo-2013-lipids'),
];
const PRIMARY_PREVENTION_75: RuleExclusion = { exclusion: 'age-band', citationIds: [CHOL], aboveAge: 75 };
const ANTICOAGULANT: RuleExclusion[] = [
  x('hospice', HOSPICE),
  x('pregnancy', 'fda-label-warfarin', 'fda-label-apixaban'),
  x('major-bleeding', 'fda-label-apixaban', 'acc-aha-2023-af'),
  x('intolerance', 'aaaai-acaai-2022-drug-allergy'),
];
const RAASI: RuleExclusion[] = [
  x('hospice', HOSPICE),
  x('pregnancy', 'fda-label-lisinopril', 'fda-label-sacubitril-valsartan'),
  x('intolerance', 'aaaai-acaai-2022-drug-allergy', 'fda-label-lisinopril'),
];
const SGLT2I: RuleExclusion[] = [
  x('hospice', HOSPICE),
  x('pregnancy', 'fda-label-empagliflozin'),
  x('lactation', 'fda-label-empagliflozin'),
  x('intolerance', 'aaaai-acaai-2022-drug-allergy'),
  x('dialysis', KDIGO, 'fda-label-empagliflozin'),
];
const CDC_SCOPE: RuleExclusions = {
  // CDC 2022 applies to outpatient pain care; it excludes palliative and end-of-life care.
  exclusions: [x('hospice', 'cdc-2022-opioids')],
};

const RAW: Record<string, RuleExclusions> = {
  'statin-secondary-prevention': { exclusions: STATIN_START },
  'statin-ldl-190': { exclusions: [...STATIN_START, PRIMARY_PREVENTION_75] },
  'statin-diabetes-40-75': { exclusions: [...STATIN_START, PRIMARY_PREVENTION_75] },
  'statin-diabetes-high-risk': { exclusions: [...STATIN_START, PRIMARY_PREVENTION_75] },
  'statin-primary-prevention': { exclusions: [...STATIN_START, PRIMARY_PREVENTION_75] },
  'statin-intensify': { exclusions: STATIN_START },
  'statin-ckd-50': { exclusions: STATIN_START },
  'af-anticoagulation': { exclusions: ANTICOAGULANT },
  'af-aspirin-alone': { exclusions: [x('hospice', HOSPICE), x('major-bleeding', 'acc-aha-2023-af')] },
  'af-apixaban-dose': {
    exclusions: [],
    noneBecause: 'A dose correction for a drug already taken protects the patient in every care context.',
  },
  'af-rivaroxaban-dose': {
    exclusions: [],
    noneBecause: 'A dose correction for a drug already taken protects the patient in every care context.',
  },
  'ckd-raasi-albuminuria': { exclusions: [...RAASI, x('dialysis', KDIGO)] },
  'ckd-sglt2i': { exclusions: SGLT2I },
  'uacr-testing': { exclusions: [x('hospice', HOSPICE), x('dialysis', KDIGO)] },
  't2d-a1c-above-goal': {
    // ADA 2025 section 13: glycemic goals are relaxed near the end of life; section 15: pregnancy has its own goals.
    exclusions: [x('hospice', HOSPICE, ADA), x('pregnancy', ADA)],
  },
  't2d-cardiorenal-protection': { exclusions: SGLT2I },
  'metformin-renal': {
    exclusions: [],
    noneBecause: 'Stopping metformin below eGFR 30 is a label contraindication in every care context.',
  },
  'a1c-testing': { exclusions: [x('hospice', HOSPICE, ADA)] },
  'hfref-arni': { exclusions: [...RAASI, x('dialysis', 'aha-acc-hfsa-2022-hf')] },
  'hfref-arni-switch': { exclusions: [...RAASI, x('dialysis', 'aha-acc-hfsa-2022-hf')] },
  'hfref-beta-blocker': {
    exclusions: [x('hospice', HOSPICE), x('intolerance', 'aaaai-acaai-2022-drug-allergy')],
  },
  'hfref-mra': {
    exclusions: [
      x('hospice', HOSPICE),
      x('pregnancy', 'fda-label-spironolactone'),
      x('intolerance', 'aaaai-acaai-2022-drug-allergy'),
      x('dialysis', 'aha-acc-hfsa-2022-hf', 'fda-label-spironolactone'),
    ],
  },
  'hfref-sglt2i': { exclusions: SGLT2I },
  'htn-start': {
    exclusions: [
      x('hospice', HOSPICE),
      x('pregnancy', 'aha-acc-2025-htn', 'fda-label-lisinopril'),
      x('intolerance', 'aaaai-acaai-2022-drug-allergy'),
    ],
  },
  'htn-intensify': {
    exclusions: [
      x('hospice', HOSPICE),
      x('pregnancy', 'aha-acc-2025-htn', 'fda-label-lisinopril'),
      x('intolerance', 'aaaai-acaai-2022-drug-allergy'),
    ],
  },
  'opioid-high-dose': CDC_SCOPE,
  'opioid-naloxone': CDC_SCOPE,
  'opioid-benzodiazepine': CDC_SCOPE,
};

/** Exclusion declarations by rule id, validated at load. */
export const RULE_EXCLUSIONS: ReadonlyMap<string, RuleExclusions> = new Map(
  Object.entries(RAW).map(([id, decl]) => [id, ruleExclusionsSchema.parse(decl)]),
);
