/**
 * Which exclusions withhold a diagnosis card or an order-safety card, declared as data beside the
 * recommendation rules' declarations (treatment/rule-exclusions.ts), each with its source. Every
 * knowledge-base condition and every order-safety check type has a declaration (a test fails
 * otherwise); one that no exclusion may silence says why instead.
 *
 * Diagnoses in hospice, palliative or comfort care. Hypertension, diabetes and prediabetes,
 * hyperlipidemia, CKD and obesity are cards only for the long-term, risk-reducing care they lead
 * to; the eCQM measures for those conditions (blood-pressure control, diabetes glycemic status,
 * kidney health evaluation, BMI screening and follow-up, statin therapy) exclude patients with
 * hospice services or palliative care, and the rules that would act on them are withheld there
 * already. (Prediabetes has no measure of its own: it is withheld as the preventive screening it
 * is, which the eCQM preventive-care measures exclude in hospice alike.) Problems that cause
 * symptoms (heart failure, AF, coronary disease, anaemia, thyroid disease, hyponatraemia, COPD
 * and asthma, infection, gout, depression, anxiety, reflux) and can't-miss acute problems keep
 * their cards: comfort care treats symptoms.
 *
 * Order safety in hospice care. The AGS Beers Criteria 2023 apply "in all ambulatory, acute, and
 * institutionalized settings of care, except hospice and end-of-life care settings", and the
 * eCQM Use of High-Risk Medications in Older Adults excludes hospice and palliative care: a Beers
 * "avoid" for age is withheld there. Allergy, kidney-function, interaction, drug-condition,
 * duplicate-therapy, pregnancy and dose-limit checks rest on drug labels and protect the patient
 * in every care setting: nothing withholds them.
 */
import { SAFETY_TYPES, type SafetyAlert } from '@rationale/shared-types';
import { type RuleExclusion, type RuleExclusions, ruleExclusionsSchema } from './treatment/rule-exclusions';

const MEASURES = 'ecqm-2024-measures-hospice-palliative';
const HOSPICE = 'ecqm-hospice-palliative-exclusion';
const hospice = (...citationIds: string[]): RuleExclusions => ({
  exclusions: [{ exclusion: 'hospice', citationIds: [HOSPICE, ...citationIds] } satisfies RuleExclusion],
});
const SYMPTOMATIC =
  'Causes symptoms that comfort care treats: its card stays in hospice and palliative care.';
const ACUTE = "A can't-miss acute problem: its card stays in every care setting.";
const NO_SOURCE =
  'No source read for this project withholds it in hospice or palliative care: the card stays until one does.';

const DIAGNOSIS_RAW: Record<string, RuleExclusions> = {
  t2d: hospice(MEASURES),
  prediabetes: hospice(MEASURES),
  htn: hospice(MEASURES),
  hyperlipidemia: hospice(MEASURES),
  fh: hospice(MEASURES),
  ckd: hospice(MEASURES),
  obesity: hospice(MEASURES),
  // Heart failure, AF and coronary disease cause symptoms comfort care treats (breathlessness,
  // oedema, palpitations, angina) even where their disease-modifying therapy is withheld.
  hfref: { exclusions: [], noneBecause: SYMPTOMATIC },
  'heart-failure': { exclusions: [], noneBecause: SYMPTOMATIC },
  af: { exclusions: [], noneBecause: SYMPTOMATIC },
  cad: { exclusions: [], noneBecause: SYMPTOMATIC },
  gout: { exclusions: [], noneBecause: SYMPTOMATIC },
  'masld-fibrosis': { exclusions: [], noneBecause: NO_SOURCE },
  osteoporosis: { exclusions: [], noneBecause: NO_SOURCE },
  'anemia-iron-deficiency': { exclusions: [], noneBecause: SYMPTOMATIC },
  anemia: { exclusions: [], noneBecause: SYMPTOMATIC },
  hypothyroidism: { exclusions: [], noneBecause: SYMPTOMATIC },
  hyperthyroidism: { exclusions: [], noneBecause: SYMPTOMATIC },
  hyponatremia: { exclusions: [], noneBecause: SYMPTOMATIC },
  copd: { exclusions: [], noneBecause: SYMPTOMATIC },
  asthma: { exclusions: [], noneBecause: SYMPTOMATIC },
  'asthma-exacerbation': { exclusions: [], noneBecause: SYMPTOMATIC },
  uti: { exclusions: [], noneBecause: SYMPTOMATIC },
  depression: { exclusions: [], noneBecause: SYMPTOMATIC },
  anxiety: { exclusions: [], noneBecause: SYMPTOMATIC },
  gerd: { exclusions: [], noneBecause: SYMPTOMATIC },
  adhf: { exclusions: [], noneBecause: ACUTE },
  pneumonia: { exclusions: [], noneBecause: ACUTE },
  acs: { exclusions: [], noneBecause: ACUTE },
  pe: { exclusions: [], noneBecause: ACUTE },
  aki: { exclusions: [], noneBecause: ACUTE },
  hyperkalemia: { exclusions: [], noneBecause: ACUTE },
};

const LABEL_SAFETY =
  'Rests on the drug label (or the allergy record) and protects the patient in every care setting, hospice included.';

const SAFETY_RAW: Record<SafetyAlert['type'], RuleExclusions> = {
  'drug-allergy': { exclusions: [], noneBecause: LABEL_SAFETY },
  'drug-renal': { exclusions: [], noneBecause: LABEL_SAFETY },
  'drug-drug': { exclusions: [], noneBecause: LABEL_SAFETY },
  'drug-condition': { exclusions: [], noneBecause: LABEL_SAFETY },
  'duplicate-therapy': { exclusions: [], noneBecause: LABEL_SAFETY },
  pregnancy: { exclusions: [], noneBecause: LABEL_SAFETY },
  'dose-limit': { exclusions: [], noneBecause: LABEL_SAFETY },
  'older-adult': hospice('ags-2023-beers', MEASURES),
};

/** Exclusion declarations by knowledge-base condition id (diagnosis cards), validated at load. */
export const DIAGNOSIS_EXCLUSIONS: ReadonlyMap<string, RuleExclusions> = new Map(
  Object.entries(DIAGNOSIS_RAW).map(([id, decl]) => [id, ruleExclusionsSchema.parse(decl)]),
);

/** Exclusion declarations by order-safety check type, validated at load; one for every type. */
export const SAFETY_CHECK_EXCLUSIONS: ReadonlyMap<SafetyAlert['type'], RuleExclusions> = new Map(
  SAFETY_TYPES.map((type) => [type, ruleExclusionsSchema.parse(SAFETY_RAW[type])]),
);
