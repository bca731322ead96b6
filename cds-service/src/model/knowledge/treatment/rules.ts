/**
 * Recommendation rules as data: what each rule checks, the issuer's own class and level of
 * evidence (verbatim; a level is left out where it could not be confirmed), the priority it maps
 * to, and every threshold with its citation. The logic that reads these lives in
 * model/recommendations/, one file per guideline.
 */
import { z } from 'zod';
import { recommendationRuleSchema, type RecommendationRule, type Threshold } from './schema';

const t = (value: number, unit: string, citationId: string): Threshold => ({ value, unit, citationId });
const CHOL = 'acc-aha-2018-cholesterol';
const AF = 'acc-aha-2023-af';
const KDIGO = 'kdigo-2024-ckd-treatment';
const HF = 'aha-acc-hfsa-2022-hf';
const HTN = 'aha-acc-2025-htn';
const CDC = 'cdc-2022-opioids';

const ACC_AHA = 'ACC/AHA';

const RAW: RecommendationRule[] = [
  // Lipids: 2018 AHA/ACC cholesterol guideline; KDIGO 2024 for CKD.
  {
    id: 'statin-secondary-prevention',
    domain: 'lipids',
    kind: 'start',
    summary: 'Clinical ASCVD, age 75 or younger: high-intensity statin.',
    strength: { scheme: ACC_AHA, class: 'I', level: 'A', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [CHOL],
    thresholds: { maxAge: t(75, 'a', CHOL) },
    therapyKey: 'statin',
  },
  {
    id: 'statin-ldl-190',
    domain: 'lipids',
    kind: 'start',
    summary: 'LDL-C 190 mg/dL or higher, age 20-75: maximally tolerated (high-intensity) statin.',
    strength: { scheme: ACC_AHA, class: 'I', level: 'B-R', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [CHOL],
    thresholds: { ldl: t(190, 'mg/dL', CHOL), minAge: t(20, 'a', CHOL), maxAge: t(75, 'a', CHOL) },
    therapyKey: 'statin',
  },
  {
    id: 'statin-diabetes-40-75',
    domain: 'lipids',
    kind: 'start',
    summary: 'Diabetes, age 40-75: moderate-intensity statin regardless of estimated risk.',
    strength: { scheme: ACC_AHA, class: 'I', level: 'A', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [CHOL, 'ada-soc-2025-cvd'],
    thresholds: { minAge: t(40, 'a', CHOL), maxAge: t(75, 'a', CHOL) },
    therapyKey: 'statin',
  },
  {
    id: 'statin-diabetes-high-risk',
    domain: 'lipids',
    kind: 'start',
    summary:
      'Diabetes, age 40-75, with 10-year ASCVD risk at or above the statin threshold or multiple risk factors: high-intensity statin is reasonable.',
    strength: { scheme: ACC_AHA, class: 'IIa', level: 'B-R', text: 'Moderate recommendation' },
    priority: 'moderate',
    citationIds: [CHOL],
    thresholds: {
      minAge: t(40, 'a', CHOL),
      maxAge: t(75, 'a', CHOL),
      risk: t(0.075, '1', CHOL),
      riskFactors: t(2, '{count}', CHOL),
    },
    therapyKey: 'statin',
  },
  {
    id: 'statin-primary-prevention',
    domain: 'lipids',
    kind: 'start',
    summary:
      'Age 40-75, LDL-C 70-189 mg/dL, no diabetes, 10-year ASCVD risk 7.5% or more: moderate-intensity statin (high intensity at 20% or more).',
    strength: { scheme: ACC_AHA, class: 'I', level: 'A', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [CHOL],
    thresholds: {
      minAge: t(40, 'a', CHOL),
      maxAge: t(75, 'a', CHOL),
      ldlMin: t(70, 'mg/dL', CHOL),
      ldlMax: t(189, 'mg/dL', CHOL),
      risk: t(0.075, '1', CHOL),
      highRisk: t(0.2, '1', CHOL),
    },
    therapyKey: 'statin',
  },
  {
    id: 'statin-intensify',
    domain: 'lipids',
    kind: 'intensify',
    summary:
      'On a low- or moderate-intensity statin where high intensity is indicated: increase the intensity.',
    strength: {
      scheme: ACC_AHA,
      class: 'I',
      level: 'A',
      text: 'Strong recommendation (the indicating rule sets the class)',
    },
    priority: 'strong',
    citationIds: [CHOL],
    thresholds: {},
    therapyKey: 'statin',
  },
  {
    id: 'statin-ckd-50',
    domain: 'lipids',
    kind: 'start',
    summary: 'Age 50 or older with eGFR below 60, not on dialysis: statin.',
    strength: { scheme: 'KDIGO', class: '1A', text: 'Strong recommendation, high-quality evidence' },
    priority: 'strong',
    citationIds: [KDIGO],
    thresholds: { minAge: t(50, 'a', KDIGO), egfr: t(60, 'mL/min/{1.73_m2}', KDIGO) },
    therapyKey: 'statin',
  },

  // Atrial fibrillation: 2023 ACC/AHA/ACCP/HRS.
  {
    id: 'af-anticoagulation',
    domain: 'af',
    kind: 'start',
    summary:
      'AF with CHA2DS2-VASc 2 or more (men) or 3 or more (women): oral anticoagulation, a DOAC in preference to warfarin unless a mechanical valve or moderate-severe mitral stenosis.',
    strength: { scheme: 'ACC/AHA/ACCP/HRS', class: '1', level: 'A', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [AF, 'fda-label-apixaban'],
    thresholds: { scoreMen: t(2, '{score}', AF), scoreWomen: t(3, '{score}', AF) },
    therapyKey: 'oral-anticoagulant',
  },
  {
    id: 'af-aspirin-alone',
    domain: 'af',
    kind: 'avoid',
    summary:
      'AF at risk of stroke treated with aspirin (alone or with clopidogrel) instead of anticoagulation: harmful.',
    strength: { scheme: 'ACC/AHA/ACCP/HRS', class: '3: Harm', text: 'Risk exceeds benefit' },
    priority: 'strong',
    citationIds: [AF],
    thresholds: { scoreMen: t(2, '{score}', AF), scoreWomen: t(3, '{score}', AF) },
  },
  {
    id: 'af-apixaban-dose',
    domain: 'af',
    kind: 'monitor',
    summary:
      'Apixaban in AF: 2.5 mg twice daily when 2 of age 80+, weight 60 kg or less, creatinine 1.5 mg/dL or more; otherwise 5 mg.',
    strength: {
      scheme: 'FDA label',
      class: 'Dosage and Administration',
      text: 'Dose per the FDA-approved label',
    },
    priority: 'moderate',
    citationIds: ['fda-label-apixaban', AF],
    thresholds: {
      age: t(80, 'a', 'fda-label-apixaban'),
      weight: t(60, 'kg', 'fda-label-apixaban'),
      creatinine: t(1.5, 'mg/dL', 'fda-label-apixaban'),
      criteria: t(2, '{count}', 'fda-label-apixaban'),
      reducedDailyMg: t(5, 'mg/d', 'fda-label-apixaban'),
      standardDailyMg: t(10, 'mg/d', 'fda-label-apixaban'),
    },
  },
  {
    id: 'af-rivaroxaban-dose',
    domain: 'af',
    kind: 'monitor',
    summary: 'Rivaroxaban in AF: 15 mg daily when CrCl is 50 mL/min or less, 20 mg daily otherwise.',
    strength: {
      scheme: 'FDA label',
      class: 'Dosage and Administration',
      text: 'Dose per the FDA-approved label',
    },
    priority: 'moderate',
    citationIds: ['fda-label-rivaroxaban', AF],
    thresholds: {
      crcl: t(50, 'mL/min', 'fda-label-rivaroxaban'),
      reducedDailyMg: t(15, 'mg/d', 'fda-label-rivaroxaban'),
      standardDailyMg: t(20, 'mg/d', 'fda-label-rivaroxaban'),
    },
  },

  // CKD: KDIGO 2024.
  {
    id: 'ckd-raasi-albuminuria',
    domain: 'ckd',
    kind: 'start',
    summary:
      'CKD with albuminuria: ACE inhibitor or ARB (diabetes with UACR 30 mg/g or more; without diabetes UACR 300 mg/g or more).',
    strength: { scheme: 'KDIGO', class: '1B', text: 'Strong recommendation, moderate-quality evidence' },
    priority: 'strong',
    citationIds: [KDIGO],
    thresholds: {
      uacrDiabetes: t(30, 'mg/g', KDIGO),
      uacrNoDiabetes: t(300, 'mg/g', KDIGO),
      potassium: t(5.5, 'mmol/L', KDIGO),
    },
    therapyKey: 'raas-inhibitor',
  },
  {
    id: 'ckd-sglt2i',
    domain: 'ckd',
    kind: 'start',
    summary:
      'CKD with eGFR 20 or more and type 2 diabetes, UACR 200 mg/g or more, or heart failure: SGLT2 inhibitor.',
    strength: { scheme: 'KDIGO', class: '1A', text: 'Strong recommendation, high-quality evidence' },
    priority: 'strong',
    citationIds: [KDIGO],
    thresholds: { egfrMin: t(20, 'mL/min/{1.73_m2}', KDIGO), uacr: t(200, 'mg/g', KDIGO) },
    therapyKey: 'sglt2i',
  },
  {
    id: 'uacr-testing',
    domain: 'ckd',
    kind: 'order-test',
    summary:
      'Diabetes, CKD or hypertension with no urine albumin-to-creatinine ratio in 12 months: order one.',
    strength: { scheme: 'ADA', class: 'B', text: 'At least annual UACR and eGFR in type 2 diabetes' },
    priority: 'moderate',
    citationIds: ['ada-soc-2025-ckd', KDIGO, HTN],
    thresholds: { months: t(12, 'mo', 'ada-soc-2025-ckd') },
  },

  // Type 2 diabetes: ADA Standards of Care 2025; FDA metformin labeling.
  {
    id: 't2d-a1c-above-goal',
    domain: 'diabetes',
    kind: 'intensify',
    summary: 'Type 2 diabetes with A1c at or above the 7% goal: intensify glucose-lowering therapy.',
    strength: { scheme: 'ADA', class: 'A', text: 'A1c goal below 7% for many nonpregnant adults' },
    priority: 'strong',
    citationIds: ['ada-soc-2025-glycemic-goals', 'ada-soc-2025-pharmacologic'],
    thresholds: {
      a1c: t(7, '%', 'ada-soc-2025-glycemic-goals'),
      // Less stringent goal for older adults with complications or hypoglycemia risk (ADA 2025 §6, §13).
      a1cLessStringent: t(8, '%', 'ada-soc-2025-older-adults'),
      olderAdultAge: t(65, 'a', 'ada-soc-2025-older-adults'),
      egfrComplication: t(30, 'mL/min/{1.73_m2}', 'ada-soc-2025-older-adults'),
    },
  },
  {
    id: 't2d-cardiorenal-protection',
    domain: 'diabetes',
    kind: 'start',
    summary:
      'Type 2 diabetes with ASCVD, heart failure or CKD: SGLT2 inhibitor (HF, CKD) or GLP-1 RA (ASCVD) with proven cardiovascular benefit, independent of A1c.',
    strength: { scheme: 'ADA', class: 'A', text: 'Evidence from well-conducted randomized trials' },
    priority: 'strong',
    citationIds: ['ada-soc-2025-pharmacologic'],
    thresholds: {},
  },
  {
    id: 'metformin-renal',
    domain: 'diabetes',
    kind: 'stop',
    summary: 'Metformin is contraindicated with eGFR below 30; not to be started with eGFR 30-45.',
    strength: { scheme: 'FDA label', class: 'Contraindication', text: 'FDA Drug Safety Communication 2016' },
    priority: 'strong',
    citationIds: ['fda-2016-metformin-renal', 'fda-label-metformin'],
    thresholds: {
      egfrContraindicated: t(30, 'mL/min/{1.73_m2}', 'fda-2016-metformin-renal'),
      egfrDoNotStart: t(45, 'mL/min/{1.73_m2}', 'fda-2016-metformin-renal'),
    },
  },
  {
    id: 'a1c-testing',
    domain: 'diabetes',
    kind: 'order-test',
    summary: 'Type 2 diabetes with no A1c in 6 months: order one (at least twice a year).',
    strength: { scheme: 'ADA', class: 'E', text: 'Expert consensus' },
    priority: 'moderate',
    citationIds: ['ada-soc-2025-glycemic-goals'],
    thresholds: { months: t(6, 'mo', 'ada-soc-2025-glycemic-goals') },
  },

  // HFrEF: 2022 AHA/ACC/HFSA four pillars.
  {
    id: 'hfref-arni',
    domain: 'hf',
    kind: 'start',
    summary:
      'HFrEF not on a renin-angiotensin inhibitor: ARNI (or ACE inhibitor/ARB where ARNI is not feasible).',
    strength: { scheme: 'AHA/ACC/HFSA', class: '1', level: 'A', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [HF, 'fda-label-sacubitril-valsartan'],
    thresholds: { potassium: t(5.5, 'mmol/L', KDIGO) },
    therapyKey: 'raas-inhibitor',
  },
  {
    id: 'hfref-arni-switch',
    domain: 'hf',
    kind: 'intensify',
    summary: 'HFrEF tolerating an ACE inhibitor or ARB: replace it with an ARNI.',
    strength: { scheme: 'AHA/ACC/HFSA', class: '1', level: 'B-R', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [HF, 'fda-label-sacubitril-valsartan'],
    thresholds: { washoutHours: t(36, 'h', 'fda-label-sacubitril-valsartan') },
  },
  {
    id: 'hfref-beta-blocker',
    domain: 'hf',
    kind: 'start',
    summary:
      'HFrEF not on an evidence-based beta-blocker (carvedilol, metoprolol succinate, bisoprolol): start one.',
    strength: { scheme: 'AHA/ACC/HFSA', class: '1', level: 'A', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [HF],
    thresholds: {},
  },
  {
    id: 'hfref-mra',
    domain: 'hf',
    kind: 'start',
    summary:
      'HFrEF not on an MRA, with eGFR above 30 and potassium below 5.0: start spironolactone or eplerenone.',
    strength: { scheme: 'AHA/ACC/HFSA', class: '1', level: 'A', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [HF, 'fda-label-spironolactone'],
    thresholds: { egfr: t(30, 'mL/min/{1.73_m2}', HF), potassium: t(5.0, 'mmol/L', HF) },
  },
  {
    id: 'hfref-sglt2i',
    domain: 'hf',
    kind: 'start',
    summary: 'HFrEF not on an SGLT2 inhibitor: start dapagliflozin or empagliflozin.',
    strength: { scheme: 'AHA/ACC/HFSA', class: '1', level: 'A', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [HF],
    thresholds: { egfrMin: t(20, 'mL/min/{1.73_m2}', KDIGO) },
    therapyKey: 'sglt2i',
  },

  // Hypertension: 2025 AHA/ACC (classes of recommendation as published; levels not restated here).
  {
    id: 'htn-start',
    domain: 'htn',
    kind: 'start',
    summary:
      'Average BP 140/90 or higher, or 130/80 or higher with clinical CVD, diabetes, CKD or PREVENT 10-year CVD risk 7.5% or more: start BP-lowering medication; stage 2 with two first-line agents, preferably a single-pill combination.',
    strength: { scheme: 'AHA/ACC', class: '1', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [HTN],
    thresholds: {
      sbpStage2: t(140, 'mm[Hg]', HTN),
      dbpStage2: t(90, 'mm[Hg]', HTN),
      sbpStage1: t(130, 'mm[Hg]', HTN),
      dbpStage1: t(80, 'mm[Hg]', HTN),
      preventRisk: t(0.075, '1', HTN),
    },
    therapyKey: 'antihypertensive',
  },
  {
    id: 'htn-intensify',
    domain: 'htn',
    kind: 'intensify',
    summary:
      'Treated hypertension above the target of below 130/80: intensify (increase dose or add a first-line agent of another class).',
    strength: { scheme: 'AHA/ACC', class: '1', text: 'Strong recommendation' },
    priority: 'strong',
    citationIds: [HTN],
    thresholds: { sbpTarget: t(130, 'mm[Hg]', HTN), dbpTarget: t(80, 'mm[Hg]', HTN) },
    therapyKey: 'antihypertensive',
  },

  // Opioids: CDC 2022 (recommendation category A/B and evidence type 1-4, verbatim).
  {
    id: 'opioid-high-dose',
    domain: 'opioids',
    kind: 'monitor',
    summary:
      'Total opioid dose 50 MME/day or more: reassess benefits and risks; 90 MME/day or more: carefully justify and consider tapering (Recommendations 4 and 5).',
    strength: { scheme: 'CDC', class: 'A', level: '3', text: 'Recommendation category A; evidence type 3' },
    priority: 'strong',
    citationIds: [CDC],
    thresholds: { mme: t(50, 'MME/d', CDC), mmeHigh: t(90, 'MME/d', CDC) },
  },
  {
    id: 'opioid-naloxone',
    domain: 'opioids',
    kind: 'start',
    summary:
      'Opioid therapy with a factor that raises overdose risk (50 MME/day or more, a benzodiazepine, opioid use disorder) and no naloxone: offer naloxone (Recommendation 8).',
    strength: { scheme: 'CDC', class: 'A', level: '4', text: 'Recommendation category A; evidence type 4' },
    priority: 'strong',
    citationIds: [CDC],
    thresholds: { mme: t(50, 'MME/d', CDC), minAge: t(18, 'a', CDC) },
  },
  {
    id: 'opioid-benzodiazepine',
    domain: 'opioids',
    kind: 'avoid',
    summary:
      'An opioid with a benzodiazepine: use particular caution, weigh tapering one (Recommendation 11; FDA boxed warning).',
    strength: { scheme: 'CDC', class: 'B', level: '3', text: 'Recommendation category B; evidence type 3' },
    priority: 'moderate',
    citationIds: [CDC, 'fda-2016-opioid-benzodiazepine'],
    thresholds: {},
  },
];

export const RECOMMENDATION_RULES: readonly RecommendationRule[] = Object.freeze(
  z.array(recommendationRuleSchema).parse(RAW),
);

const BY_ID = new Map(RECOMMENDATION_RULES.map((r) => [r.id, r]));

/** A rule by id; throws for an unknown id (a knowledge-base bug, caught by tests). */
export function rule(id: string): RecommendationRule {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown recommendation rule: ${id}`);
  return r;
}

/** A rule's threshold value by name; throws when the table lacks it. */
export function threshold(ruleId: string, name: string): number {
  const th = rule(ruleId).thresholds[name];
  if (!th) throw new Error(`rule ${ruleId} has no threshold ${name}`);
  return th.value;
}

/** A rule's look-back (a threshold in months) with the citation it comes from. */
export function lookBack(ruleId: string, name = 'months'): { months: number; citationIds: string[] } {
  const th = rule(ruleId).thresholds[name];
  if (!th || th.unit !== 'mo') throw new Error(`rule ${ruleId} has no look-back ${name} in months`);
  return { months: th.value, citationIds: [th.citationId] };
}
