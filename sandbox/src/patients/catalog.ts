/**
 * Codes the synthetic patients use: LOINC analytes with UCUM units, SNOMED CT / ICD-10-CM
 * conditions and symptoms, RxNorm ingredients (RXCUIs of ingredient concepts) with typical
 * products and sigs, and allergy substances.
 */
import type { Code, Drug, LabSpec } from './builder';
import { RXNORM, SNOMED } from './builder';

const lab = (loinc: string, display: string, unit: string): LabSpec => ({ loinc, display, unit, category: 'laboratory' });
const vital = (loinc: string, display: string, unit: string): LabSpec => ({ loinc, display, unit, category: 'vital-signs' });

export const LAB = {
  a1c: lab('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%'),
  glucose: lab('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL'),
  egfr: lab('98979-8', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)', 'mL/min/{1.73_m2}'),
  creatinine: lab('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL'),
  uacr: lab('14959-1', 'Microalbumin/Creatinine [Mass Ratio] in Urine', 'mg/g'),
  potassium: lab('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L'),
  sodium: lab('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L'),
  cholesterol: lab('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL'),
  hdl: lab('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL'),
  ldl: lab('18262-6', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', 'mg/dL'),
  triglycerides: lab('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL'),
  lvef: lab('10230-1', 'Left ventricular Ejection fraction', '%'),
  ntprobnp: lab('33762-6', 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma', 'pg/mL'),
  hemoglobin: lab('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL'),
  mcv: lab('787-2', 'MCV [Entitic volume] by Automated count', 'fL'),
  ferritin: lab('2276-4', 'Ferritin [Mass/volume] in Serum or Plasma', 'ng/mL'),
  platelets: lab('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL'),
  wbc: lab('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL'),
  alt: lab('1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L'),
  ast: lab('1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L'),
  albumin: lab('1751-7', 'Albumin [Mass/volume] in Serum or Plasma', 'g/dL'),
  tsh: lab('3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma', 'm[IU]/L'),
  freeT4: lab('3024-7', 'Thyroxine (T4) free [Mass/volume] in Serum or Plasma', 'ng/dL'),
  inr: lab('6301-6', 'INR in Platelet poor plasma by Coagulation assay', '{INR}'),
  heartRate: vital('8867-4', 'Heart rate', '/min'),
  respRate: vital('9279-1', 'Respiratory rate', '/min'),
  temperature: vital('8310-5', 'Body temperature', 'Cel'),
  spo2: vital('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '%'),
  bmi: vital('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2'),
  weight: vital('29463-7', 'Body weight', 'kg'),
  height: vital('8302-2', 'Body height', 'cm'),
} as const;

export const STATUS_OBS = {
  smoking: { loinc: '72166-2', display: 'Tobacco smoking status', category: 'social-history' },
  pregnancy: { loinc: '82810-3', display: 'Pregnancy status', category: 'social-history' },
  ecg: { loinc: '8601-7', display: 'EKG impression', category: 'procedure' },
} as const;

export const VALUE = {
  currentSmoker: { snomed: ['449868002', 'Smokes tobacco daily'], text: 'Current every day smoker' },
  neverSmoker: { snomed: ['266919005', 'Never smoked tobacco'], text: 'Never smoker' },
  exSmoker: { snomed: ['8517006', 'Ex-smoker'], text: 'Former smoker' },
  pregnant: { snomed: ['77386006', 'Pregnant'], text: 'Pregnant' },
  afOnEcg: { snomed: ['49436004', 'Atrial fibrillation'], text: 'Atrial fibrillation with rapid ventricular response' },
  sinusRhythm: { snomed: ['64730000', 'Normal sinus rhythm'], text: 'Normal sinus rhythm' },
} satisfies Record<string, Code>;

const c = (snomed: string, sDisplay: string, icd: string, iDisplay: string, text = sDisplay): Code => ({
  snomed: [snomed, sDisplay],
  icd10: [icd, iDisplay],
  text,
});

export const COND = {
  t2d: c('44054006', 'Diabetes mellitus type 2', 'E11.9', 'Type 2 diabetes mellitus without complications', 'Type 2 diabetes mellitus'),
  prediabetes: c('714628002', 'Prediabetes', 'R73.03', 'Prediabetes'),
  htn: c('38341003', 'Hypertensive disorder', 'I10', 'Essential (primary) hypertension', 'Essential hypertension'),
  hyperlipidemia: c('55822004', 'Hyperlipidemia', 'E78.5', 'Hyperlipidemia, unspecified'),
  ckd3a: c('700378005', 'Chronic kidney disease stage 3A', 'N18.31', 'Chronic kidney disease, stage 3a'),
  ckd3b: c('700379002', 'Chronic kidney disease stage 3B', 'N18.32', 'Chronic kidney disease, stage 3b'),
  ckd4: c('431857002', 'Chronic kidney disease stage 4', 'N18.4', 'Chronic kidney disease, stage 4 (severe)'),
  esrd: c('433146000', 'Chronic kidney disease stage 5', 'N18.6', 'End stage renal disease'),
  af: c('49436004', 'Atrial fibrillation', 'I48.91', 'Unspecified atrial fibrillation'),
  hfref: c('703272007', 'Heart failure with reduced ejection fraction', 'I50.22', 'Chronic systolic (congestive) heart failure'),
  cad: c('53741008', 'Coronary arteriosclerosis', 'I25.10', 'Atherosclerotic heart disease of native coronary artery without angina pectoris', 'Coronary artery disease'),
  oldMi: c('22298006', 'Myocardial infarction', 'I25.2', 'Old myocardial infarction', 'History of myocardial infarction'),
  copd: c('13645005', 'Chronic obstructive lung disease', 'J44.9', 'Chronic obstructive pulmonary disease, unspecified'),
  asthma: c('195967001', 'Asthma', 'J45.909', 'Unspecified asthma, uncomplicated'),
  osteoarthritisKnee: c('239873007', 'Osteoarthritis of knee', 'M17.9', 'Osteoarthritis of knee, unspecified'),
  chronicPain: c('82423001', 'Chronic pain', 'G89.29', 'Other chronic pain'),
  lowBackPain: c('279039007', 'Low back pain', 'M54.50', 'Low back pain, unspecified'),
  anxiety: c('197480006', 'Anxiety disorder', 'F41.9', 'Anxiety disorder, unspecified'),
  depression: c('35489007', 'Depressive disorder', 'F32.A', 'Depression, unspecified'),
  hypothyroidism: c('40930008', 'Hypothyroidism', 'E03.9', 'Hypothyroidism, unspecified'),
  pregnancy: c('77386006', 'Pregnancy', 'Z33.1', 'Pregnant state, incidental'),
  pneumonia: c('385093006', 'Community acquired pneumonia', 'J18.9', 'Pneumonia, unspecified organism'),
  sinusitis: c('15805002', 'Acute sinusitis', 'J01.90', 'Acute sinusitis, unspecified'),
  uti: c('68566005', 'Urinary tract infectious disease', 'N39.0', 'Urinary tract infection, site not specified'),
  giBleed: c('74474003', 'Gastrointestinal hemorrhage', 'K92.2', 'Gastrointestinal hemorrhage, unspecified'),
  gout: c('90560007', 'Gout', 'M10.9', 'Gout, unspecified'),
  steatosis: c('197321007', 'Steatosis of liver', 'K76.0', 'Fatty (change of) liver, not elsewhere classified'),
  obesity: c('414916001', 'Obesity', 'E66.9', 'Obesity, unspecified'),
  stroke: c('230690007', 'Cerebrovascular accident', 'I63.9', 'Cerebral infarction, unspecified', 'History of stroke'),
} as const;

const s = (snomed: string, display: string, icd: string, iDisplay: string): Code => c(snomed, display, icd, iDisplay);

export const SYMPTOM = {
  dyspnea: s('267036007', 'Dyspnea', 'R06.00', 'Dyspnea, unspecified'),
  orthopnea: s('62744007', 'Orthopnea', 'R06.01', 'Orthopnea'),
  pnd: { snomed: ['55442000', 'Paroxysmal nocturnal dyspnea'], text: 'Paroxysmal nocturnal dyspnea' } as Code,
  edema: s('267038008', 'Edema', 'R60.0', 'Localized edema'),
  fever: s('386661006', 'Fever', 'R50.9', 'Fever, unspecified'),
  cough: s('49727002', 'Cough', 'R05.9', 'Cough, unspecified'),
  chestPain: s('29857009', 'Chest pain', 'R07.9', 'Chest pain, unspecified'),
  fatigue: s('84229001', 'Fatigue', 'R53.83', 'Other fatigue'),
  palpitations: s('80313002', 'Palpitations', 'R00.2', 'Palpitations'),
  dysuria: s('49650001', 'Dysuria', 'R30.0', 'Dysuria'),
  wheezing: s('56018004', 'Wheezing', 'R06.2', 'Wheezing'),
  heartburn: s('16331000', 'Heartburn', 'R12', 'Heartburn'),
} as const;

const drug = (rxnorm: string, name: string, product: string, dose: number, perDay: number, sig: string, doseUnit?: string): Drug => ({
  rxnorm,
  name,
  product,
  dose,
  perDay,
  sig,
  ...(doseUnit ? { doseUnit } : {}),
});

export const DRUG = {
  metformin: drug('6809', 'metformin', 'Metformin 1000 mg oral tablet', 1000, 2, 'Take 1 tablet by mouth twice daily with meals'),
  atorvastatin40: drug('83367', 'atorvastatin', 'Atorvastatin 40 mg oral tablet', 40, 1, 'Take 1 tablet by mouth daily'),
  atorvastatin80: drug('83367', 'atorvastatin', 'Atorvastatin 80 mg oral tablet', 80, 1, 'Take 1 tablet by mouth daily'),
  rosuvastatin20: drug('301542', 'rosuvastatin', 'Rosuvastatin 20 mg oral tablet', 20, 1, 'Take 1 tablet by mouth daily'),
  simvastatin40: drug('36567', 'simvastatin', 'Simvastatin 40 mg oral tablet', 40, 1, 'Take 1 tablet by mouth at bedtime'),
  pravastatin20: drug('42463', 'pravastatin', 'Pravastatin 20 mg oral tablet', 20, 1, 'Take 1 tablet by mouth daily'),
  lisinopril10: drug('29046', 'lisinopril', 'Lisinopril 10 mg oral tablet', 10, 1, 'Take 1 tablet by mouth daily'),
  lisinopril40: drug('29046', 'lisinopril', 'Lisinopril 40 mg oral tablet', 40, 1, 'Take 1 tablet by mouth daily'),
  losartan50: drug('52175', 'losartan', 'Losartan 50 mg oral tablet', 50, 1, 'Take 1 tablet by mouth daily'),
  amlodipine5: drug('17767', 'amlodipine', 'Amlodipine 5 mg oral tablet', 5, 1, 'Take 1 tablet by mouth daily'),
  amlodipine10: drug('17767', 'amlodipine', 'Amlodipine 10 mg oral tablet', 10, 1, 'Take 1 tablet by mouth daily'),
  hctz25: drug('5487', 'hydrochlorothiazide', 'Hydrochlorothiazide 25 mg oral tablet', 25, 1, 'Take 1 tablet by mouth every morning'),
  chlorthalidone25: drug('2409', 'chlorthalidone', 'Chlorthalidone 25 mg oral tablet', 25, 1, 'Take 1 tablet by mouth every morning'),
  metoprololSucc50: drug('6918', 'metoprolol', 'Metoprolol succinate 50 mg extended-release oral tablet', 50, 1, 'Take 1 tablet by mouth daily'),
  metoprololTart25: drug('6918', 'metoprolol', 'Metoprolol tartrate 25 mg oral tablet', 25, 2, 'Take 1 tablet by mouth twice daily'),
  carvedilol125: drug('20352', 'carvedilol', 'Carvedilol 12.5 mg oral tablet', 12.5, 2, 'Take 1 tablet by mouth twice daily with food'),
  spironolactone25: drug('9997', 'spironolactone', 'Spironolactone 25 mg oral tablet', 25, 1, 'Take 1 tablet by mouth daily'),
  furosemide40: drug('4603', 'furosemide', 'Furosemide 40 mg oral tablet', 40, 1, 'Take 1 tablet by mouth every morning'),
  empagliflozin10: drug('1545653', 'empagliflozin', 'Empagliflozin 10 mg oral tablet', 10, 1, 'Take 1 tablet by mouth every morning'),
  dapagliflozin10: drug('1488564', 'dapagliflozin', 'Dapagliflozin 10 mg oral tablet', 10, 1, 'Take 1 tablet by mouth daily'),
  insulinGlargine: drug('274783', 'insulin glargine', 'Insulin glargine 100 unit/mL injection', 24, 1, 'Inject 24 units under the skin at bedtime', '[iU]'),
  glipizide5: drug('4821', 'glipizide', 'Glipizide 5 mg oral tablet', 5, 1, 'Take 1 tablet by mouth before breakfast'),
  semaglutide: drug('1991302', 'semaglutide', 'Semaglutide 1 mg/dose subcutaneous pen', 1, 1 / 7, 'Inject 1 mg under the skin once weekly'),
  warfarin5: drug('11289', 'warfarin', 'Warfarin 5 mg oral tablet', 5, 1, 'Take as directed per INR, usually 1 tablet daily'),
  apixaban5: drug('1364430', 'apixaban', 'Apixaban 5 mg oral tablet', 5, 2, 'Take 1 tablet by mouth twice daily'),
  apixaban25: drug('1364430', 'apixaban', 'Apixaban 2.5 mg oral tablet', 2.5, 2, 'Take 1 tablet by mouth twice daily'),
  aspirin81: drug('1191', 'aspirin', 'Aspirin 81 mg oral delayed-release tablet', 81, 1, 'Take 1 tablet by mouth daily'),
  clopidogrel75: drug('32968', 'clopidogrel', 'Clopidogrel 75 mg oral tablet', 75, 1, 'Take 1 tablet by mouth daily'),
  oxycodone20: drug('7804', 'oxycodone', 'Oxycodone hydrochloride 20 mg oral tablet', 20, 4, 'Take 1 tablet by mouth every 6 hours as needed for pain'),
  hydrocodone10: drug('5489', 'hydrocodone', 'Hydrocodone bitartrate 10 mg / acetaminophen 325 mg oral tablet', 10, 6, 'Take 1 tablet by mouth every 4 hours as needed for pain'),
  alprazolam1: drug('596', 'alprazolam', 'Alprazolam 1 mg oral tablet', 1, 3, 'Take 1 tablet by mouth three times daily'),
  naloxone: drug('7242', 'naloxone', 'Naloxone 4 mg/actuation nasal spray', 4, 1, 'Spray 4 mg into one nostril for suspected opioid overdose; may repeat'),
  ibuprofen600: drug('5640', 'ibuprofen', 'Ibuprofen 600 mg oral tablet', 600, 3, 'Take 1 tablet by mouth three times daily with food'),
  naproxen500: drug('7258', 'naproxen', 'Naproxen 500 mg oral tablet', 500, 2, 'Take 1 tablet by mouth twice daily with food'),
  amoxicillin500: drug('723', 'amoxicillin', 'Amoxicillin 500 mg oral capsule', 500, 3, 'Take 1 capsule by mouth three times daily for 10 days'),
  tmpSmx: drug('10180', 'sulfamethoxazole', 'Sulfamethoxazole 800 mg / trimethoprim 160 mg oral tablet', 800, 2, 'Take 1 tablet by mouth twice daily for 3 days'),
  nitrofurantoin100: drug('7454', 'nitrofurantoin', 'Nitrofurantoin monohydrate/macrocrystals 100 mg oral capsule', 100, 2, 'Take 1 capsule by mouth twice daily for 5 days'),
  clarithromycin500: drug('21212', 'clarithromycin', 'Clarithromycin 500 mg oral tablet', 500, 2, 'Take 1 tablet by mouth twice daily for 7 days'),
  azithromycin250: drug('18631', 'azithromycin', 'Azithromycin 250 mg oral tablet', 250, 1, 'Take 1 tablet by mouth daily'),
  levothyroxine75: drug('10582', 'levothyroxine', 'Levothyroxine sodium 75 mcg oral tablet', 0.075, 1, 'Take 1 tablet by mouth every morning on an empty stomach'),
  sertraline50: drug('36437', 'sertraline', 'Sertraline 50 mg oral tablet', 50, 1, 'Take 1 tablet by mouth daily'),
  gabapentin300: drug('25480', 'gabapentin', 'Gabapentin 300 mg oral capsule', 300, 3, 'Take 1 capsule by mouth three times daily'),
  albuterol: drug('435', 'albuterol', 'Albuterol 90 mcg/actuation metered dose inhaler', 0.18, 4, 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing'),
  tiotropium: drug('274535', 'tiotropium', 'Tiotropium 18 mcg inhalation capsule', 0.018, 1, 'Inhale contents of 1 capsule daily'),
  allopurinol300: drug('519', 'allopurinol', 'Allopurinol 300 mg oral tablet', 300, 1, 'Take 1 tablet by mouth daily'),
  omeprazole20: drug('7646', 'omeprazole', 'Omeprazole 20 mg oral capsule', 20, 1, 'Take 1 capsule by mouth daily before breakfast'),
  acetaminophen500: drug('161', 'acetaminophen', 'Acetaminophen 500 mg oral tablet', 500, 3, 'Take 1 tablet by mouth three times daily as needed'),
  prenatal: drug('4511', 'folic acid', 'Prenatal multivitamin with folic acid 0.8 mg oral tablet', 0.8, 1, 'Take 1 tablet by mouth daily'),
  labetalol200: drug('6185', 'labetalol', 'Labetalol 200 mg oral tablet', 200, 2, 'Take 1 tablet by mouth twice daily'),
  diltiazem120: drug('3443', 'diltiazem', 'Diltiazem 120 mg extended-release oral capsule', 120, 1, 'Take 1 capsule by mouth daily'),
  ferrousSulfate: drug('4450', 'ferrous sulfate', 'Ferrous sulfate 325 mg oral tablet', 325, 1, 'Take 1 tablet by mouth daily'),
} as const;

export const ALLERGEN = {
  penicillin: {
    coding: [
      { system: SNOMED, code: '764146007', display: 'Penicillin (substance)' },
      { system: RXNORM, code: '70618', display: 'penicillin' },
    ],
    text: 'Penicillin',
  },
  sulfonamide: {
    coding: [
      { system: SNOMED, code: '387406002', display: 'Sulfonamide (substance)' },
      { system: RXNORM, code: '10180', display: 'sulfamethoxazole' },
    ],
    text: 'Sulfonamide antibiotics (sulfa)',
  },
  peanut: { coding: [{ system: SNOMED, code: '762952008', display: 'Peanut (substance)' }], text: 'Peanut' },
  atorvastatin: { coding: [{ system: RXNORM, code: '83367', display: 'atorvastatin' }], text: 'Atorvastatin' },
} as const;

export const REACTION = {
  anaphylaxis: { snomed: ['39579001', 'Anaphylaxis'], text: 'Anaphylaxis' } as Code,
  hives: { snomed: ['126485001', 'Urticaria'], text: 'Hives' } as Code,
  rash: { snomed: ['271807003', 'Eruption of skin'], text: 'Rash' } as Code,
  myalgia: { snomed: ['68962001', 'Muscle pain'], text: 'Myalgia' } as Code,
} as const;
