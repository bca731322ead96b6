/**
 * Urgency as data (DESIGN.md §3a, issue 19): every diagnostic condition and every recommendation
 * rule carries an urgency class with the source that makes it so. Cards fill their budget in
 * class order: can't-miss acute problems, then order safety, then strong chronic gaps, then
 * screening. Validated when this module loads: an unknown class, an uncited entry or a condition
 * or rule without a class fails the build, not a request.
 */
import type { Urgency, UrgencyClass } from '@rationale/shared-types';
import { URGENCY_CLASSES } from '@rationale/shared-types';
import { CONDITIONS_BY_ID } from './conditions';
import { CITATIONS } from './evidence';
import { RECOMMENDATION_RULES } from './treatment/rules';

export { ACUTE_WINDOW_HOURS } from './acute-window';

/** Rank of a class in card order: lower first. */
export const URGENCY_RANK: Readonly<Record<UrgencyClass, number>> = Object.freeze(
  Object.fromEntries(URGENCY_CLASSES.map((c, i) => [c, i])) as Record<UrgencyClass, number>,
);

const u = (cls: UrgencyClass, basis: string, ...citationIds: string[]): Urgency => ({
  class: cls,
  basis,
  citationIds,
});

/** Conditions: acute, time-critical diagnoses are can't-miss; chronic ones are care gaps or screening. */
export const CONDITION_URGENCY: Readonly<Record<string, Urgency>> = Object.freeze({
  adhf: u(
    'cant-miss',
    'Acute heart failure needs urgent diagnostic work-up and treatment; natriuretic peptides below 100 (BNP) / 300 pg/mL (NT-proBNP) make it unlikely',
    'mcdonagh-2021-esc-hf',
    'heidenreich-2022-hf',
  ),
  sepsis: u(
    'cant-miss',
    'Suspected infection with qSOFA ≥ 2 identifies patients at higher risk of death; consider sepsis and organ dysfunction now',
    'singer-2016-sepsis-3',
    'seymour-2016-qsofa',
  ),
  pneumonia: u(
    'cant-miss',
    'Pneumonia is confirmed by chest imaging; severity decides the site of care',
    'metlay-2019-ats-idsa-cap',
    'metlay-1997-pneumonia-exam',
  ),
  acs: u(
    'cant-miss',
    'Acute chest pain: ECG within 10 minutes and high-sensitivity troponin to exclude acute coronary syndrome',
    'gulati-2021-chest-pain',
    'thygesen-2018-udmi',
  ),
  pe: u(
    'cant-miss',
    'Pulmonary embolism is time-critical; D-dimer or imaging settles it',
    'stein-2004-d-dimer',
  ),
  aki: u(
    'cant-miss',
    'Acute kidney injury: stop nephrotoxic agents where possible and find the cause',
    'kdigo-2012-aki',
  ),
  hyperkalemia: u(
    'cant-miss',
    'Potassium ≥ 6.0 mmol/L is severe hyperkalemia: ECG and urgent treatment',
    'kdigo-2020-potassium',
  ),
  hyponatremia: u(
    'chronic-gap',
    'Hyponatremia needs its cause found; profound (< 125 mmol/L) needs urgent care',
    'spasovski-2014-hyponatraemia',
  ),
  'asthma-exacerbation': u(
    'chronic-gap',
    'Exacerbation: assess severity and step up treatment',
    'gina-2024-asthma',
  ),
  uti: u('chronic-gap', 'Urinary infection: treat per local guidance', 'bent-2002-uti'),
  hfref: u('chronic-gap', 'HFrEF: four-pillar therapy reduces mortality', 'heidenreich-2022-hf'),
  af: u('chronic-gap', 'AF: stroke prevention by CHA2DS2-VASc', 'joglar-2023-af-diagnosis'),
  'heart-failure': u(
    'chronic-gap',
    'Heart failure: echocardiography types it and guides therapy',
    'heidenreich-2022-hf',
  ),
  cad: u(
    'chronic-gap',
    'Coronary disease: secondary prevention (statin, antiplatelet)',
    'gulati-2021-chest-pain',
  ),
  asthma: u('chronic-gap', 'Asthma: controller therapy by symptom control and risk', 'gina-2024-asthma'),
  gout: u('chronic-gap', 'Gout: urate-lowering therapy to target', 'acr-2020-gout'),
  osteoporosis: u('chronic-gap', 'Osteoporosis: fracture-risk treatment', 'bhof-2022-osteoporosis'),
  ckd: u('chronic-gap', 'CKD: staging guides kidney and heart protection', 'kdigo-2024-ckd'),
  t2d: u('chronic-gap', 'Diabetes: treatment and complication screening', 'ada-soc-2025'),
  fh: u(
    'chronic-gap',
    'Familial hypercholesterolemia: high-intensity statin and family screening',
    'nordestgaard-2013-fh',
  ),
  htn: u('chronic-gap', 'Hypertension: treat to target to prevent CVD', 'whelton-2017-acc-aha-htn'),
  hyperlipidemia: u(
    'chronic-gap',
    'Hyperlipidemia: risk-based statin therapy',
    'grundy-2018-cholesterol-diagnosis',
  ),
  'anemia-iron-deficiency': u(
    'chronic-gap',
    'Iron deficiency needs its source found',
    'ko-2020-aga-iron-deficiency',
  ),
  anemia: u('chronic-gap', 'Anemia needs its cause found', 'who-2011-anaemia'),
  hypothyroidism: u(
    'chronic-gap',
    'Overt hypothyroidism: replacement therapy',
    'jonklaas-2014-ata-hypothyroidism',
  ),
  hyperthyroidism: u('chronic-gap', 'Hyperthyroidism: cause and treatment', 'ross-2016-ata-hyperthyroidism'),
  'masld-fibrosis': u(
    'chronic-gap',
    'Advanced fibrosis risk: elastography or hepatology',
    'rinella-2023-aasld-masld',
  ),
  copd: u(
    'chronic-gap',
    'COPD: spirometry confirms; treatment by symptoms and exacerbations',
    'gold-2024-copd',
  ),
  depression: u(
    'screening',
    'Depression screening: a positive PHQ-9 needs a clinical interview',
    'kroenke-2001-phq9',
  ),
  anxiety: u(
    'screening',
    'Anxiety screening: a positive GAD-7 needs a clinical interview',
    'spitzer-2006-gad7',
  ),
  gerd: u(
    'screening',
    'Reflux: a clinical diagnosis; alarm features need endoscopy',
    'vakil-2006-montreal-gerd',
  ),
  prediabetes: u('screening', 'Prediabetes: lifestyle programme and yearly testing', 'ada-soc-2025'),
  obesity: u(
    'screening',
    'Obesity: BMI class on the problem list guides treatment',
    'cdc-adult-bmi-categories',
  ),
});

