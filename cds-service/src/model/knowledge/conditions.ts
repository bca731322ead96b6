/**
 * The diagnostic knowledge base: observables (what can be measured or asked), finding
 * definitions (how a finding is read from the facts), and conditions with priors, evidence
 * (likelihood ratios, each with its citation and basis), problem-list codes and guideline
 * criteria. Validated by knowledge/schema.ts when this module loads.
 */
import { CONTEXT_CONDITIONS } from './context-conditions';
import { DRUG_CLASSES, DRUGS } from './drugs/table';
import { CITATIONS } from './evidence';
import {
  ASSOCIATION_LR as A,
  DEFINITION_LR as D,
  PHENOTYPE_LR as P,
  validateKnowledgeBase,
  type FindingRule,
} from './schema';

const LOINC = 'http://loinc.org';
const SCT = 'http://snomed.info/sct';
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';

const lab = (id: string, label: string, code: string, display: string) => ({
  id,
  label,
  kind: 'lab' as const,
  code: { system: LOINC, code, display },
});
const ask = (id: string, label: string, code: string, display: string) => ({
  id,
  label,
  kind: 'question' as const,
  code: { system: SCT, code, display },
});

const OBSERVABLES = [
  lab('a1c', 'HbA1c', '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
  lab(
    'glucose-fasting',
    'Fasting plasma glucose',
    '1558-6',
    'Fasting glucose [Mass/volume] in Serum or Plasma',
  ),
  lab('glucose', 'Plasma glucose', '2345-7', 'Glucose [Mass/volume] in Serum or Plasma'),
  {
    id: 'bp',
    label: 'Blood pressure on two or more occasions',
    kind: 'vital' as const,
    code: { system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' },
  },
  lab('lipids', 'Lipid panel', '57698-3', 'Lipid panel with direct LDL - Serum or Plasma'),
  lab(
    'egfr',
    'eGFR (creatinine, CKD-EPI 2021)',
    '98979-8',
    'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)',
  ),
  lab('uacr', 'Urine albumin/creatinine ratio', '14959-1', 'Microalbumin/Creatinine [Mass Ratio] in Urine'),
  lab('creatinine', 'Serum creatinine (repeat)', '2160-0', 'Creatinine [Mass/volume] in Serum or Plasma'),
  {
    id: 'echo',
    label: 'Echocardiogram (LVEF)',
    kind: 'procedure' as const,
    code: { system: LOINC, code: '10230-1', display: 'Left ventricular Ejection fraction' },
  },
  {
    id: 'ecg',
    label: '12-lead ECG',
    kind: 'procedure' as const,
    code: { system: LOINC, code: '11524-6', display: 'EKG study' },
  },
  lab('bnp', 'BNP', '30934-4', 'Natriuretic peptide B [Mass/volume] in Serum or Plasma'),
  lab(
    'nt-probnp',
    'NT-proBNP',
    '33762-6',
    'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma',
  ),
  {
    id: 'bmi',
    label: 'Height and weight (BMI)',
    kind: 'vital' as const,
    code: { system: LOINC, code: '39156-5', display: 'Body mass index (BMI) [Ratio]' },
  },
  lab('hemoglobin', 'Hemoglobin', '718-7', 'Hemoglobin [Mass/volume] in Blood'),
  lab('ferritin', 'Ferritin', '2276-4', 'Ferritin [Mass/volume] in Serum or Plasma'),
  lab('mcv', 'MCV (complete blood count)', '787-2', 'MCV [Entitic volume] by Automated count'),
  lab('tsh', 'TSH', '3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma'),
  lab('free-t4', 'Free T4', '3024-7', 'Thyroxine (T4) free [Mass/volume] in Serum or Plasma'),
  lab('potassium', 'Potassium', '2823-3', 'Potassium [Moles/volume] in Serum or Plasma'),
  lab('sodium', 'Sodium', '2951-2', 'Sodium [Moles/volume] in Serum or Plasma'),
  lab(
    'fib-4',
    'AST, ALT and platelets (FIB-4)',
    '1920-8',
    'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
  ),
  lab(
    'troponin',
    'High-sensitivity troponin',
    '89579-7',
    'Troponin I.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method',
  ),
  lab('d-dimer', 'D-dimer', '48065-7', 'Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma'),
  {
    id: 'spirometry',
    label: 'Spirometry (post-bronchodilator FEV1/FVC)',
    kind: 'procedure' as const,
    code: { system: LOINC, code: '19926-5', display: 'FEV1/FVC' },
  },
  lab(
    'phq-9',
    'PHQ-9 questionnaire',
    '44261-6',
    'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
  ),
  lab(
    'gad-7',
    'GAD-7 questionnaire',
    '70274-6',
    'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
  ),
  { id: 'history', label: 'Problem list', kind: 'question' as const },
  {
    id: 'record',
    label: 'Medications, procedures and visit reasons on the record',
    kind: 'question' as const,
  },
  {
    id: 'smoking',
    label: 'Smoking status',
    kind: 'question' as const,
    code: { system: LOINC, code: '72166-2', display: 'Tobacco smoking status' },
  },
  ask('dyspnea', 'Ask about shortness of breath', '267036007', 'Dyspnea'),
  ask('orthopnea', 'Ask about orthopnea', '62744007', 'Orthopnea'),
  ask('pnd', 'Ask about paroxysmal nocturnal dyspnea', '55442000', 'Paroxysmal nocturnal dyspnea'),
  ask('edema', 'Examine for edema', '267038008', 'Edema'),
  ask('chest-pain', 'Ask about chest pain', '29857009', 'Chest pain'),
  ask('fatigue', 'Ask about fatigue', '84229001', 'Fatigue'),
  ask('fever', 'Measure temperature / ask about fever', '386661006', 'Fever'),
  ask('cough', 'Ask about cough', '49727002', 'Cough'),
  ask('wheezing', 'Auscultate for wheeze', '56018004', 'Wheezing'),
  ask('hemoptysis', 'Ask about hemoptysis', '66857006', 'Hemoptysis'),
  ask('dysuria', 'Ask about dysuria', '49650001', 'Dysuria'),
  ask('urinary-frequency', 'Ask about urinary frequency', '162116003', 'Frequency of micturition'),
  ask('heartburn', 'Ask about heartburn', '16331000', 'Heartburn'),
  ask('palpitations', 'Ask about palpitations', '80313002', 'Palpitations'),
  ask('depressed-mood', 'Ask about depressed mood', '366979004', 'Depressed mood'),
  ask('anhedonia', 'Ask about loss of interest', '28669007', 'Anhedonia'),
  ask('anxiety', 'Ask about anxiety', '48694002', 'Anxiety'),
];

const labRule = (
  analyte: string,
  op: '>=' | '>' | '<' | '<=',
  value: number,
  extra: Record<string, unknown> = {},
) => ({
  type: 'lab' as const,
  analyte,
  op,
  value,
  ...extra,
});
const symptom = (id: string, label: string) => ({
  code: `symptom:${id}`,
  label,
  observable: id,
  rule: { type: 'symptom' as const, symptom: id },
});

/** Record evidence (issue 14): medications, procedures, coded reasons and resolved conditions. */
const onRecord = (code: string, label: string, rule: FindingRule) => ({
  code,
  label,
  observable: 'record',
  rule,
});
const rx = (code: string, label: string, by: { ingredients?: string[]; classes?: string[] }) =>
  onRecord(code, label, {
    type: 'medication',
    ingredients: by.ingredients ?? [],
    classes: by.classes ?? [],
    active: false,
  });
const proc = (code: string, label: string, snomed: string[]) =>
  onRecord(code, label, { type: 'procedure', snomed });

/** Conditions whose coded reasons and resolved entries on the record count as evidence. */
const NAMED_CONDITIONS: ReadonlyArray<[string, string]> = [
  ['t2d', 'type 2 diabetes'],
  ['htn', 'hypertension'],
  ['hyperlipidemia', 'hyperlipidemia'],
  ['ckd', 'chronic kidney disease'],
  ['af', 'atrial fibrillation'],
  ['heart-failure', 'heart failure'],
  ['cad', 'coronary artery disease'],
  ['anemia', 'anemia'],
  ['copd', 'COPD'],
  ['asthma', 'asthma'],
  ['hypothyroidism', 'hypothyroidism'],
  ['depression', 'depression'],
  ['gout', 'gout'],
  ['osteoporosis', 'osteoporosis'],
];

function RECORD_FINDINGS() {
  return [
    rx('rx-metformin', 'Metformin prescribed', { ingredients: ['metformin'] }),
    rx('rx-insulin', 'Insulin prescribed', { classes: ['insulin'] }),
    rx('rx-oral-diabetes', 'Sulfonylurea, DPP-4 inhibitor or thiazolidinedione prescribed', {
      classes: ['sulfonylurea', 'dpp4i', 'thiazolidinedione'],
    }),
    rx('rx-glp1ra', 'GLP-1 receptor agonist prescribed', { classes: ['glp1ra'] }),
    rx('rx-sglt2i', 'SGLT2 inhibitor prescribed', { classes: ['sglt2i'] }),
    rx('rx-thiazide', 'Thiazide diuretic prescribed', { classes: ['thiazide'] }),
    rx('rx-beta-blocker', 'Beta-blocker prescribed', { classes: ['beta-blocker'] }),
    rx('rx-ccb-dhp', 'Dihydropyridine calcium-channel blocker prescribed', { classes: ['ccb-dhp'] }),
    rx('rx-acei-arb', 'ACE inhibitor or ARB prescribed', { classes: ['acei', 'arb'] }),
    rx('rx-statin', 'Statin prescribed', { classes: ['statin'] }),
    rx('rx-ezetimibe', 'Ezetimibe prescribed', { ingredients: ['ezetimibe'] }),
    rx('rx-oral-anticoagulant', 'Oral anticoagulant prescribed', { classes: ['oral-anticoagulant'] }),
    rx('rx-digoxin', 'Digoxin prescribed', { ingredients: ['digoxin'] }),
    rx('rx-rate-control-ccb', 'Verapamil or diltiazem prescribed', { classes: ['ccb-non-dhp'] }),
    rx('rx-antiarrhythmic', 'Antiarrhythmic prescribed', { classes: ['antiarrhythmic'] }),
    rx('rx-loop-diuretic', 'Loop diuretic prescribed', { classes: ['loop-diuretic'] }),
    rx('rx-arni', 'Sacubitril/valsartan prescribed', { classes: ['arni'] }),
    rx('rx-hf-beta-blocker', 'Carvedilol, bisoprolol or metoprolol succinate prescribed', {
      classes: ['beta-blocker-hfref'],
    }),
    rx('rx-mra', 'Mineralocorticoid receptor antagonist prescribed', { classes: ['mra'] }),
    rx('rx-nitrate', 'Nitrate prescribed (nitroglycerin, isosorbide)', { classes: ['nitrate'] }),
    rx('rx-p2y12', 'P2Y12 inhibitor prescribed', { classes: ['p2y12-inhibitor'] }),
    rx('rx-iron', 'Iron supplement prescribed', { classes: ['iron-supplement'] }),
    rx('rx-b12', 'Vitamin B12 prescribed', { classes: ['vitamin-b12'] }),
    rx('rx-lama', 'Long-acting muscarinic antagonist prescribed', { classes: ['lama'] }),
    rx('rx-saba', 'Short-acting beta-agonist inhaler prescribed', { classes: ['saba'] }),
    rx('rx-ics', 'Inhaled corticosteroid prescribed', { classes: ['inhaled-corticosteroid'] }),
    rx('rx-laba', 'Long-acting beta-agonist prescribed', { classes: ['laba'] }),
    rx('rx-thyroid-hormone', 'Thyroid hormone prescribed', { classes: ['thyroid-hormone'] }),
    rx('rx-antidepressant', 'Antidepressant prescribed', { classes: ['ssri', 'antidepressant'] }),
    rx('rx-urate-lowering', 'Allopurinol or febuxostat prescribed', {
      classes: ['xanthine-oxidase-inhibitor'],
    }),
    rx('rx-colchicine', 'Colchicine prescribed', { classes: ['colchicine'] }),
    rx('rx-bisphosphonate', 'Bisphosphonate prescribed', { classes: ['bisphosphonate'] }),
    // SNOMED CT procedure codes as Synthea and US EHRs record them.
    proc('proc-cardioversion', 'Electrical cardioversion', ['180325003']),
    proc('proc-cardiac-ablation', 'Catheter ablation of cardiac tissue', ['18286008']),
    proc('proc-echo', 'Transthoracic echocardiogram', ['433236007']),
    proc('proc-coronary-revascularization', 'Coronary revascularization (PCI or CABG)', [
      '415070008',
      '232717009',
    ]),
    proc('proc-pulmonary-rehab', 'Pulmonary rehabilitation', ['15081005']),
    proc('proc-dxa', 'Bone density scan', ['312681000']),
    onRecord('on-dialysis', 'Dialysis care', { type: 'recorded', conditionIds: ['esrd-dialysis'] }),
    ...NAMED_CONDITIONS.flatMap(([id, label]) => [
      onRecord(`reason:${id}`, `Visits or prescriptions coded for ${label}`, {
        type: 'reason',
        conditionIds: [id],
      }),
      onRecord(`history:${id}`, `Resolved ${label} on the record`, { type: 'history', conditionIds: [id] }),
    ]),
  ];
}

const FINDINGS = [
  {
    code: 'a1c-ge-6.5-twice',
    label: 'HbA1c ≥ 6.5% on two occasions',
    observable: 'a1c',
    rule: labRule('a1c', '>=', 6.5, { select: 'count', count: 2, window: 'all' }),
  },
  {
    code: 'a1c-ge-6.5',
    label: 'HbA1c ≥ 6.5%',
    observable: 'a1c',
    rule: labRule('a1c', '>=', 6.5, { select: 'count', window: 'all' }),
  },
  {
    code: 'a1c-5.7-6.4',
    label: 'HbA1c 5.7-6.4%',
    observable: 'a1c',
    rule: { type: 'lab-range' as const, analyte: 'a1c', min: 5.7, max: 6.5 },
  },
  {
    code: 'fpg-ge-126-twice',
    label: 'Fasting glucose ≥ 126 mg/dL twice',
    observable: 'glucose-fasting',
    rule: labRule('glucose-fasting', '>=', 126, { select: 'count', count: 2, window: 'all' }),
  },
  {
    code: 'fpg-ge-126',
    label: 'Fasting glucose ≥ 126 mg/dL',
    observable: 'glucose-fasting',
    rule: labRule('glucose-fasting', '>=', 126, { select: 'count', window: 'all' }),
  },
  {
    code: 'fpg-100-125',
    label: 'Fasting glucose 100-125 mg/dL',
    observable: 'glucose-fasting',
    rule: { type: 'lab-range' as const, analyte: 'glucose-fasting', min: 100, max: 126 },
  },
  {
    code: 'glucose-ge-200',
    label: 'Random glucose ≥ 200 mg/dL',
    observable: 'glucose',
    rule: labRule('glucose', '>=', 200, { select: 'count', window: 'all' }),
  },
  {
    code: 'bp-avg-stage-2',
    label: 'Average BP ≥ 140/90 mmHg on ≥ 2 occasions',
    observable: 'bp',
    rule: {
      type: 'derived' as const,
      code: 'bp-avg-stage-2',
      absentIf: ['bp-avg-normal', 'bp-avg-elevated', 'bp-avg-stage-1'],
    },
  },
  {
    code: 'ldl-ge-160',
    label: 'LDL cholesterol ≥ 160 mg/dL',
    observable: 'lipids',
    rule: labRule('ldl', '>=', 160, { select: 'count', window: 'all' }),
  },
  {
    code: 'tc-ge-240',
    label: 'Total cholesterol ≥ 240 mg/dL',
    observable: 'lipids',
    rule: labRule('total-cholesterol', '>=', 240, { select: 'count', window: 'all' }),
  },
  {
    code: 'ldl-ge-190',
    label: 'LDL cholesterol ≥ 190 mg/dL',
    observable: 'lipids',
    rule: labRule('ldl', '>=', 190, { select: 'count', window: 'all' }),
  },
  {
    code: 'egfr-lt-60-persistent',
    label: 'eGFR < 60 for > 3 months',
    observable: 'egfr',
    rule: {
      type: 'derived' as const,
      code: 'egfr-lt-60-persistent',
      absentIf: ['egfr-ge-60-latest'],
      threshold: { analyte: 'egfr', op: '<' as const, value: 60 },
    },
  },
  {
    code: 'egfr-lt-60',
    label: 'eGFR < 60 mL/min/1.73m² (not an acute drop)',
    observable: 'egfr',
    rule: {
      type: 'derived' as const,
      code: 'egfr-lt-60-steady',
      absentIf: ['egfr-ge-60-latest', 'egfr-acute-drop'],
      threshold: { analyte: 'egfr', op: '<' as const, value: 60 },
    },
  },
  {
    code: 'uacr-ge-30-persistent',
    label: 'UACR ≥ 30 mg/g for > 3 months',
    observable: 'uacr',
    rule: {
      type: 'derived' as const,
      code: 'uacr-ge-30-persistent',
      absentIf: ['uacr-lt-30-latest'],
      threshold: { analyte: 'uacr', op: '>=' as const, value: 30 },
    },
  },
  { code: 'uacr-ge-30', label: 'UACR ≥ 30 mg/g', observable: 'uacr', rule: labRule('uacr', '>=', 30) },
  {
    code: 'aki-creatinine-rise',
    label: 'Creatinine rise meeting KDIGO AKI criteria',
    observable: 'creatinine',
    rule: { type: 'derived' as const, code: 'aki-creatinine-rise', absentIf: ['creatinine-stable'] },
  },
  {
    code: 'lvef-le-40',
    label: 'LVEF ≤ 40%',
    observable: 'echo',
    rule: labRule('lvef', '<=', 40, { window: 'all' }),
  },
  {
    code: 'lvef-le-49',
    label: 'LVEF ≤ 49% (reduced or mildly reduced)',
    observable: 'echo',
    rule: labRule('lvef', '<=', 49, { window: 'all' }),
  },
  {
    code: 'ecg-af',
    label: 'Atrial fibrillation on ECG',
    observable: 'ecg',
    rule: { type: 'derived' as const, code: 'ecg-af', absentIf: [] },
  },
  { code: 'bnp-ge-100', label: 'BNP ≥ 100 pg/mL', observable: 'bnp', rule: labRule('bnp', '>=', 100) },
  {
    code: 'nt-probnp-ge-125',
    label: 'NT-proBNP ≥ 125 pg/mL',
    observable: 'nt-probnp',
    rule: labRule('nt-probnp', '>=', 125),
  },
  { code: 'bmi-ge-30', label: 'BMI ≥ 30 kg/m²', observable: 'bmi', rule: labRule('bmi', '>=', 30) },
  {
    code: 'hb-low',
    label: 'Hemoglobin below the WHO threshold (13 g/dL men, 12 g/dL women)',
    observable: 'hemoglobin',
    rule: labRule('hemoglobin', '<', 12, { female: 12, male: 13 }),
  },
  {
    code: 'ferritin-lt-15',
    label: 'Ferritin < 15 ng/mL',
    observable: 'ferritin',
    rule: { type: 'lab-range' as const, analyte: 'ferritin', min: 0, max: 15 },
  },
  {
    code: 'ferritin-15-25',
    label: 'Ferritin 15-25 ng/mL',
    observable: 'ferritin',
    rule: { type: 'lab-range' as const, analyte: 'ferritin', min: 15, max: 25 },
  },
  {
    code: 'ferritin-25-35',
    label: 'Ferritin 25-35 ng/mL',
    observable: 'ferritin',
    rule: { type: 'lab-range' as const, analyte: 'ferritin', min: 25, max: 35 },
  },
  {
    code: 'ferritin-35-45',
    label: 'Ferritin 35-45 ng/mL',
    observable: 'ferritin',
    rule: { type: 'lab-range' as const, analyte: 'ferritin', min: 35, max: 45 },
  },
  {
    code: 'ferritin-45-100',
    label: 'Ferritin 45-100 ng/mL',
    observable: 'ferritin',
    rule: { type: 'lab-range' as const, analyte: 'ferritin', min: 45, max: 100 },
  },
  {
    code: 'ferritin-ge-100',
    label: 'Ferritin ≥ 100 ng/mL',
    observable: 'ferritin',
    rule: { type: 'lab-range' as const, analyte: 'ferritin', min: 100, max: 1e9 },
  },
  {
    code: 'mcv-lt-80',
    label: 'MCV < 80 fL (microcytosis)',
    observable: 'mcv',
    rule: labRule('mcv', '<', 80),
  },
  { code: 'tsh-gt-4.5', label: 'TSH > 4.5 mIU/L', observable: 'tsh', rule: labRule('tsh', '>', 4.5) },
  { code: 'tsh-lt-0.4', label: 'TSH < 0.4 mIU/L', observable: 'tsh', rule: labRule('tsh', '<', 0.4) },
  {
    code: 'ft4-low',
    label: 'Free T4 < 0.8 ng/dL',
    observable: 'free-t4',
    rule: labRule('free-t4', '<', 0.8),
  },
  {
    code: 'ft4-high',
    label: 'Free T4 > 1.8 ng/dL',
    observable: 'free-t4',
    rule: labRule('free-t4', '>', 1.8),
  },
  {
    code: 'k-gt-5.0',
    label: 'Potassium > 5.0 mmol/L',
    observable: 'potassium',
    rule: labRule('potassium', '>', 5.0),
  },
  {
    code: 'na-lt-135',
    label: 'Sodium < 135 mmol/L',
    observable: 'sodium',
    rule: labRule('sodium', '<', 135),
  },
  {
    code: 'fib4-ge-2.67',
    label: 'FIB-4 ≥ 2.67',
    observable: 'fib-4',
    rule: { type: 'derived' as const, code: 'fib4-ge-2.67', absentIf: ['fib4-lt-1.30'] },
  },
  {
    code: 'fib4-lt-1.30',
    label: 'FIB-4 < 1.30',
    observable: 'fib-4',
    rule: { type: 'derived' as const, code: 'fib4-lt-1.30', absentIf: ['fib4-ge-2.67', 'fib4-1.30-2.67'] },
  },
  {
    code: 'troponin-elevated',
    label: 'Troponin above the 99th percentile upper reference limit',
    observable: 'troponin',
    rule: { type: 'derived' as const, code: 'troponin-elevated', absentIf: ['troponin-normal'] },
  },
  {
    code: 'd-dimer-elevated',
    label: 'D-dimer ≥ 500 ng/mL FEU',
    observable: 'd-dimer',
    rule: labRule('d-dimer', '>=', 500),
  },
  {
    code: 'fev1-fvc-lt-70',
    label: 'FEV1/FVC < 0.70',
    observable: 'spirometry',
    rule: labRule('fev1-fvc', '<', 70, { window: 'all' }),
  },
  { code: 'phq9-ge-10', label: 'PHQ-9 ≥ 10', observable: 'phq-9', rule: labRule('phq-9', '>=', 10) },
  { code: 'gad7-ge-10', label: 'GAD-7 ≥ 10', observable: 'gad-7', rule: labRule('gad-7', '>=', 10) },
  {
    code: 'history-heart-failure',
    label: 'Heart failure on the problem list',
    observable: 'history',
    rule: { type: 'recorded' as const, conditionIds: ['heart-failure', 'hfref'] },
  },
  {
    code: 'history-asthma',
    label: 'Asthma on the problem list',
    observable: 'history',
    rule: { type: 'recorded' as const, conditionIds: ['asthma'] },
  },
  {
    code: 'current-smoker',
    label: 'Current smoker',
    observable: 'smoking',
    rule: { type: 'smoker' as const },
  },
  ...RECORD_FINDINGS(),
  symptom('dyspnea', 'Dyspnea'),
  symptom('orthopnea', 'Orthopnea'),
  symptom('pnd', 'Paroxysmal nocturnal dyspnea'),
  symptom('edema', 'Edema'),
  symptom('chest-pain', 'Chest pain'),
  symptom('fatigue', 'Fatigue'),
  symptom('fever', 'Fever'),
  symptom('cough', 'Cough'),
  symptom('wheezing', 'Wheezing'),
  symptom('hemoptysis', 'Hemoptysis'),
  symptom('dysuria', 'Dysuria'),
  symptom('urinary-frequency', 'Urinary frequency'),
  symptom('heartburn', 'Heartburn'),
  symptom('palpitations', 'Palpitations'),
  symptom('depressed-mood', 'Depressed mood'),
  symptom('anhedonia', 'Anhedonia'),
  symptom('anxiety', 'Anxiety'),
];

type Basis = 'study' | 'definition' | 'association';
/** One evidence entry: finding, LR+, LR− (undefined = absence uninformative), basis, citation. */
const ev = (
  finding: string,
  lrPositive: number,
  lrNegative: number | undefined,
  basis: Basis,
  citationId: string,
  group?: string,
  note?: string,
) => ({
  finding,
  lrPositive,
  ...(lrNegative !== undefined ? { lrNegative } : {}),
  basis,
  citationId,
  ...(group ? { group } : {}),
  ...(note ? { note } : {}),
});
const ss = (
  finding: string,
  sensitivity: number,
  specificity: number,
  citationId: string,
  group?: string,
  note?: string,
) => ({
  finding,
  sensitivity,
  specificity,
  basis: 'study' as const,
  citationId,
  ...(group ? { group } : {}),
  ...(note ? { note } : {}),
});
type Confounder = [conditionIds: string[], lrPositive: number, note: string];
/** Record evidence (basis `phenotype`): an LR tier of PHENOTYPE_LR, lowered by each confounder on the record. */
const ph = (
  finding: string,
  lrPositive: number,
  citationId: string,
  group: string,
  confounders: Confounder[] = [],
  note?: string,
) => ({
  finding,
  lrPositive,
  basis: 'phenotype' as const,
  citationId,
  group,
  confounders: confounders.map(([conditionIds, lr, why]) => ({ conditionIds, lrPositive: lr, note: why })),
  ...(note ? { note } : {}),
});
const WRIGHT = 'wright-2011-problem-inference';
/** A visit or prescription coded for the condition, and a resolved entry of it (Wright 2011 used billing codes). */
const named = (id: string) => [
  ph(
    `reason:${id}`,
    P.specific,
    WRIGHT,
    'record-reason',
    [],
    'a clinician coded the condition as the reason',
  ),
  ph(
    `history:${id}`,
    P.typical,
    WRIGHT,
    'record-history',
    [],
    'the condition was on the record and marked resolved',
  ),
];
const sct = (code: string, display: string) => ({ system: SCT, code, display });
const icd = (code: string, display: string) => ({ system: ICD, code, display });

const CONDITIONS = [
  {
    id: 't2d',
    label: 'Type 2 diabetes',
    category: 'chronic',
    snomed: ['44054006', '73211009', '313436004', '368581000119106', '422034002', '1551000119108'],
    icd10: ['E11'],
    addCodes: [
      sct('44054006', 'Diabetes mellitus type 2'),
      icd('E11.9', 'Type 2 diabetes mellitus without complications'),
    ],
    prior: {
      value: 0.147,
      basis: 'study',
      citationId: 'cdc-nds-2023',
      note: '14.7% of US adults have diabetes (diagnosed or not)',
    },
    evidence: [
      ph('rx-metformin', P.specific, 'kho-2012-emerge-t2d', 'rx-first-line', [
        [['prediabetes', 'pcos'], P.confounded, 'metformin is also used for prediabetes and PCOS'],
      ]),
      ph('rx-insulin', P.specific, 'kho-2012-emerge-t2d', 'rx-insulin', [
        [['type-1-diabetes'], 1, 'insulin is the treatment of type 1 diabetes'],
      ]),
      ph('rx-oral-diabetes', P.specific, 'kho-2012-emerge-t2d', 'rx-second-line'),
      ph('rx-glp1ra', P.typical, 'kho-2012-emerge-t2d', 'rx-incretin', [
        [['obesity'], P.confounded, 'GLP-1 receptor agonists are also prescribed for obesity'],
      ]),
      ph('rx-sglt2i', P.typical, 'kho-2012-emerge-t2d', 'rx-sglt2i', [
        [
          ['heart-failure', 'hfref', 'ckd'],
          P.confounded,
          'SGLT2 inhibitors are also prescribed for heart failure and CKD',
        ],
      ]),
      ...named('t2d'),
      ev('a1c-ge-6.5-twice', D.confirmed, undefined, 'definition', 'ada-soc-2025', 'a1c'),
      ev('a1c-ge-6.5', D.met, D.normal, 'definition', 'ada-soc-2025', 'a1c'),
      ev('fpg-ge-126-twice', D.confirmed, undefined, 'definition', 'ada-soc-2025', 'fpg'),
      ev('fpg-ge-126', D.met, D.normal, 'definition', 'ada-soc-2025', 'fpg'),
      ev(
        'glucose-ge-200',
        A.strong,
        undefined,
        'association',
        'ada-soc-2025',
        'random-glucose',
        'diagnostic only with classic symptoms of hyperglycemia',
      ),
    ],
    criteria: {
      description:
        'ADA: HbA1c ≥ 6.5% or fasting plasma glucose ≥ 126 mg/dL, confirmed by a second abnormal result',
      citationIds: ['ada-soc-2025'],
    },
    citationIds: ['ada-soc-2025'],
  },
  {
    id: 'prediabetes',
    label: 'Prediabetes',
    category: 'chronic',
    snomed: ['15777000', '714628002'],
    icd10: ['R73.03', 'R73.01', 'R73.09'],
    addCodes: [sct('714628002', 'Prediabetes'), icd('R73.03', 'Prediabetes')],
    prior: {
      value: 0.38,
      basis: 'study',
      citationId: 'cdc-nds-2023',
      note: '38% of US adults have prediabetes',
    },
    evidence: [
      ev('a1c-5.7-6.4', D.met, D.normal, 'definition', 'ada-soc-2025', 'glycemia'),
      ev('fpg-100-125', D.met, D.normal, 'definition', 'ada-soc-2025', 'fasting'),
    ],
    criteria: {
      description: 'ADA: HbA1c 5.7-6.4% or fasting plasma glucose 100-125 mg/dL, without diabetes',
      citationIds: ['ada-soc-2025'],
    },
    citationIds: ['ada-soc-2025'],
  },
  {
    id: 'htn',
    label: 'Hypertension',
    category: 'chronic',
    snomed: ['38341003', '59621000', '1201005', '10725009'],
    icd10: ['I10', 'I11', 'I12', 'I13', 'I15', 'I16'],
    addCodes: [sct('38341003', 'Hypertensive disorder'), icd('I10', 'Essential (primary) hypertension')],
    prior: {
      value: 0.29,
      basis: 'study',
      citationId: 'nchs-db289-htn-prevalence',
      bands: [
        { minAge: 18, maxAge: 39, value: 0.075 },
        { minAge: 40, maxAge: 59, value: 0.332 },
        { minAge: 60, value: 0.631 },
      ],
      note: 'NHANES 2015-2016, hypertension at ≥ 140/90 mmHg or treated: the definition the criteria use (NHANES 2017-2018 at the ACC/AHA ≥ 130/80: 45.4%)',
    },
    evidence: [
      ph(
        'rx-thiazide',
        P.defining,
        'nchs-db289-htn-prevalence',
        'rx-thiazide',
        [
          [
            ['heart-failure', 'hfref', 'cirrhosis', 'ckd'],
            P.confounded,
            'thiazides also treat the edema of heart failure, cirrhosis and kidney disease',
          ],
        ],
        'taking blood-pressure-lowering medication counts as hypertension (NCHS); a thiazide is first-line for it (ACC/AHA 2017) and its other indication, edema, is the confounder',
      ),
      ph('rx-beta-blocker', P.supportive, WRIGHT, 'rx-beta-blocker', [
        [
          ['migraine', 'af', 'cad', 'heart-failure', 'hfref'],
          1,
          'beta-blockers are also prescribed for migraine, AF, coronary disease and heart failure',
        ],
      ]),
      ph('rx-ccb-dhp', P.supportive, WRIGHT, 'rx-ccb', [
        [['cad'], 1, 'amlodipine and nifedipine are also antianginal'],
      ]),
      ph('rx-acei-arb', P.supportive, WRIGHT, 'rx-raas', [
        [
          ['heart-failure', 'hfref', 'ckd', 't2d'],
          1,
          'ACE inhibitors and ARBs are also prescribed for heart failure, CKD and diabetic kidney protection',
        ],
      ]),
      ...named('htn'),
      ev(
        'bp-avg-stage-2',
        D.confirmed,
        D.normal,
        'definition',
        'whelton-2017-acc-aha-htn',
        'bp',
        'an average below 140/90 mmHg (ACC/AHA stage 1 included: "elevated BP" by the 2024 ESC guideline) does not meet the definition the prior counts; treatment remains another route',
      ),
    ],
    criteria: {
      description:
        'Office BP averaged over ≥ 2 readings on ≥ 2 occasions ≥ 140/90 mmHg: ACC/AHA 2017 stage 2, and hypertension by the 2024 ESC definition. ACC/AHA stage 1 (130-139/80-89 mmHg) is shown but needs out-of-office readings to confirm (ACC/AHA 2017, class I)',
      citationIds: ['whelton-2017-acc-aha-htn', 'mcevoy-2024-esc-htn'],
    },
    citationIds: ['whelton-2017-acc-aha-htn', 'mcevoy-2024-esc-htn'],
  },
  {
    id: 'hyperlipidemia',
    label: 'Hyperlipidemia',
    category: 'chronic',
    snomed: ['55822004', '13644009', '398036000', '267432004'],
    icd10: ['E78.0', 'E78.2', 'E78.4', 'E78.5'],
    addCodes: [sct('55822004', 'Hyperlipidemia'), icd('E78.5', 'Hyperlipidemia, unspecified')],
    prior: {
      value: 0.1,
      basis: 'study',
      citationId: 'cdc-cholesterol-facts',
      note: 'about 1 in 10 US adults has total cholesterol ≥ 240 mg/dL',
    },
    evidence: [
      ph(
        'rx-statin',
        P.defining,
        'nchs-hus-cholesterol',
        'rx-lipid',
        [
          [
            ['cad', 'ascvd', 'stroke-tia'],
            4,
            'a statin is indicated for ASCVD whatever the LDL (ACC/AHA 2018); with coronary disease, statin use was 0.44 with hyperlipidemia and 0.11 without (Johansen 2014, MEPS 2010): LR 4',
          ],
          [
            ['t2d', 'ckd'],
            2,
            'a statin is indicated for diabetes and CKD whatever the LDL (ACC/AHA 2018, KDIGO)',
          ],
        ],
        'taking cholesterol-lowering medication counts as high cholesterol (Health, United States); the other statin indications of ACC/AHA 2018 are the confounders',
      ),
      ph(
        'rx-ezetimibe',
        P.defining,
        'nchs-hus-cholesterol',
        'rx-lipid-add-on',
        [],
        'taking cholesterol-lowering medication counts as high cholesterol (Health, United States)',
      ),
      ...named('hyperlipidemia'),
      ev('ldl-ge-160', D.met, D.normal, 'definition', 'ncep-atp3-2002', 'lipids'),
      ev('tc-ge-240', D.met, D.normal, 'definition', 'ncep-atp3-2002', 'lipids'),
    ],
    criteria: {
      description:
        'ACC/AHA 2018: LDL cholesterol ≥ 190 mg/dL (severe hypercholesterolemia); NCEP ATP III high values (LDL ≥ 160, total cholesterol ≥ 240 mg/dL) raise the probability',
      citationIds: ['grundy-2018-cholesterol-diagnosis', 'ncep-atp3-2002'],
    },
    citationIds: [
      'ncep-atp3-2002',
      'grundy-2018-cholesterol-diagnosis',
      'nchs-hus-cholesterol',
      'johansen-2014-statin-use',
    ],
  },
  {
    id: 'fh',
    label: 'Familial hypercholesterolemia (phenotype)',
    category: 'chronic',
    snomed: ['398036000', '397915002'],
    icd10: ['E78.01'],
    addCodes: [
      sct('398036000', 'Familial hypercholesterolemia'),
      icd('E78.01', 'Familial hypercholesterolemia'),
    ],
    prior: {
      value: 0.004,
      basis: 'study',
      citationId: 'nordestgaard-2013-fh',
      note: 'heterozygous FH about 1 in 200-500',
    },
    evidence: [ev('ldl-ge-190', D.met, D.excluded, 'definition', 'nordestgaard-2013-fh', 'ldl')],
    criteria: {
      description:
        'Dutch Lipid Clinic Network score from the record (LDL points and premature coronary or vascular disease; family history not available): ≥ 3 possible, 6-8 probable, > 8 definite FH; 2018 AHA/ACC: LDL ≥ 190 mg/dL is severe hypercholesterolemia',
      citationIds: ['nordestgaard-2013-fh', 'grundy-2018-cholesterol-diagnosis'],
    },
    citationIds: ['nordestgaard-2013-fh'],
  },
  {
    id: 'ckd',
    label: 'Chronic kidney disease',
    category: 'chronic',
    snomed: [
      '709044004',
      '431855005',
      '431856006',
      '433144002',
      '431857002',
      '433146000',
      '127013003',
      '700379002',
      '324121000000109',
    ],
    icd10: ['N18', 'E11.2', 'I12', 'I13'],
    addCodes: [
      sct('709044004', 'Chronic kidney disease'),
      icd('N18.9', 'Chronic kidney disease, unspecified'),
    ],
    prior: { value: 0.14, basis: 'study', citationId: 'cdc-ckd-2023', note: 'about 14% of US adults' },
    evidence: [
      ph('on-dialysis', P.defining, WRIGHT, 'dialysis'),
      ...named('ckd'),
      ev(
        'egfr-lt-60-persistent',
        D.confirmed,
        D.normal,
        'definition',
        'kdigo-2024-ckd',
        'egfr',
        'a latest eGFR ≥ 60 is a normal defining test; albuminuria remains another route',
      ),
      ev('egfr-lt-60', D.met, undefined, 'definition', 'kdigo-2024-ckd', 'egfr'),
      ev(
        'uacr-ge-30-persistent',
        D.confirmed,
        D.normal,
        'definition',
        'kdigo-2024-ckd',
        'albuminuria',
        'a latest UACR < 30 mg/g is a normal defining test; a low eGFR remains another route',
      ),
      ev('uacr-ge-30', D.met, undefined, 'definition', 'kdigo-2024-ckd', 'albuminuria'),
    ],
    criteria: {
      description:
        'KDIGO 2024: eGFR < 60 mL/min/1.73m² or albuminuria (UACR ≥ 30 mg/g) present for > 3 months',
      citationIds: ['kdigo-2024-ckd'],
    },
    citationIds: ['kdigo-2024-ckd'],
  },
  {
    id: 'hfref',
    label: 'Heart failure with reduced ejection fraction',
    category: 'chronic',
    snomed: ['703272007', '417996009'],
    icd10: ['I50.2', 'I50.4'],
    addCodes: [
      sct('703272007', 'Heart failure with reduced ejection fraction'),
      icd('I50.22', 'Chronic systolic (congestive) heart failure'),
    ],
    prior: {
      value: 0.012,
      basis: 'convention',
      citationId: 'heidenreich-2022-hf',
      note: 'about half of the 2-2.5% adult HF prevalence',
    },
    evidence: [
      ph(
        'rx-arni',
        P.specific,
        'heidenreich-2022-hf',
        'rx-arni',
        [],
        'sacubitril/valsartan is indicated for HFrEF',
      ),
      ev('lvef-le-40', D.confirmed, D.excluded, 'definition', 'heidenreich-2022-hf', 'lvef'),
      ev(
        'nt-probnp-ge-125',
        A.strong,
        undefined,
        'association',
        'heidenreich-2022-hf',
        'natriuretic',
        'NT-proBNP ≥ 125 pg/mL supports HF in ambulatory patients',
      ),
      ev('history-heart-failure', A.strong, undefined, 'association', 'heidenreich-2022-hf', 'history'),
    ],
    criteria: {
      description: 'ACC/AHA/HFSA 2022: heart failure with LVEF ≤ 40%',
      citationIds: ['heidenreich-2022-hf'],
    },
    citationIds: ['heidenreich-2022-hf'],
  },
  {
    id: 'af',
    label: 'Atrial fibrillation',
    category: 'chronic',
    snomed: ['49436004', '282825002', '440059007', '426749004', '313217001'],
    icd10: ['I48'],
    addCodes: [sct('49436004', 'Atrial fibrillation'), icd('I48.91', 'Unspecified atrial fibrillation')],
    prior: { value: 0.02, basis: 'convention', citationId: 'joglar-2023-af-diagnosis' },
    evidence: [
      ph('rx-oral-anticoagulant', P.specific, WRIGHT, 'rx-anticoagulant', [
        [
          ['vte', 'pe', 'mechanical-valve'],
          P.confounded,
          'anticoagulants are also prescribed for venous thromboembolism and mechanical valves',
        ],
      ]),
      ph('rx-digoxin', P.typical, WRIGHT, 'rx-digoxin', [
        [['heart-failure', 'hfref'], 2, 'digoxin is also prescribed for heart failure'],
      ]),
      ph('rx-rate-control-ccb', P.supportive, WRIGHT, 'rx-rate-control', [
        [['htn'], 1, 'verapamil and diltiazem are also antihypertensives'],
      ]),
      ph('rx-antiarrhythmic', P.typical, WRIGHT, 'rx-antiarrhythmic'),
      ph('proc-cardioversion', P.specific, 'joglar-2023-af-diagnosis', 'proc-cardioversion'),
      ph(
        'proc-cardiac-ablation',
        P.typical,
        'joglar-2023-af-diagnosis',
        'proc-ablation',
        [],
        'catheter ablation also treats other arrhythmias',
      ),
      ...named('af'),
      ev('ecg-af', D.confirmed, undefined, 'definition', 'joglar-2023-af-diagnosis', 'ecg'),
      ev('symptom:palpitations', A.weak, undefined, 'association', 'joglar-2023-af-diagnosis', 'symptom'),
    ],
    criteria: {
      description: 'ACC/AHA/ACCP/HRS 2023: atrial fibrillation documented on an ECG',
      citationIds: ['joglar-2023-af-diagnosis'],
    },
    citationIds: ['joglar-2023-af-diagnosis'],
  },
  {
    id: 'obesity',
    label: 'Obesity',
    category: 'chronic',
    snomed: ['414916001', '162864005', '408512008', '238136002', '415530009'],
    icd10: ['E66', 'Z68.3', 'Z68.4'],
    addCodes: [sct('414916001', 'Obesity'), icd('E66.9', 'Obesity, unspecified')],
    prior: {
      value: 0.424,
      basis: 'study',
      citationId: 'nchs-db360-obesity-prevalence',
      note: 'NHANES 2017-2018: 42.4%',
    },
    evidence: [ev('bmi-ge-30', D.confirmed, D.excluded, 'definition', 'cdc-adult-bmi-categories', 'bmi')],
    criteria: {
      description: 'WHO/CDC: BMI ≥ 30 kg/m² (class 1 30-34.9, class 2 35-39.9, class 3 ≥ 40)',
      citationIds: ['cdc-adult-bmi-categories', 'who-2000-obesity-trs894'],
    },
    citationIds: ['cdc-adult-bmi-categories', 'who-2000-obesity-trs894'],
  },
  {
    id: 'anemia-iron-deficiency',
    label: 'Iron-deficiency anemia',
    category: 'chronic',
    snomed: ['87522002', '234347009'],
    icd10: ['D50'],
    addCodes: [
      sct('87522002', 'Iron deficiency anemia'),
      icd('D50.9', 'Iron deficiency anemia, unspecified'),
    ],
    prior: {
      value: 0.03,
      basis: 'study',
      citationId: 'ko-2020-aga-iron-deficiency',
      note: 'IDA 2-5% of adult men and postmenopausal women',
    },
    evidence: [
      ev('hb-low', D.confirmed, D.excluded, 'definition', 'who-2011-anaemia', 'hb'),
      ev(
        'ferritin-lt-15',
        51.8,
        undefined,
        'study',
        'guyatt-1992-ferritin',
        'ferritin',
        'LR 51.8 for ferritin < 15',
      ),
      ev(
        'ferritin-15-25',
        8.83,
        undefined,
        'study',
        'guyatt-1992-ferritin',
        'ferritin',
        'LR 8.83 for ferritin 15-25',
      ),
      ev(
        'ferritin-25-35',
        2.54,
        undefined,
        'study',
        'guyatt-1992-ferritin',
        'ferritin',
        'LR 2.54 for ferritin 25-35',
      ),
      ev(
        'ferritin-35-45',
        1.83,
        undefined,
        'study',
        'guyatt-1992-ferritin',
        'ferritin',
        'LR 1.83 for ferritin 35-45',
      ),
      ev(
        'ferritin-45-100',
        0.54,
        undefined,
        'study',
        'guyatt-1992-ferritin',
        'ferritin',
        'LR 0.54 for ferritin 45-100',
      ),
      ev(
        'ferritin-ge-100',
        0.08,
        undefined,
        'study',
        'guyatt-1992-ferritin',
        'ferritin',
        'LR 0.08 for ferritin ≥ 100',
      ),
      ev('mcv-lt-80', A.moderate, undefined, 'association', 'ko-2020-aga-iron-deficiency', 'indices'),
      ev('symptom:fatigue', A.weak, undefined, 'association', 'ko-2020-aga-iron-deficiency', 'symptom'),
    ],
    criteria: {
      description:
        'WHO anaemia threshold (Hb < 13 g/dL men, < 12 g/dL women) with ferritin < 45 ng/mL (AGA 2020)',
      citationIds: ['who-2011-anaemia', 'ko-2020-aga-iron-deficiency'],
    },
    citationIds: ['who-2011-anaemia', 'ko-2020-aga-iron-deficiency', 'guyatt-1992-ferritin'],
  },
  {
    id: 'anemia',
    label: 'Anemia (not iron deficiency)',
    category: 'chronic',
    snomed: ['271737000', '191268006', '234340005'],
    icd10: ['D64.9', 'D51', 'D52', 'D53', 'D63'],
    addCodes: [sct('271737000', 'Anemia'), icd('D64.9', 'Anemia, unspecified')],
    prior: {
      value: 0.056,
      basis: 'study',
      citationId: 'le-2016-anemia-nhanes',
      note: 'NHANES 2003-2012: 5.6%',
    },
    evidence: [
      ph('rx-iron', P.typical, WRIGHT, 'rx-iron', [
        [['pregnancy'], P.confounded, 'iron is also given as prophylaxis in pregnancy'],
      ]),
      ph('rx-b12', P.supportive, WRIGHT, 'rx-b12'),
      ...named('anemia'),
      ev('hb-low', D.confirmed, D.excluded, 'definition', 'who-2011-anaemia', 'hb'),
      ev('symptom:fatigue', A.weak, undefined, 'association', 'who-2011-anaemia', 'symptom'),
    ],
    criteria: {
      description:
        'WHO: hemoglobin < 13 g/dL in men, < 12 g/dL in non-pregnant women, without an iron-deficiency pattern',
      citationIds: ['who-2011-anaemia'],
    },
    citationIds: ['who-2011-anaemia'],
  },
  {
    id: 'hypothyroidism',
    label: 'Hypothyroidism',
    category: 'chronic',
    snomed: ['40930008', '83986005', '88273006'],
    icd10: ['E03', 'E02', 'E89.0'],
    addCodes: [sct('40930008', 'Hypothyroidism'), icd('E03.9', 'Hypothyroidism, unspecified')],
    prior: {
      value: 0.046,
      basis: 'study',
      citationId: 'hollowell-2002-nhanes-thyroid',
      note: 'NHANES III: 4.6% (0.3% overt, 4.3% subclinical)',
    },
    evidence: [
      ph('rx-thyroid-hormone', P.defining, WRIGHT, 'rx-thyroid', [
        [['active-cancer'], P.typical, 'levothyroxine also suppresses TSH after thyroid cancer'],
      ]),
      ...named('hypothyroidism'),
      ev('tsh-gt-4.5', D.met, D.excluded, 'definition', 'jonklaas-2014-ata-hypothyroidism', 'tsh'),
      ev('ft4-low', D.met, undefined, 'definition', 'jonklaas-2014-ata-hypothyroidism', 't4'),
      ev('symptom:fatigue', A.weak, undefined, 'association', 'jonklaas-2014-ata-hypothyroidism', 'symptom'),
    ],
    criteria: {
      description:
        'ATA: TSH above the reference range (> 4.5 mIU/L) with low free T4 (overt), or TSH ≥ 10 mIU/L (subclinical, treatment considered)',
      citationIds: ['jonklaas-2014-ata-hypothyroidism'],
    },
    citationIds: ['jonklaas-2014-ata-hypothyroidism'],
  },
  {
    id: 'hyperthyroidism',
    label: 'Hyperthyroidism',
    category: 'chronic',
    snomed: ['34486009', '90739004', '353295004'],
    icd10: ['E05'],
    addCodes: [
      sct('34486009', 'Hyperthyroidism'),
      icd('E05.90', 'Thyrotoxicosis, unspecified without thyrotoxic crisis or storm'),
    ],
    prior: {
      value: 0.013,
      basis: 'study',
      citationId: 'hollowell-2002-nhanes-thyroid',
      note: 'NHANES III: 1.3%',
    },
    evidence: [
      ev('tsh-lt-0.4', D.met, D.excluded, 'definition', 'ross-2016-ata-hyperthyroidism', 'tsh'),
      ev('ft4-high', D.met, undefined, 'definition', 'ross-2016-ata-hyperthyroidism', 't4'),
      ev(
        'symptom:palpitations',
        A.weak,
        undefined,
        'association',
        'ross-2016-ata-hyperthyroidism',
        'symptom',
      ),
    ],
    criteria: {
      description:
        'ATA 2016: suppressed TSH (< 0.4 mIU/L) with elevated free T4 (overt), or TSH < 0.1 mIU/L (grade 2 subclinical)',
      citationIds: ['ross-2016-ata-hyperthyroidism'],
    },
    citationIds: ['ross-2016-ata-hyperthyroidism'],
  },
  {
    id: 'aki',
    label: 'Acute kidney injury',
    category: 'acute',
    snomed: ['14669001', '140031000119103'],
    icd10: ['N17'],
    addCodes: [sct('14669001', 'Acute kidney injury'), icd('N17.9', 'Acute kidney failure, unspecified')],
    prior: { value: 0.01, basis: 'convention', citationId: 'kdigo-2012-aki' },
    evidence: [
      ev('aki-creatinine-rise', D.confirmed, D.excluded, 'definition', 'kdigo-2012-aki', 'creatinine'),
    ],
    criteria: {
      description: 'KDIGO 2012: creatinine rise ≥ 0.3 mg/dL within 48 h or ≥ 1.5 × baseline within 7 days',
      citationIds: ['kdigo-2012-aki'],
    },
    citationIds: ['kdigo-2012-aki'],
  },
  {
    id: 'hyperkalemia',
    label: 'Hyperkalemia',
    category: 'acute',
    snomed: ['14140009'],
    icd10: ['E87.5'],
    addCodes: [sct('14140009', 'Hyperkalemia'), icd('E87.5', 'Hyperkalemia')],
    prior: { value: 0.02, basis: 'convention', citationId: 'kdigo-2020-potassium' },
    evidence: [ev('k-gt-5.0', D.confirmed, D.excluded, 'definition', 'kdigo-2020-potassium', 'potassium')],
    criteria: {
      description: 'KDIGO 2020 Controversies Conference: potassium > 5.0 mmol/L (5.5 moderate, 6.0 severe)',
      citationIds: ['kdigo-2020-potassium'],
    },
    citationIds: ['kdigo-2020-potassium'],
  },
  {
    id: 'hyponatremia',
    label: 'Hyponatremia',
    category: 'acute',
    snomed: ['89627008'],
    icd10: ['E87.1'],
    addCodes: [sct('89627008', 'Hyponatremia'), icd('E87.1', 'Hypo-osmolality and hyponatremia')],
    prior: {
      value: 0.017,
      basis: 'study',
      citationId: 'mohan-2013-hyponatremia-nhanes',
      note: 'NHANES 1999-2004: 1.72%',
    },
    evidence: [
      ev('na-lt-135', D.confirmed, D.excluded, 'definition', 'spasovski-2014-hyponatraemia', 'sodium'),
    ],
    criteria: {
      description:
        'European guideline 2014: sodium < 135 mmol/L (mild 130-134, moderate 125-129, profound < 125)',
      citationIds: ['spasovski-2014-hyponatraemia'],
    },
    citationIds: ['spasovski-2014-hyponatraemia'],
  },
  {
    id: 'masld-fibrosis',
    label: 'Advanced liver fibrosis risk (MASLD)',
    category: 'chronic',
    snomed: ['197321007', '442685003'],
    icd10: ['K76.0', 'K75.81', 'K74.0'],
    addCodes: [
      sct('197321007', 'Steatosis of liver'),
      icd('K76.0', 'Fatty (change of) liver, not elsewhere classified'),
    ],
    prior: { value: 0.05, basis: 'convention', citationId: 'rinella-2023-aasld-masld' },
    evidence: [
      ss('fib4-ge-2.67', 0.33, 0.98, 'shah-2009-fib4-nafld', 'fib4', 'FIB-4 > 2.67 for advanced fibrosis'),
      {
        ...ev(
          'fib4-lt-1.30',
          0.37,
          undefined,
          'study',
          'shah-2009-fib4-nafld',
          'fib4-low',
          'FIB-4 < 1.30: sensitivity 74%, specificity 71% for advanced fibrosis',
        ),
      },
    ],
    criteria: {
      description:
        'AASLD 2023: FIB-4 ≥ 2.67 indicates high risk of advanced fibrosis; 1.30-2.67 indeterminate (elastography next)',
      citationIds: ['rinella-2023-aasld-masld', 'sterling-2006-fib4'],
    },
    citationIds: ['rinella-2023-aasld-masld', 'sterling-2006-fib4', 'shah-2009-fib4-nafld'],
  },
  {
    id: 'heart-failure',
    label: 'Heart failure',
    category: 'chronic',
    snomed: ['84114007', '42343007', '88805009', '10633002', '703272007', '446221000'],
    icd10: ['I50'],
    addCodes: [sct('84114007', 'Heart failure'), icd('I50.9', 'Heart failure, unspecified')],
    prior: {
      value: 0.025,
      basis: 'convention',
      citationId: 'heidenreich-2022-hf',
      note: 'heart failure in about 2-2.5% of US adults',
    },
    evidence: [
      ev('lvef-le-40', D.confirmed, undefined, 'definition', 'heidenreich-2022-hf', 'lvef'),
      ev(
        'lvef-le-49',
        D.met,
        undefined,
        'definition',
        'heidenreich-2022-hf',
        'lvef',
        'LVEF 41-49% is the HFmrEF range of the 2022 classification',
      ),
      ev('nt-probnp-ge-125', A.strong, undefined, 'association', 'heidenreich-2022-hf', 'natriuretic'),
      ev('bnp-ge-100', A.strong, undefined, 'association', 'heidenreich-2022-hf', 'natriuretic'),
      ph('rx-loop-diuretic', P.typical, WRIGHT, 'rx-loop', [
        [
          ['ckd', 'cirrhosis', 'esrd-dialysis'],
          P.confounded,
          'loop diuretics are also prescribed for CKD and cirrhosis',
        ],
      ]),
      ph('rx-arni', P.specific, 'heidenreich-2022-hf', 'rx-arni'),
      ph('rx-hf-beta-blocker', P.supportive, 'heidenreich-2022-hf', 'rx-beta-blocker', [
        [
          ['htn', 'af', 'cad'],
          1,
          'beta-blockers are also prescribed for hypertension, AF and coronary disease',
        ],
      ]),
      ph('rx-mra', P.supportive, 'heidenreich-2022-hf', 'rx-mra', [
        [
          ['htn', 'cirrhosis'],
          1,
          'spironolactone is also prescribed for resistant hypertension and cirrhosis',
        ],
      ]),
      ph(
        'proc-echo',
        P.supportive,
        'heidenreich-2022-hf',
        'proc-echo',
        [],
        'echocardiography is done for many reasons',
      ),
      ...named('heart-failure'),
    ],
    criteria: {
      description:
        'ACC/AHA/HFSA 2022: symptoms or signs of heart failure with structural or functional heart disease (LVEF, natriuretic peptides)',
      citationIds: ['heidenreich-2022-hf'],
    },
    citationIds: ['heidenreich-2022-hf', WRIGHT],
  },
  {
    id: 'cad',
    label: 'Coronary artery disease or prior myocardial infarction',
    category: 'chronic',
    snomed: ['53741008', '22298006', '399211009', '414545008', '194828000', '401303003', '401314000'],
    icd10: ['I20', 'I21', 'I22', 'I24', 'I25', 'Z95.1', 'Z95.5', 'Z98.61'],
    addCodes: [
      sct('53741008', 'Coronary arteriosclerosis'),
      icd('I25.10', 'Atherosclerotic heart disease of native coronary artery without angina pectoris'),
    ],
    prior: {
      value: 0.08,
      basis: 'study',
      citationId: 'yoon-2016-chd-nhanes',
      note: 'NHANES 2011-2012: 8.0% of adults aged 40 and over (the study did not cover younger adults, for whom this is high)',
    },
    evidence: [
      ph(
        'proc-coronary-revascularization',
        P.defining,
        'gulati-2021-chest-pain',
        'proc-revascularization',
        [],
        'PCI or CABG is done only for coronary disease',
      ),
      ph(
        'rx-nitrate',
        P.defining,
        'yoon-2016-chd-nhanes',
        'rx-nitrate',
        [[['heart-failure', 'hfref'], 2, 'isosorbide dinitrate is also heart-failure therapy']],
        'taking anti-angina medication counts as angina, hence coronary disease (Yoon 2016, NHANES)',
      ),
      ph('rx-p2y12', P.typical, WRIGHT, 'rx-p2y12', [
        [['stroke-tia'], P.confounded, 'clopidogrel is also prescribed after ischemic stroke'],
      ]),
      ...named('cad'),
    ],
    criteria: {
      description:
        'Documented coronary disease: prior myocardial infarction (Fourth Universal Definition), revascularization, or obstructive CAD on testing',
      citationIds: ['thygesen-2018-udmi', 'gulati-2021-chest-pain'],
    },
    citationIds: ['gulati-2021-chest-pain', 'thygesen-2018-udmi', 'yoon-2016-chd-nhanes', WRIGHT],
  },
  {
    id: 'gout',
    label: 'Gout',
    category: 'chronic',
    snomed: ['90560007'],
    icd10: ['M10', 'M1A'],
    addCodes: [sct('90560007', 'Gout'), icd('M10.9', 'Gout, unspecified')],
    prior: {
      value: 0.04,
      basis: 'convention',
      citationId: 'acr-2020-gout',
      note: 'model convention: about 4% of adults',
    },
    evidence: [
      ph('rx-urate-lowering', P.defining, 'acr-2020-gout', 'rx-urate', [
        [['active-cancer'], P.confounded, 'allopurinol also prevents tumor lysis during chemotherapy'],
      ]),
      ph(
        'rx-colchicine',
        P.typical,
        'acr-2020-gout',
        'rx-colchicine',
        [],
        'colchicine also treats pericarditis',
      ),
      ...named('gout'),
    ],
    citationIds: ['acr-2020-gout', WRIGHT],
  },
  {
    id: 'osteoporosis',
    label: 'Osteoporosis',
    category: 'chronic',
    snomed: ['64859006', '443165006'],
    icd10: ['M80', 'M81'],
    addCodes: [
      sct('64859006', 'Osteoporosis'),
      icd('M81.0', 'Age-related osteoporosis without current pathological fracture'),
    ],
    prior: {
      value: 0.05,
      basis: 'convention',
      citationId: 'bhof-2022-osteoporosis',
      bands: [{ minAge: 50, sex: 'female' as const, value: 0.15 }],
      note: 'model convention: higher in women over 50',
    },
    evidence: [
      ph('rx-bisphosphonate', P.typical, 'bhof-2022-osteoporosis', 'rx-bisphosphonate', [
        [['active-cancer'], P.confounded, 'bisphosphonates also treat bone metastases'],
      ]),
      ph(
        'proc-dxa',
        P.supportive,
        'bhof-2022-osteoporosis',
        'proc-dxa',
        [],
        'bone density is also measured to screen',
      ),
      ...named('osteoporosis'),
    ],
    citationIds: ['bhof-2022-osteoporosis', WRIGHT],
  },
  {
    id: 'asthma',
    label: 'Asthma',
    category: 'chronic',
    snomed: ['195967001', '233678006'],
    icd10: ['J45'],
    addCodes: [sct('195967001', 'Asthma'), icd('J45.909', 'Unspecified asthma, uncomplicated')],
    prior: {
      value: 0.08,
      basis: 'convention',
      citationId: 'gina-2024-asthma',
      note: 'model convention: asthma in about 1 in 12 people',
    },
    evidence: [
      ph('rx-ics', P.typical, 'gina-2024-asthma', 'rx-ics', [
        [['copd'], P.confounded, 'inhaled corticosteroids are also COPD treatment'],
      ]),
      ph('rx-saba', P.typical, 'gina-2024-asthma', 'rx-saba', [
        [
          ['copd', 'pneumonia'],
          P.confounded,
          'a reliever inhaler is also given for COPD and acute bronchitis',
        ],
      ]),
      ...named('asthma'),
    ],
    citationIds: ['gina-2024-asthma', WRIGHT],
  },
  // Symptom-level conditions
  {
    id: 'adhf',
    label: 'Acute decompensated heart failure',
    category: 'acute',
    snomed: ['10633002', '195111005'],
    icd10: ['I50.21', 'I50.23', 'I50.31', 'I50.33', 'I50.41', 'I50.43'],
    addCodes: [sct('10633002', 'Acute congestive heart failure'), icd('I50.9', 'Heart failure, unspecified')],
    prior: { value: 0.05, basis: 'convention', citationId: 'wang-2005-dyspnea-chf' },
    evidence: [
      ev('symptom:dyspnea', A.moderate, undefined, 'association', 'heidenreich-2022-hf', 'dyspnea'),
      ev(
        'history-heart-failure',
        5.8,
        0.45,
        'study',
        'wang-2005-dyspnea-chf',
        'history',
        'prior heart failure',
      ),
      ev('symptom:pnd', 2.6, 0.7, 'study', 'wang-2005-dyspnea-chf', 'pnd'),
      ev('symptom:orthopnea', 2.2, 0.65, 'study', 'wang-2005-dyspnea-chf', 'orthopnea'),
      ev('symptom:edema', 2.3, 0.64, 'study', 'wang-2005-dyspnea-chf', 'edema'),
      ev('ecg-af', 3.8, undefined, 'study', 'wang-2005-dyspnea-chf', 'ecg'),
      ev('bnp-ge-100', 2.7, 0.11, 'study', 'wang-2005-dyspnea-chf', 'natriuretic'),
      ev('nt-probnp-ge-125', A.strong, D.normal, 'association', 'heidenreich-2022-hf', 'natriuretic'),
    ],
    citationIds: ['wang-2005-dyspnea-chf', 'heidenreich-2022-hf'],
  },
  {
    id: 'pneumonia',
    label: 'Community-acquired pneumonia',
    category: 'acute',
    snomed: ['233604007', '385093006', '53084003'],
    icd10: ['J12', 'J13', 'J14', 'J15', 'J16', 'J18'],
    addCodes: [
      sct('385093006', 'Community acquired pneumonia'),
      icd('J18.9', 'Pneumonia, unspecified organism'),
    ],
    prior: {
      value: 0.05,
      basis: 'study',
      citationId: 'metlay-1997-pneumonia-exam',
      note: 'pneumonia in 3-5% of outpatients with acute respiratory illness',
    },
    evidence: [
      ev('symptom:fever', 2.1, 0.71, 'study', 'metlay-1997-pneumonia-exam', 'fever'),
      ev('symptom:cough', 1.8, 0.31, 'study', 'metlay-1997-pneumonia-exam', 'cough'),
      ev('symptom:dyspnea', 1.4, 0.67, 'study', 'metlay-1997-pneumonia-exam', 'dyspnea'),
    ],
    citationIds: ['metlay-1997-pneumonia-exam'],
  },
  {
    id: 'pe',
    label: 'Pulmonary embolism',
    category: 'acute',
    snomed: ['59282003'],
    icd10: ['I26'],
    addCodes: [
      sct('59282003', 'Pulmonary embolism'),
      icd('I26.99', 'Other pulmonary embolism without acute cor pulmonale'),
    ],
    prior: { value: 0.02, basis: 'convention', citationId: 'stein-2004-d-dimer' },
    evidence: [
      ev('symptom:dyspnea', A.weak, undefined, 'association', 'stein-2004-d-dimer', 'dyspnea'),
      ev('symptom:chest-pain', A.weak, undefined, 'association', 'stein-2004-d-dimer', 'chest-pain'),
      ev('symptom:hemoptysis', A.moderate, undefined, 'association', 'stein-2004-d-dimer', 'hemoptysis'),
      ss('d-dimer-elevated', 0.95, 0.4, 'stein-2004-d-dimer', 'd-dimer', 'quantitative ELISA D-dimer'),
    ],
    citationIds: ['stein-2004-d-dimer'],
  },
  {
    id: 'acs',
    label: 'Acute coronary syndrome',
    category: 'acute',
    snomed: ['394659003', '22298006', '4557003'],
    icd10: ['I21', 'I22', 'I24', 'I20.0'],
    addCodes: [
      sct('394659003', 'Acute coronary syndrome'),
      icd('I24.9', 'Acute ischemic heart disease, unspecified'),
    ],
    prior: { value: 0.05, basis: 'convention', citationId: 'swap-2005-chest-pain-acs' },
    evidence: [
      ev(
        'symptom:chest-pain',
        A.moderate,
        undefined,
        'association',
        'swap-2005-chest-pain-acs',
        'chest-pain',
      ),
      ev('symptom:dyspnea', A.weak, undefined, 'association', 'thygesen-2018-udmi', 'dyspnea'),
      ev('troponin-elevated', D.met, D.normal, 'definition', 'thygesen-2018-udmi', 'troponin'),
    ],
    criteria: {
      description:
        'Fourth Universal Definition of MI: troponin above the 99th percentile with symptoms of ischemia',
      citationIds: ['thygesen-2018-udmi'],
    },
    citationIds: ['swap-2005-chest-pain-acs', 'thygesen-2018-udmi'],
  },
  {
    id: 'copd',
    label: 'Chronic obstructive pulmonary disease',
    category: 'chronic',
    snomed: ['13645005', '185086009', '87433001'],
    icd10: ['J44', 'J43'],
    addCodes: [
      sct('13645005', 'Chronic obstructive lung disease'),
      icd('J44.9', 'Chronic obstructive pulmonary disease, unspecified'),
    ],
    prior: { value: 0.06, basis: 'convention', citationId: 'gold-2024-copd' },
    evidence: [
      ph('rx-lama', P.typical, 'gold-2024-copd', 'rx-lama', [
        [['asthma'], P.confounded, 'long-acting bronchodilators are also asthma treatment'],
      ]),
      ph('rx-laba', P.typical, 'gold-2024-copd', 'rx-laba', [
        [['asthma'], P.confounded, 'long-acting bronchodilators are also asthma treatment'],
      ]),
      ph('proc-pulmonary-rehab', P.typical, 'gold-2024-copd', 'proc-rehab'),
      ...named('copd'),
      ev('fev1-fvc-lt-70', D.confirmed, D.excluded, 'definition', 'gold-2024-copd', 'spirometry'),
      ev('current-smoker', A.moderate, undefined, 'association', 'gold-2024-copd', 'exposure'),
      ev('symptom:dyspnea', A.weak, undefined, 'association', 'gold-2024-copd', 'dyspnea'),
      ev('symptom:cough', A.weak, undefined, 'association', 'gold-2024-copd', 'cough'),
      ev('symptom:wheezing', A.weak, undefined, 'association', 'gold-2024-copd', 'wheeze'),
    ],
    criteria: {
      description: 'GOLD 2024: post-bronchodilator FEV1/FVC < 0.70 with compatible symptoms or exposure',
      citationIds: ['gold-2024-copd'],
    },
    citationIds: ['gold-2024-copd'],
  },
  {
    id: 'asthma-exacerbation',
    label: 'Asthma exacerbation',
    category: 'acute',
    snomed: ['708038006', '281239006'],
    icd10: ['J45.21', 'J45.31', 'J45.41', 'J45.51', 'J45.901'],
    addCodes: [
      sct('708038006', 'Acute exacerbation of asthma'),
      icd('J45.901', 'Unspecified asthma with (acute) exacerbation'),
    ],
    prior: { value: 0.02, basis: 'convention', citationId: 'gina-2024-asthma' },
    evidence: [
      ev('history-asthma', A.strong, undefined, 'association', 'gina-2024-asthma', 'history'),
      ev('symptom:wheezing', A.strong, undefined, 'association', 'gina-2024-asthma', 'wheeze'),
      ev('symptom:dyspnea', A.weak, undefined, 'association', 'gina-2024-asthma', 'dyspnea'),
      ev('symptom:cough', A.weak, undefined, 'association', 'gina-2024-asthma', 'cough'),
    ],
    citationIds: ['gina-2024-asthma'],
  },
  {
    id: 'uti',
    label: 'Urinary tract infection',
    category: 'acute',
    snomed: ['68566005', '38822007', '301011002', '197927001'],
    icd10: ['N39.0', 'N30'],
    addCodes: [
      sct('68566005', 'Urinary tract infectious disease'),
      icd('N39.0', 'Urinary tract infection, site not specified'),
    ],
    prior: { value: 0.05, basis: 'convention', citationId: 'bent-2002-uti' },
    evidence: [
      ev('symptom:dysuria', 1.5, 0.5, 'study', 'bent-2002-uti', 'dysuria'),
      ev('symptom:urinary-frequency', 1.8, 0.59, 'study', 'bent-2002-uti', 'frequency'),
      ev('symptom:fever', 1.6, 0.9, 'study', 'bent-2002-uti', 'fever'),
    ],
    citationIds: ['bent-2002-uti'],
  },
  {
    id: 'depression',
    label: 'Major depression',
    category: 'chronic',
    snomed: ['370143000', '35489007', '36923009'],
    icd10: ['F32', 'F33'],
    addCodes: [sct('35489007', 'Depressive disorder'), icd('F32.A', 'Depression, unspecified')],
    prior: { value: 0.08, basis: 'convention', citationId: 'kroenke-2001-phq9' },
    evidence: [
      ph('rx-antidepressant', P.typical, WRIGHT, 'rx-antidepressant', [
        [
          ['anxiety', 'chronic-pain'],
          P.confounded,
          'antidepressants are also prescribed for anxiety and chronic pain',
        ],
      ]),
      ...named('depression'),
      ss('phq9-ge-10', 0.88, 0.88, 'kroenke-2001-phq9', 'phq9', 'PHQ-9 ≥ 10 for major depression'),
      ev('symptom:depressed-mood', A.strong, undefined, 'association', 'kroenke-2001-phq9', 'mood'),
      ev('symptom:anhedonia', A.strong, undefined, 'association', 'kroenke-2001-phq9', 'anhedonia'),
      ev('symptom:fatigue', A.weak, undefined, 'association', 'kroenke-2001-phq9', 'fatigue'),
    ],
    criteria: {
      description:
        'PHQ-9 ≥ 10 (sensitivity 88%, specificity 88% for major depression); diagnosis needs clinical interview',
      citationIds: ['kroenke-2001-phq9'],
    },
    citationIds: ['kroenke-2001-phq9'],
  },
  {
    id: 'anxiety',
    label: 'Generalized anxiety disorder',
    category: 'chronic',
    snomed: ['21897009', '197480006'],
    icd10: ['F41.1', 'F41.9'],
    addCodes: [sct('21897009', 'Generalized anxiety disorder'), icd('F41.1', 'Generalized anxiety disorder')],
    prior: { value: 0.06, basis: 'convention', citationId: 'spitzer-2006-gad7' },
    evidence: [
      ss(
        'gad7-ge-10',
        0.89,
        0.82,
        'spitzer-2006-gad7',
        'gad7',
        'GAD-7 ≥ 10 for generalized anxiety disorder',
      ),
      ev('symptom:anxiety', A.strong, undefined, 'association', 'spitzer-2006-gad7', 'anxiety'),
      ev('symptom:palpitations', A.weak, undefined, 'association', 'spitzer-2006-gad7', 'palpitations'),
    ],
    citationIds: ['spitzer-2006-gad7'],
  },
  {
    id: 'gerd',
    label: 'Gastroesophageal reflux disease',
    category: 'chronic',
    snomed: ['235595009'],
    icd10: ['K21'],
    addCodes: [
      sct('235595009', 'Gastroesophageal reflux disease'),
      icd('K21.9', 'Gastro-esophageal reflux disease without esophagitis'),
    ],
    prior: { value: 0.2, basis: 'convention', citationId: 'vakil-2006-montreal-gerd' },
    evidence: [
      ev('symptom:heartburn', A.strong, undefined, 'association', 'vakil-2006-montreal-gerd', 'heartburn'),
      ev('symptom:chest-pain', A.weak, undefined, 'association', 'vakil-2006-montreal-gerd', 'chest-pain'),
      ev('symptom:cough', A.weak, undefined, 'association', 'vakil-2006-montreal-gerd', 'cough'),
    ],
    citationIds: ['vakil-2006-montreal-gerd'],
  },
];

/** The validated diagnostic knowledge base (throws at load when an entry is malformed). */
export const DIAGNOSTIC_KB = validateKnowledgeBase(
  { observables: OBSERVABLES, findings: FINDINGS, conditions: CONDITIONS },
  new Set(CITATIONS.keys()),
);

/**
 * Record evidence must name what exists: drug classes and ingredients of the drug table, and
 * confounders that are conditions the extractor can put on the record. Checked at load, like the schema.
 */
function checkRecordEvidence(): void {
  const classes = new Set<string>(DRUG_CLASSES);
  const ingredients = new Set(DRUGS.map((d) => d.ingredient));
  const conditionIds = new Set([
    ...DIAGNOSTIC_KB.conditions.map((c) => c.id),
    ...CONTEXT_CONDITIONS.map((c) => c.id),
    'pregnancy',
  ]);
  const problems: string[] = [];
  for (const f of DIAGNOSTIC_KB.findings) {
    if (f.rule.type !== 'medication') continue;
    for (const c of f.rule.classes) if (!classes.has(c)) problems.push(`${f.code}: unknown drug class ${c}`);
    for (const i of f.rule.ingredients)
      if (!ingredients.has(i)) problems.push(`${f.code}: unknown ingredient ${i}`);
  }
  for (const c of DIAGNOSTIC_KB.conditions)
    for (const e of c.evidence)
      for (const k of e.confounders)
        for (const id of k.conditionIds)
          if (!conditionIds.has(id)) problems.push(`${c.id}: ${e.finding} confounder ${id} is no condition`);
  if (problems.length) throw new Error(`Invalid record evidence:\n${problems.join('\n')}`);
}
checkRecordEvidence();

export const CONDITIONS_BY_ID: ReadonlyMap<string, (typeof DIAGNOSTIC_KB.conditions)[number]> = new Map(
  DIAGNOSTIC_KB.conditions.map((c) => [c.id, c]),
);
export const FINDING_DEFS: ReadonlyMap<string, (typeof DIAGNOSTIC_KB.findings)[number]> = new Map(
  DIAGNOSTIC_KB.findings.map((f) => [f.code, f]),
);
export const OBSERVABLES_BY_ID: ReadonlyMap<string, (typeof DIAGNOSTIC_KB.observables)[number]> = new Map(
  DIAGNOSTIC_KB.observables.map((o) => [o.id, o]),
);
