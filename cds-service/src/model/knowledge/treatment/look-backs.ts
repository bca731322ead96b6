/**
 * Look-backs as data (issue 13, "fresh data wins"): every lab or vital a recommendation rule reads,
 * how old it may be before the rule treats it as missing, and where that window comes from. A rule
 * reads a value only through recommendations/context.ts `readLab`, which refuses an analyte the
 * rule has not declared here; a value older than the window is set aside and reported on the
 * recommendation (`staleInputs`), so the card and the app say so.
 *
 * Windows: `months` where a source gives a monitoring interval (ADA: A1c at least twice a year,
 * UACR yearly; FDA 2016 metformin: eGFR at least annually); otherwise the model's recency setting
 * (`labRecencyMonths`, 24 by default, configurable per site), said so in `basis`. The potassium
 * window before a RAAS inhibitor or MRA is the model's: the sources ask for a current potassium
 * (and a recheck within weeks of starting) but name no look-back.
 *
 * `indication`: the value is what the rule acts on (an LDL of 190 or more, an elevated average BP).
 * Set aside, the rule does not fire, exactly as with no value at all; a test checks that.
 */
import { z } from 'zod';
import { lookBack, RECOMMENDATION_RULES } from './rules';

export const lookBackSchema = z.object({
  analyte: z.string().min(1),
  /** The analyte's name as shown: "potassium", "HbA1c". */
  label: z.string().min(1),
  /** The window in months; absent: the model's recency setting (labRecencyMonths). */
  months: z.number().positive().optional(),
  /** Why this window, in words (a convention says so). */
  basis: z.string().min(1),
  /** The source of the window; empty only when the window is the model's recency setting. */
  citationIds: z.array(z.string().min(1)),
  indication: z.boolean().optional(),
});
export type LookBack = z.infer<typeof lookBackSchema>;

const SETTING = "the model's recency setting (labRecencyMonths, 24 months by default; configurable per site)";

const setting = (analyte: string, label: string, indication = false): LookBack => ({
  analyte,
  label,
  basis: SETTING,
  citationIds: [],
  ...(indication ? { indication } : {}),
});

const LVEF = setting('lvef', 'LVEF');
const LDL = setting('ldl', 'LDL-C');
const LDL_INDICATION = setting('ldl', 'LDL-C', true);
const UACR = setting('uacr', 'UACR');
const EGFR = setting('egfr', 'eGFR');
const EGFR_INDICATION = setting('egfr', 'eGFR', true);
const BP = [setting('sbp', 'systolic BP', true), setting('dbp', 'diastolic BP', true)];
const POTASSIUM: LookBack = {
  analyte: 'potassium',
  label: 'potassium',
  months: 12,
  basis:
    'A current potassium before a RAAS inhibitor or MRA (MRA only below 5.0 mmol/L; recheck within 2-4 weeks of starting); the sources name no look-back, 12 months is the model convention.',
  citationIds: ['kdigo-2024-ckd-treatment', 'aha-acc-hfsa-2022-hf'],
};
// Apixaban dose-reduction criteria (FDA label): current weight and serum creatinine.
const APIXABAN: LookBack[] = [
  {
    analyte: 'weight',
    label: 'weight',
    months: 12,
    basis: 'Apixaban dose-reduction criteria need a current weight; 12 months is the model convention.',
    citationIds: ['fda-label-apixaban'],
  },
  {
    analyte: 'creatinine',
    label: 'creatinine',
    months: 12,
    basis:
      'Apixaban dose-reduction criteria need a current serum creatinine; 12 months is the model convention.',
    citationIds: ['fda-label-apixaban'],
  },
];
/** A look-back the rule table already states as the rule's `months` threshold, with its source. */
const fromRule = (ruleId: string, analyte: string, label: string, basis: string): LookBack => {
  const { months, citationIds } = lookBack(ruleId);
  return { analyte, label, months, basis, citationIds };
};
// The dose check acts only with every criterion known: a stale weight or creatinine withholds it.
const APIXABAN_DOSE = APIXABAN.map((l) => ({ ...l, indication: true }));
const A1C_6 = fromRule(
  'a1c-testing',
  'a1c',
  'HbA1c',
  'ADA: A1c at least twice a year in people meeting their goals, quarterly otherwise.',
);

const RAW: Record<string, LookBack[]> = {
  'statin-secondary-prevention': [LDL],
  'statin-ldl-190': [LDL_INDICATION],
  'statin-diabetes-40-75': [LDL, UACR],
  'statin-diabetes-high-risk': [LDL, UACR],
  'statin-primary-prevention': [LDL_INDICATION],
  'statin-intensify': [],
  'statin-ckd-50': [EGFR_INDICATION],
  'af-anticoagulation': APIXABAN,
  'af-aspirin-alone': [],
  'af-apixaban-dose': APIXABAN_DOSE,
  'af-rivaroxaban-dose': [],
  'ckd-raasi-albuminuria': [setting('uacr', 'UACR', true), POTASSIUM],
  'ckd-sglt2i': [EGFR_INDICATION, UACR],
  'uacr-testing': [
    fromRule('uacr-testing', 'uacr', 'UACR', 'ADA: urine albumin at least once a year in diabetes.'),
  ],
  'a1c-testing': [A1C_6],
  't2d-a1c-above-goal': [{ ...A1C_6, indication: true }, EGFR],
  't2d-cardiorenal-protection': [EGFR],
  'metformin-renal': [EGFR_INDICATION],
  'hfref-arni': [LVEF, POTASSIUM],
  'hfref-arni-switch': [LVEF, POTASSIUM],
  'hfref-beta-blocker': [LVEF],
  'hfref-mra': [LVEF, EGFR, POTASSIUM],
  'hfref-sglt2i': [LVEF, EGFR],
  'htn-start': BP,
  'htn-intensify': BP,
  'opioid-high-dose': [],
  'opioid-naloxone': [],
  'opioid-benzodiazepine': [],
};

/** Every rule's declared look-backs, validated: each rule in the table has a declaration (maybe empty). */
export const RULE_LOOK_BACKS: Readonly<Record<string, readonly LookBack[]>> = Object.freeze(
  Object.fromEntries(
    RECOMMENDATION_RULES.map((r) => {
      const declared = RAW[r.id];
      if (!declared) throw new Error(`rule ${r.id} declares no look-backs (an empty list if it reads none)`);
      return [r.id, z.array(lookBackSchema).parse(declared)];
    }),
  ),
);

/** The look-back a rule declares for an analyte; throws when undeclared (a knowledge-base bug). */
export function lookBackOf(ruleId: string, analyte: string): LookBack {
  const found = RULE_LOOK_BACKS[ruleId]?.find((l) => l.analyte === analyte);
  if (!found) throw new Error(`rule ${ruleId} reads ${analyte} without declaring its look-back`);
  return found;
}