/** Rules: strong chronic gaps, or screening (testing) rules. Order-safety alerts are their own class. */
export const RULE_URGENCY: Readonly<Record<string, Urgency>> = Object.freeze({
  'statin-secondary-prevention': u(
    'chronic-gap',
    'Secondary prevention statin (class I)',
    'acc-aha-2018-cholesterol',
  ),
  'statin-ldl-190': u('chronic-gap', 'LDL-C ≥ 190 mg/dL: statin (class I)', 'acc-aha-2018-cholesterol'),
  'statin-diabetes-40-75': u('chronic-gap', 'Diabetes 40-75: statin (class I)', 'acc-aha-2018-cholesterol'),
  'statin-diabetes-high-risk': u(
    'chronic-gap',
    'Diabetes with risk factors: high-intensity statin',
    'acc-aha-2018-cholesterol',
  ),
  'statin-primary-prevention': u(
    'chronic-gap',
    'Primary prevention by 10-year risk (class I)',
    'acc-aha-2018-cholesterol',
  ),
  'statin-intensify': u('chronic-gap', 'Statin intensity below the indication', 'acc-aha-2018-cholesterol'),
  'statin-ckd-50': u('chronic-gap', 'CKD age ≥ 50: statin (KDIGO 1A)', 'kdigo-2024-ckd-treatment'),
  'af-anticoagulation': u('chronic-gap', 'AF stroke prevention (class I)', 'acc-aha-2023-af'),
  'af-aspirin-alone': u('chronic-gap', 'Aspirin alone does not prevent AF stroke', 'acc-aha-2023-af'),
  'af-apixaban-dose': u('chronic-gap', 'DOAC dose per label criteria', 'acc-aha-2023-af'),
  'af-rivaroxaban-dose': u('chronic-gap', 'DOAC dose per kidney function', 'acc-aha-2023-af'),
  'ckd-raasi-albuminuria': u(
    'chronic-gap',
    'Albuminuric CKD: RAS inhibition (KDIGO 1B)',
    'kdigo-2024-ckd-treatment',
  ),
  'ckd-sglt2i': u('chronic-gap', 'CKD: SGLT2 inhibitor (KDIGO 1A)', 'kdigo-2024-ckd-treatment'),
  'uacr-testing': u(
    'screening',
    'Albuminuria testing in diabetes, hypertension or CKD',
    'kdigo-2024-ckd-treatment',
  ),
  't2d-a1c-above-goal': u('chronic-gap', 'A1c above the individualized goal', 'ada-soc-2025-glycemic-goals'),
  't2d-cardiorenal-protection': u(
    'chronic-gap',
    'Cardiorenal protection in diabetes',
    'ada-soc-2025-pharmacologic',
  ),
  'metformin-renal': u('chronic-gap', 'Metformin dose by eGFR', 'fda-2016-metformin-renal'),
  'a1c-testing': u('screening', 'A1c testing in diabetes', 'ada-soc-2025-glycemic-goals'),
  'hfref-arni': u('chronic-gap', 'HFrEF pillar: ARNI (class 1)', 'aha-acc-hfsa-2022-hf'),
  'hfref-arni-switch': u('chronic-gap', 'HFrEF: ACE inhibitor/ARB to ARNI (class 1)', 'aha-acc-hfsa-2022-hf'),
  'hfref-beta-blocker': u('chronic-gap', 'HFrEF pillar: beta-blocker (class 1)', 'aha-acc-hfsa-2022-hf'),
  'hfref-mra': u('chronic-gap', 'HFrEF pillar: MRA (class 1)', 'aha-acc-hfsa-2022-hf'),
  'hfref-sglt2i': u('chronic-gap', 'HFrEF pillar: SGLT2 inhibitor (class 1)', 'aha-acc-hfsa-2022-hf'),
  'htn-start': u('chronic-gap', 'Untreated hypertension', 'aha-acc-2025-htn'),
  'htn-intensify': u('chronic-gap', 'BP above target on treatment', 'aha-acc-2025-htn'),
  'opioid-high-dose': u('chronic-gap', 'High opioid dose: reassess', 'cdc-2022-opioids'),
  'opioid-naloxone': u('chronic-gap', 'Overdose risk: offer naloxone', 'cdc-2022-opioids'),
  'opioid-benzodiazepine': u(
    'chronic-gap',
    'Opioid with a benzodiazepine',
    'cdc-2022-opioids',
    'fda-2016-opioid-benzodiazepine',
  ),
});

