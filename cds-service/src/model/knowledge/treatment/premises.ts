/**
 * Premises as data (DESIGN.md §3a, issue 19): what each recommendation rule requires before it may
 * fire, with the source that requires it. A rule whose premises are not all met does not fire; the
 * Assessment lists it in `unmetPremises` with the premise missing, so the app can show it. Kept
 * apart from the exclusions (which suppress a rule that would otherwise fire): a premise says
 * whether the rule's own indication is shown by the record at all.
 *
 * Kinds:
 * - `established`: one of the conditions is recorded, or suggested with its guideline diagnostic
 *   criteria met (CKD needs persistence over 3 months; heart failure a measured LVEF).
 * - `recent-lab`: the analyte was measured within `months` (the guideline's monitoring interval).
 * - `bp-readings`: at least `count` elevated readings (at or above the rule's BP threshold) on
 *   separate days within `months`; one office reading is not a blood-pressure level.
 * - `active-medication`: a medication of one of the classes is active.
 */
import { z } from 'zod';
import { RECOMMENDATION_RULES } from './rules';

export const premiseSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('established'),
    conditionIds: z.array(z.string().min(1)).min(1),
    label: z.string().min(1),
    citationIds: z.array(z.string().min(1)).min(1),
  }),
  z.object({
    kind: z.literal('recent-lab'),
    analyte: z.string().min(1),
    months: z.number().positive(),
    label: z.string().min(1),
    citationIds: z.array(z.string().min(1)).min(1),
  }),
  z.object({
    kind: z.literal('bp-readings'),
    count: z.number().int().min(2),
    months: z.number().positive(),
    /** The rule whose `sbp*`/`dbp*` thresholds define an elevated reading. */
    thresholds: z.object({ ruleId: z.string(), sbp: z.string(), dbp: z.string() }),
    label: z.string().min(1),
    citationIds: z.array(z.string().min(1)).min(1),
  }),
  z.object({
    kind: z.literal('active-medication'),
    classes: z.array(z.string().min(1)).min(1),
    label: z.string().min(1),
    citationIds: z.array(z.string().min(1)).min(1),
  }),
]);
export type PremiseSpec = z.infer<typeof premiseSpecSchema>;

const CHOL = 'acc-aha-2018-cholesterol';
const KDIGO = 'kdigo-2024-ckd';
const HF = 'aha-acc-hfsa-2022-hf';
const AF = 'acc-aha-2023-af';
const ADA = 'ada-soc-2025';

const established = (label: string, citationIds: string[], ...conditionIds: string[]): PremiseSpec => ({
  kind: 'established',
  conditionIds,
  label,
  citationIds,
});
const recentLab = (
  analyte: string,
  months: number,
  label: string,
  ...citationIds: string[]
): PremiseSpec => ({
  kind: 'recent-lab',
  analyte,
  months,
  label,
  citationIds,
});

const DIABETES = established('Diabetes established (recorded, or ADA criteria met twice)', [ADA], 't2d');
const CKD = established(
  'CKD established (recorded, or eGFR < 60 or UACR ≥ 30 persisting > 3 months)',
  [KDIGO],
  'ckd',
);
const HFREF = established('HFrEF established (recorded, or LVEF ≤ 40% measured)', [HF], 'hfref');
const ATRIAL_FIBRILLATION = established('AF established (recorded, or on an ECG)', [AF], 'af');
const HYPERTENSION = established(
  'Hypertension established (recorded, or the guideline BP criteria met)',
  ['aha-acc-2025-htn'],
  'htn',
);
const BP_READINGS = (ruleId: string, sbp: string, dbp: string): PremiseSpec => ({
  kind: 'bp-readings',
  count: 2,
  months: 12,
  thresholds: { ruleId, sbp, dbp },
  label: '2 or more elevated BP readings on separate days in the last 12 months',
  // ACC/AHA BP measurement: use the average of 2 or more readings obtained on 2 or more occasions.
  citationIds: ['whelton-2017-acc-aha-htn', 'aha-acc-2025-htn'],
});
const LDL = recentLab('ldl', 24, 'LDL-C measured in the last 24 months', CHOL);
const EGFR_12 = recentLab(
  'egfr',
  12,
  'eGFR measured in the last 12 months',
  'fda-2016-metformin-renal',
  KDIGO,
);
const OPIOID = {
  kind: 'active-medication',
  classes: ['opioid'],
  label: 'An opioid prescription is active',
  citationIds: ['cdc-2022-opioids'],
} satisfies PremiseSpec;

const RAW: Record<string, PremiseSpec[]> = {
  'statin-secondary-prevention': [established('Clinical ASCVD recorded', [CHOL], 'ascvd', 'stroke-tia')],
  'statin-ldl-190': [LDL],
  'statin-diabetes-40-75': [DIABETES],
  'statin-diabetes-high-risk': [DIABETES],
  'statin-primary-prevention': [LDL],
  'statin-intensify': [
    {
      kind: 'active-medication',
      classes: ['statin'],
      label: 'A statin is active (intensity below the indication)',
      citationIds: [CHOL],
    },
  ],
  'statin-ckd-50': [CKD],
  'af-anticoagulation': [ATRIAL_FIBRILLATION],
  'af-aspirin-alone': [ATRIAL_FIBRILLATION],
  // Dose rules read CrCl (Cockcroft-Gault), which needs a creatinine; the rule checks that itself.
  'af-apixaban-dose': [ATRIAL_FIBRILLATION],
  'af-rivaroxaban-dose': [ATRIAL_FIBRILLATION],
  'ckd-raasi-albuminuria': [CKD, recentLab('uacr', 24, 'UACR measured in the last 24 months', KDIGO)],
  'ckd-sglt2i': [CKD, recentLab('egfr', 24, 'eGFR measured in the last 24 months', KDIGO)],
  'uacr-testing': [
    established(
      'Diabetes, hypertension or CKD established',
      [KDIGO, 'ada-soc-2025-ckd'],
      't2d',
      'htn',
      'ckd',
    ),
  ],
  't2d-a1c-above-goal': [
    DIABETES,
    // ADA: A1c at least twice a year; a goal is judged on a current value.
    recentLab('a1c', 6, 'HbA1c measured in the last 6 months', 'ada-soc-2025-glycemic-goals'),
  ],
  't2d-cardiorenal-protection': [DIABETES],
  'metformin-renal': [EGFR_12],
  'a1c-testing': [DIABETES],
  'hfref-arni': [HFREF],
  'hfref-arni-switch': [HFREF],
  'hfref-beta-blocker': [HFREF],
  'hfref-mra': [HFREF],
  'hfref-sglt2i': [HFREF],
  'htn-start': [HYPERTENSION, BP_READINGS('htn-start', 'sbpStage1', 'dbpStage1')],
  'htn-intensify': [HYPERTENSION, BP_READINGS('htn-intensify', 'sbpTarget', 'dbpTarget')],
  'opioid-high-dose': [OPIOID],
  'opioid-naloxone': [OPIOID],
  'opioid-benzodiazepine': [OPIOID],
};

/** Every rule's declared premises, validated: each rule in the table has at least one. */
export const RULE_PREMISES: Readonly<Record<string, readonly PremiseSpec[]>> = Object.freeze(
  Object.fromEntries(
    RECOMMENDATION_RULES.map((r) => {
      const specs = RAW[r.id];
      if (!specs || specs.length === 0) throw new Error(`rule ${r.id} declares no premises`);
      return [r.id, z.array(premiseSpecSchema).parse(specs)];
    }),
  ),
);
