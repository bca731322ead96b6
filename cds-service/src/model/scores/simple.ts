/**
 * Exact implementations of the small clinical equations and point scores. Each cites its source
 * in the Score builder (scores/index.ts).
 */

/**
 * CKD-EPI 2021 race-free creatinine equation (Inker et al., NEJM 2021;385:1737):
 * eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [female];
 * κ 0.7 (female) / 0.9 (male); α −0.241 (female) / −0.302 (male). Scr in mg/dL.
 */
export function ckdEpi2021(creatinineMgDl: number, age: number, sex: 'female' | 'male'): number {
  const female = sex === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const ratio = creatinineMgDl / kappa;
  return (
    142 *
    Math.pow(Math.min(ratio, 1), alpha) *
    Math.pow(Math.max(ratio, 1), -1.2) *
    Math.pow(0.9938, age) *
    (female ? 1.012 : 1)
  );
}

export type GfrCategory = 'G1' | 'G2' | 'G3a' | 'G3b' | 'G4' | 'G5';
export type AlbuminuriaCategory = 'A1' | 'A2' | 'A3';

/** KDIGO 2024 GFR category (mL/min/1.73m²): G1 ≥ 90, G2 60-89, G3a 45-59, G3b 30-44, G4 15-29, G5 < 15. */
export function kdigoGfrCategory(egfr: number): GfrCategory {
  if (egfr >= 90) return 'G1';
  if (egfr >= 60) return 'G2';
  if (egfr >= 45) return 'G3a';
  if (egfr >= 30) return 'G3b';
  if (egfr >= 15) return 'G4';
  return 'G5';
}

/** KDIGO 2024 albuminuria category by UACR (mg/g): A1 < 30, A2 30-300, A3 > 300. */
export function kdigoAlbuminuriaCategory(uacr: number): AlbuminuriaCategory {
  if (uacr < 30) return 'A1';
  if (uacr <= 300) return 'A2';
  return 'A3';
}

/** KDIGO heat-map risk for a G/A pair: low, moderate, high, very high. */
export function kdigoRisk(
  g: GfrCategory,
  a: AlbuminuriaCategory,
): 'low' | 'moderately increased' | 'high' | 'very high' {
  const gi = ['G1', 'G2', 'G3a', 'G3b', 'G4', 'G5'].indexOf(g);
  const ai = ['A1', 'A2', 'A3'].indexOf(a);
  const table = [
    [0, 1, 2],
    [0, 1, 2],
    [1, 2, 3],
    [2, 3, 3],
    [3, 3, 3],
    [3, 3, 3],
  ];
  const level = table[gi]?.[ai] ?? 3;
  return (['low', 'moderately increased', 'high', 'very high'] as const)[level] ?? 'very high';
}

/** Cockcroft-Gault creatinine clearance (mL/min): (140 − age) × weight / (72 × Scr) × 0.85 if female. */
export function cockcroftGault(
  age: number,
  weightKg: number,
  creatinineMgDl: number,
  sex: 'female' | 'male',
): number {
  return (((140 - age) * weightKg) / (72 * creatinineMgDl)) * (sex === 'female' ? 0.85 : 1);
}

export type BmiClass =
  'Underweight' | 'Healthy weight' | 'Overweight' | 'Obesity class 1' | 'Obesity class 2' | 'Obesity class 3';

/** WHO/CDC adult BMI categories. */
export function bmiClass(bmi: number): BmiClass {
  if (bmi < 18.5) return 'Underweight';
  if (bmi < 25) return 'Healthy weight';
  if (bmi < 30) return 'Overweight';
  if (bmi < 35) return 'Obesity class 1';
  if (bmi < 40) return 'Obesity class 2';
  return 'Obesity class 3';
}

export interface Cha2ds2VascInput {
  heartFailure: boolean;
  hypertension: boolean;
  age: number;
  diabetes: boolean;
  strokeTiaThromboembolism: boolean;
  vascularDisease: boolean;
  female: boolean;
}

/** CHA₂DS₂-VASc (Lip et al., Chest 2010): C1 H1 A2(≥75) D1 S2 V1 A1(65-74) Sc1 (female). */
export function cha2ds2Vasc(i: Cha2ds2VascInput): number {
  return (
    (i.heartFailure ? 1 : 0) +
    (i.hypertension ? 1 : 0) +
    (i.age >= 75 ? 2 : i.age >= 65 ? 1 : 0) +
    (i.diabetes ? 1 : 0) +
    (i.strokeTiaThromboembolism ? 2 : 0) +
    (i.vascularDisease ? 1 : 0) +
    (i.female ? 1 : 0)
  );
}