/** The urgency of a condition; unknown (site or LLM) conditions are screening-level. */
export function conditionUrgency(conditionId: string): Urgency | undefined {
  return CONDITION_URGENCY[conditionId];
}

/** The urgency of a rule. */
export function ruleUrgency(ruleId: string): Urgency | undefined {
  return RULE_URGENCY[ruleId];
}

/** Throws when a condition or rule has no class, or an entry cites an unknown source. */
export function validateUrgency(): void {
  const problems: string[] = [];
  for (const id of CONDITIONS_BY_ID.keys())
    if (!CONDITION_URGENCY[id]) problems.push(`condition ${id} has no urgency class`);
  for (const r of RECOMMENDATION_RULES)
    if (!RULE_URGENCY[r.id]) problems.push(`rule ${r.id} has no urgency class`);
  for (const [id, entry] of [...Object.entries(CONDITION_URGENCY), ...Object.entries(RULE_URGENCY)]) {
    if (entry.citationIds.length === 0) problems.push(`${id}: urgency without a source`);
    for (const c of entry.citationIds) if (!CITATIONS.has(c)) problems.push(`${id}: unknown citation ${c}`);
  }
  if (problems.length > 0) throw new Error(`Urgency table invalid: ${problems.join('; ')}`);
}

validateUrgency();
