/**
 * UCUM unit normalization for the analytes the model reads. Every value is converted to the
 * canonical unit listed in facts.ts (AnalyteId). Conversion factors:
 * - glucose: 1 mmol/L = 18.016 mg/dL (molar mass 180.16 g/mol)
 * - cholesterol (total, LDL, HDL): 1 mmol/L = 38.67 mg/dL (386.65 g/mol)
 * - triglycerides: 1 mmol/L = 88.57 mg/dL (885.7 g/mol, triolein)
 * - creatinine: 1 mg/dL = 88.42 µmol/L (113.12 g/mol)
 * - HbA1c: NGSP % = 0.09148 × IFCC mmol/mol + 2.152 (IFCC–NGSP master equation)
 */

/** Canonical unit per analyte; the facts contract (facts.ts) names these. */
export const CANONICAL_UNITS: Readonly<Record<string, string>> = Object.freeze({
  egfr: 'mL/min/{1.73_m2}',
  creatinine: 'mg/dL',
  uacr: 'mg/g',
  potassium: 'mmol/L',
  sodium: 'mmol/L',
  glucose: 'mg/dL',
  'glucose-fasting': 'mg/dL',
  a1c: '%',
  'total-cholesterol': 'mg/dL',
  ldl: 'mg/dL',
  hdl: 'mg/dL',
  triglycerides: 'mg/dL',
  sbp: 'mm[Hg]',
  dbp: 'mm[Hg]',
  'heart-rate': '/min',
  'resp-rate': '/min',
  temperature: 'Cel',
  spo2: '%',
  bmi: 'kg/m2',
  weight: 'kg',
  height: 'cm',
  lvef: '%',
  'nt-probnp': 'pg/mL',
  bnp: 'pg/mL',
  hemoglobin: 'g/dL',
  mcv: 'fL',
  ferritin: 'ng/mL',
  tsh: 'm[IU]/L',
  'free-t4': 'ng/dL',
  alt: 'U/L',
  ast: 'U/L',
  platelets: '10*3/uL',
  wbc: '10*3/uL',
  albumin: 'g/dL',
  inr: '{INR}',
  troponin: 'ng/L',
  'd-dimer': 'ng/mL{FEU}',
  'fev1-fvc': '%',
  'phq-9': '{score}',
  'gad-7': '{score}',
  gcs: '{score}',
});

export const GLUCOSE_MG_PER_MMOL = 18.016;
export const CHOLESTEROL_MG_PER_MMOL = 38.67;
export const TRIGLYCERIDE_MG_PER_MMOL = 88.57;
export const CREATININE_UMOL_PER_MG = 88.42;

/** IFCC HbA1c (mmol/mol) → NGSP/DCCT (%), by the IFCC–NGSP master equation. */
export function a1cIfccToNgsp(mmolPerMol: number): number {
  return 0.09148 * mmolPerMol + 2.152;
}

/** NGSP/DCCT HbA1c (%) → IFCC (mmol/mol), the inverse of the master equation. */
export function a1cNgspToIfcc(percent: number): number {
  return (percent - 2.152) / 0.09148;
}