export interface HasBledInput {
  uncontrolledHypertension: boolean;
  abnormalRenal: boolean;
  abnormalLiver: boolean;
  stroke: boolean;
  bleeding: boolean;
  labileInr: boolean;
  elderly: boolean;
  drugs: boolean;
  alcohol: boolean;
}

/** HAS-BLED (Pisters et al., Chest 2010): one point per item, 0-9. */
export function hasBled(i: HasBledInput): number {
  return [
    i.uncontrolledHypertension,
    i.abnormalRenal,
    i.abnormalLiver,
    i.stroke,
    i.bleeding,
    i.labileInr,
    i.elderly,
    i.drugs,
    i.alcohol,
  ].filter(Boolean).length;
}

/** qSOFA (Seymour et al., JAMA 2016): RR ≥ 22, SBP ≤ 100, altered mentation; one point each. */
export function qsofa(i: { respRate?: number; sbp?: number; alteredMentation?: boolean }): number {
  return (
    (i.respRate !== undefined && i.respRate >= 22 ? 1 : 0) +
    (i.sbp !== undefined && i.sbp <= 100 ? 1 : 0) +
    (i.alteredMentation ? 1 : 0)
  );
}

/** SIRS criteria (Bone et al., Chest 1992): T > 38 or < 36 °C, HR > 90, RR > 20, WBC > 12 or < 4 ×10³/µL. */
export function sirs(i: {
  temperature?: number;
  heartRate?: number;
  respRate?: number;
  wbc?: number;
}): number {
  return (
    (i.temperature !== undefined && (i.temperature > 38 || i.temperature < 36) ? 1 : 0) +
    (i.heartRate !== undefined && i.heartRate > 90 ? 1 : 0) +
    (i.respRate !== undefined && i.respRate > 20 ? 1 : 0) +
    (i.wbc !== undefined && (i.wbc > 12 || i.wbc < 4) ? 1 : 0)
  );
}

/** NEWS2 points per parameter, and which parameters were measured. */
export interface News2Result {
  total: number;
  /** True when one parameter alone scores 3 (an urgent ward-based response in NEWS2). */
  singleThree: boolean;
  points: Record<'respRate' | 'spo2' | 'oxygen' | 'sbp' | 'pulse' | 'consciousness' | 'temperature', number>;
}

/**
 * NEWS2 (Royal College of Physicians 2017, chart 1, SpO2 scale 1). Each parameter scores 0-3:
 * respiration ≤ 8: 3, 9-11: 1, 12-20: 0, 21-24: 2, ≥ 25: 3; SpO2 ≤ 91: 3, 92-93: 2, 94-95: 1;
 * supplemental oxygen 2; systolic BP ≤ 90: 3, 91-100: 2, 101-110: 1, ≥ 220: 3; pulse ≤ 40: 3,
 * 41-50: 1, 91-110: 1, 111-130: 2, ≥ 131: 3; new confusion, or responding only to voice or pain,
 * or unresponsive: 3; temperature ≤ 35.0: 3, 35.1-36.0: 1, 38.1-39.0: 1, ≥ 39.1: 2. A parameter
 * not measured scores 0 (the caller says which were missing).
 */
export function news2(i: {
  respRate?: number;
  spo2?: number;
  onOxygen?: boolean;
  sbp?: number;
  pulse?: number;
  alteredConsciousness?: boolean;
  temperature?: number;
}): News2Result {
  const band = (v: number | undefined, f: (x: number) => number) => (v === undefined ? 0 : f(v));
  const points = {
    respRate: band(i.respRate, (x) => (x <= 8 ? 3 : x <= 11 ? 1 : x <= 20 ? 0 : x <= 24 ? 2 : 3)),
    spo2: band(i.spo2, (x) => (x <= 91 ? 3 : x <= 93 ? 2 : x <= 95 ? 1 : 0)),
    oxygen: i.onOxygen ? 2 : 0,
    sbp: band(i.sbp, (x) => (x <= 90 ? 3 : x <= 100 ? 2 : x <= 110 ? 1 : x <= 219 ? 0 : 3)),
    pulse: band(i.pulse, (x) => (x <= 40 ? 3 : x <= 50 ? 1 : x <= 90 ? 0 : x <= 110 ? 1 : x <= 130 ? 2 : 3)),
    consciousness: i.alteredConsciousness ? 3 : 0,
    temperature: band(i.temperature, (x) => (x <= 35 ? 3 : x <= 36 ? 1 : x <= 38 ? 0 : x <= 39 ? 1 : 2)),
  };
  const values = Object.values(points);
  return { total: values.reduce((a, b) => a + b, 0), singleThree: values.includes(3), points };
}
