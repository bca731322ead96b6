/**
 * Code tables the findings extractor reads: LOINC → analyte, SNOMED CT / ICD-10-CM → symptom,
 * smoking-status and pregnancy answer codes. LOINC codes per loinc.org; those seen in the shared
 * Synthea R4 sample are the common ones (eGFR 33914-3, creatinine 38483-4/2160-0, A1c 4548-4 ...).
 */

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** LOINC code → analyte id (see facts.ts for the canonical units). */
export const LOINC_ANALYTES: Readonly<Record<string, string>> = Object.freeze({
  // eGFR: legacy MDRD/unspecified and CKD-EPI computed codes (creatinine-based, race-free 2021: 98979-8)
  '33914-3': 'egfr',
  '62238-1': 'egfr',
  '48642-3': 'egfr',
  '48643-1': 'egfr',
  '77147-7': 'egfr',
  '98979-8': 'egfr',
  '69405-9': 'egfr',
  '50044-7': 'egfr',
  '88293-6': 'egfr',
  '88294-4': 'egfr',
  '38483-4': 'creatinine',
  '2160-0': 'creatinine',
  '14682-9': 'creatinine',
  '14959-1': 'uacr',
  '9318-7': 'uacr',
  '32294-1': 'uacr',
  '6298-4': 'potassium',
  '2823-3': 'potassium',
  '2947-0': 'sodium',
  '2951-2': 'sodium',
  '2339-0': 'glucose',
  '2345-7': 'glucose',
  '41653-7': 'glucose',
  '1558-6': 'glucose-fasting',
  '14771-0': 'glucose-fasting',
  '4548-4': 'a1c',
  '17856-6': 'a1c',
  '4549-2': 'a1c',
  '59261-8': 'a1c',
  '2093-3': 'total-cholesterol',
  '18262-6': 'ldl',
  '13457-7': 'ldl',
  '2089-1': 'ldl',
  '2085-9': 'hdl',
  '2571-8': 'triglycerides',
  '8480-6': 'sbp',
  '8462-4': 'dbp',
  '8867-4': 'heart-rate',
  '9279-1': 'resp-rate',
  '8310-5': 'temperature',
  '8331-1': 'temperature',
  '59408-5': 'spo2',
  '2708-6': 'spo2',
  '39156-5': 'bmi',
  '29463-7': 'weight',
  '8302-2': 'height',
  '10230-1': 'lvef',
  '8806-2': 'lvef',
  '33762-6': 'nt-probnp',
  '30934-4': 'bnp',
  '42637-9': 'bnp',
  '718-7': 'hemoglobin',
  '787-2': 'mcv',
  '30428-7': 'mcv',
  '2276-4': 'ferritin',
  '3016-3': 'tsh',
  '11579-0': 'tsh',
  '3024-7': 'free-t4',
  '1742-6': 'alt',
  '1920-8': 'ast',
  '777-3': 'platelets',
  '26515-7': 'platelets',
  '6690-2': 'wbc',
  '26464-8': 'wbc',
  '1751-7': 'albumin',
  '6301-6': 'inr',
  '34714-6': 'inr',
  '6598-7': 'troponin',
  '10839-9': 'troponin',
  '67151-1': 'troponin',
  '89579-7': 'troponin',
  '48065-7': 'd-dimer',
  '48066-5': 'd-dimer',
  '19926-5': 'fev1-fvc',
  '44261-6': 'phq-9',
  '70274-6': 'gad-7',
  '9269-2': 'gcs',
});

/** Analytes shown as vital signs rather than laboratory results. */
export const VITAL_ANALYTES: ReadonlySet<string> = new Set([
  'sbp',
  'dbp',
  'heart-rate',
  'resp-rate',
  'temperature',
  'spo2',
  'bmi',
  'weight',
  'height',
]);

export const ANALYTE_LABELS: Readonly<Record<string, string>> = Object.freeze({
  egfr: 'eGFR',
  creatinine: 'Creatinine',
  uacr: 'Urine albumin/creatinine',
  potassium: 'Potassium',
  sodium: 'Sodium',
  glucose: 'Glucose',
  'glucose-fasting': 'Fasting glucose',
  a1c: 'HbA1c',
  'total-cholesterol': 'Total cholesterol',
  ldl: 'LDL cholesterol',
  hdl: 'HDL cholesterol',
  triglycerides: 'Triglycerides',
  sbp: 'Systolic BP',
  dbp: 'Diastolic BP',
  'heart-rate': 'Heart rate',
  'resp-rate': 'Respiratory rate',
  temperature: 'Temperature',
  spo2: 'SpO2',
  bmi: 'BMI',
  weight: 'Weight',
  height: 'Height',
  lvef: 'LVEF',
  'nt-probnp': 'NT-proBNP',
  bnp: 'BNP',
  hemoglobin: 'Hemoglobin',
  mcv: 'MCV',
  ferritin: 'Ferritin',
  tsh: 'TSH',
  'free-t4': 'Free T4',
  alt: 'ALT',
  ast: 'AST',
  platelets: 'Platelets',
  wbc: 'WBC',
  albumin: 'Albumin',
  inr: 'INR',
  troponin: 'Troponin',
  'd-dimer': 'D-dimer',
  'fev1-fvc': 'FEV1/FVC',
  'phq-9': 'PHQ-9',
  'gad-7': 'GAD-7',
  gcs: 'Glasgow Coma Scale',
});