function normalize(unit: string | undefined): string {
  return (unit ?? '')
    .trim()
    .replace(/\u00b5|\u03bc/g, 'u')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/**
 * Units already normalized: records write the same few units over and over. Bounded (emptied when
 * full) so a stream of odd units cannot grow it.
 */
const NORMALIZED = new Map<string, string>();
const NORMALIZED_MAX = 1_000;

function normUnit(unit: string | undefined): string {
  if (unit === undefined) return '';
  let u = NORMALIZED.get(unit);
  if (u === undefined) {
    u = normalize(unit);
    if (NORMALIZED.size >= NORMALIZED_MAX) NORMALIZED.clear();
    NORMALIZED.set(unit, u);
  }
  return u;
}

/** Each analyte's canonical unit, normalized once. */
const CANONICAL_NORMALIZED: ReadonlyMap<string, string> = new Map(
  Object.entries(CANONICAL_UNITS).map(([analyte, unit]) => [analyte, normalize(unit)]),
);

/**
 * Converts a value of an analyte from its stated unit to the canonical unit. Returns undefined
 * when the unit is not one the analyte can be converted from (the value is then not used, rather
 * than misread). A missing unit is taken as the canonical one.
 */
export function toCanonical(analyte: string, value: number, unit: string | undefined): number | undefined {
  const u = normUnit(unit);
  const canonical = CANONICAL_NORMALIZED.get(analyte) ?? '';
  if (u === '' || u === canonical) return value;
  switch (analyte) {
    case 'glucose':
    case 'glucose-fasting':
      if (u === 'mg/dl') return value;
      if (u === 'mmol/l') return value * GLUCOSE_MG_PER_MMOL;
      return undefined;
    case 'total-cholesterol':
    case 'ldl':
    case 'hdl':
      if (u === 'mg/dl') return value;
      if (u === 'mmol/l') return value * CHOLESTEROL_MG_PER_MMOL;
      return undefined;
    case 'triglycerides':
      if (u === 'mg/dl') return value;
      if (u === 'mmol/l') return value * TRIGLYCERIDE_MG_PER_MMOL;
      return undefined;
    case 'creatinine':
      if (u === 'mg/dl') return value;
      if (u === 'umol/l') return value / CREATININE_UMOL_PER_MG;
      return undefined;
    case 'a1c':
      if (u === '%' || u === '%{hemoglobin}' || u === '%hb') return value;
      if (u === 'mmol/mol' || u === 'mmol/mol{hb}') return a1cIfccToNgsp(value);
      return undefined;
    case 'egfr':
      // Synthea and some EHRs write mL/min for an eGFR already indexed to 1.73 m².
      if (['ml/min/{1.73_m2}', 'ml/min/1.73m2', 'ml/min/1.73_m2', 'ml/min/{1.73m2}', 'ml/min'].includes(u))
        return value;
      return undefined;
    case 'uacr':
      if (u === 'mg/g' || u === 'mg/g{creat}' || u === 'ug/mg' || u === 'ug/mg{creat}') return value;
      if (u === 'mg/mmol' || u === 'mg/mmol{creat}') return value * 8.842;
      return undefined;
    case 'potassium':
    case 'sodium':
      if (u === 'mmol/l' || u === 'meq/l') return value;
      return undefined;
    case 'sbp':
    case 'dbp':
      if (u === 'mm[hg]' || u === 'mmhg') return value;
      return undefined;
    case 'temperature':
      if (u === 'cel' || u === 'c' || u === 'degc') return value;
      if (u === '[degf]' || u === 'degf' || u === 'f') return ((value - 32) * 5) / 9;
      return undefined;
    case 'weight':
      if (u === 'kg') return value;
      if (u === '[lb_av]' || u === 'lb' || u === 'lbs') return value * 0.45359237;
      if (u === 'g') return value / 1000;
      return undefined;
    case 'height':
      if (u === 'cm') return value;
      if (u === 'm') return value * 100;
      if (u === '[in_i]' || u === 'in') return value * 2.54;
      return undefined;
    case 'hemoglobin':
    case 'albumin':
      if (u === 'g/dl') return value;
      if (u === 'g/l') return value / 10;
      return undefined;
    case 'free-t4':
      if (u === 'ng/dl') return value;
      if (u === 'pmol/l') return value / 12.87;
      return undefined;
    case 'tsh':
      if (['miu/l', 'm[iu]/l', 'uiu/ml', 'u[iu]/ml', 'miu/ml'].includes(u)) return value;
      return undefined;
    case 'alt':
    case 'ast':
      if (u === 'u/l' || u === 'iu/l' || u === '[iu]/l') return value;
      return undefined;
    case 'platelets':
    case 'wbc':
      if (['10*3/ul', '10^3/ul', 'k/ul', '10*9/l', '10^9/l', '/nl'].includes(u)) return value;
      return undefined;
    case 'heart-rate':
    case 'resp-rate':
      if (['/min', '{beats}/min', '{breaths}/min', 'bpm'].includes(u)) return value;
      return undefined;
    case 'spo2':
    case 'lvef':
    case 'fev1-fvc':
      if (u === '%') return value;
      return undefined;
    case 'bmi':
      if (u === 'kg/m2' || u === 'kg/m^2') return value;
      return undefined;
    case 'nt-probnp':
    case 'bnp':
      if (u === 'pg/ml' || u === 'ng/l') return value;
      return undefined;
    case 'ferritin':
      if (u === 'ng/ml' || u === 'ug/l') return value;
      return undefined;
    case 'mcv':
      if (u === 'fl') return value;
      return undefined;
    case 'troponin':
      if (u === 'ng/l' || u === 'pg/ml') return value;
      if (u === 'ng/ml' || u === 'ug/l') return value * 1000;
      return undefined;
    case 'd-dimer':
      if (u === 'ng/ml{feu}' || u === 'ng/ml' || u === 'ug/l{feu}' || u === 'ug/l') return value;
      if (u === 'mg/l{feu}' || u === 'mg/l' || u === 'ug/ml{feu}' || u === 'ug/ml') return value * 1000;
      return undefined;
    default:
      return ['{score}', '{inr}', '{ratio}', '1', '{#}'].includes(u) ? value : undefined;
  }
}