/** Symptom and sign ids with their SNOMED CT codes and ICD-10-CM codes (prefix match). */
export interface SymptomCode {
  id: string;
  label: string;
  snomed: string[];
  icd10: string[];
}

export const SYMPTOM_CODES: readonly SymptomCode[] = Object.freeze([
  { id: 'dyspnea', label: 'Dyspnea', snomed: ['267036007', '230145002'], icd10: ['R06.0'] },
  { id: 'orthopnea', label: 'Orthopnea', snomed: ['62744007'], icd10: ['R06.01'] },
  { id: 'pnd', label: 'Paroxysmal nocturnal dyspnea', snomed: ['55442000'], icd10: [] },
  { id: 'chest-pain', label: 'Chest pain', snomed: ['29857009'], icd10: ['R07.89', 'R07.9'] },
  { id: 'fatigue', label: 'Fatigue', snomed: ['84229001'], icd10: ['R53.83'] },
  { id: 'edema', label: 'Edema', snomed: ['267038008'], icd10: ['R60'] },
  { id: 'fever', label: 'Fever', snomed: ['386661006'], icd10: ['R50'] },
  { id: 'cough', label: 'Cough', snomed: ['49727002'], icd10: ['R05'] },
  { id: 'wheezing', label: 'Wheezing', snomed: ['56018004'], icd10: ['R06.2'] },
  { id: 'hemoptysis', label: 'Hemoptysis', snomed: ['66857006'], icd10: ['R04.2'] },
  { id: 'dysuria', label: 'Dysuria', snomed: ['49650001'], icd10: ['R30.0'] },
  { id: 'urinary-frequency', label: 'Urinary frequency', snomed: ['162116003'], icd10: ['R35.0'] },
  { id: 'heartburn', label: 'Heartburn', snomed: ['16331000'], icd10: ['R12'] },
  { id: 'palpitations', label: 'Palpitations', snomed: ['80313002'], icd10: ['R00.2'] },
  { id: 'syncope', label: 'Syncope', snomed: ['271594007'], icd10: ['R55'] },
  { id: 'depressed-mood', label: 'Depressed mood', snomed: ['366979004'], icd10: [] },
  { id: 'anhedonia', label: 'Anhedonia', snomed: ['28669007'], icd10: [] },
  { id: 'anxiety', label: 'Anxiety', snomed: ['48694002'], icd10: ['R45.7'] },
  { id: 'altered-mentation', label: 'Altered mental status', snomed: ['419284004'], icd10: ['R41.82'] },
]);

/** Smoking-status answers (LOINC 72166-2) that mean a current smoker. */
export const CURRENT_SMOKER_CODES: ReadonlySet<string> = new Set([
  '449868002', // smokes tobacco daily
  '428041000124106', // occasional tobacco smoker
  '77176002', // smoker
  '65568007', // cigarette smoker
  '428071000124103', // heavy tobacco smoker
  '428061000124105', // light tobacco smoker
  '82302008', // pipe smoker
  '59978006', // cigar smoker
]);

/** Smoking-status answers that mean not a current smoker. */
export const NON_SMOKER_CODES: ReadonlySet<string> = new Set([
  '8517006', // ex-smoker
  '266919005', // never smoked tobacco
  '266927001', // tobacco smoking consumption unknown — treated as not current
]);

export const PREGNANCY_STATUS_LOINC = '82810-3';
export const HCG_LOINC: ReadonlySet<string> = new Set(['2106-3', '2118-8', '2112-1', '19080-1']);
export const PREGNANT_SNOMED = '77386006';
export const POSITIVE_SNOMED = '10828004';
/** SNOMED CT answers recording a finding as absent / negative. */
export const ABSENT_SNOMED: ReadonlySet<string> = new Set(['2667000', '260385009', '373067005']);
/** LOINC codes of ECG interpretations, whose coded value may record atrial fibrillation. */
export const ECG_LOINC: readonly string[] = Object.freeze(['8601-7']);
/** SNOMED CT codes of atrial fibrillation as an ECG finding or disorder. */
export const AF_SNOMED: ReadonlySet<string> = new Set([
  '49436004',
  '282825002',
  '440059007',
  '426749004',
  '313217001',
]);
/** Pregnancy conditions (SNOMED CT, ICD-10-CM chapter O / Z33.1). */
export const PREGNANCY_CONDITION_SNOMED: ReadonlySet<string> = new Set(['77386006', '72892002', '47200007']);
export const PREGNANCY_ICD10_PREFIXES = ['Z33.1', 'Z34', 'O09'];

/** SNOMED CT codes the model reads when an Observation (not a Condition) carries them: symptoms, AF. */
export const SNOMED_OBSERVATION_CODES: readonly string[] = Object.freeze([
  ...new Set([...SYMPTOM_CODES.flatMap((s) => s.snomed), ...AF_SNOMED]),
]);
