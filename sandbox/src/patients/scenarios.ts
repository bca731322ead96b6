/**
 * The synthetic patients' clinical scenarios: what each one is for (summary, expected findings,
 * the model features it exercises) and how it is built. Typical, borderline and negative cases;
 * undiagnosed conditions visible only in the data; treatment gaps; order-safety scenarios for the
 * EHR's order panel (`draftOrder`); symptom-coded patients for the differential; healthy adults.
 */
import type { PatientBuilder } from './builder';
import { ALLERGEN, COND, DRUG, LAB, REACTION, STATUS_OBS, SYMPTOM, VALUE } from './catalog';

/** Model features a scenario exercises; the coverage test checks every one appears. */
export const COVERAGE_TAGS = [
  'undiagnosed-t2d',
  'prediabetes',
  'undiagnosed-ckd',
  'undiagnosed-htn',
  'ldl-190',
  'ecg-af',
  'lvef-hfref',
  'hypothyroidism',
  'hyperthyroidism',
  'iron-deficiency-anemia',
  'hyperkalemia',
  'hyponatremia',
  'aki',
  'fib4-high',
  'obesity-class-3',
  'statin-diabetes-gap',
  'statin-secondary-prevention',
  'statin-pce-borderline',
  'af-aspirin-only',
  'hfref-missing-pillars',
  'ckd-albuminuria-gap',
  'opioid-high-mme-benzo',
  'opioid-mme-50',
  'uncontrolled-htn',
  'pregnancy',
  'allergy-penicillin',
  'allergy-sulfa',
  'poor-renal-function',
  'multimorbid-older-adult',
  'draft-order',
  'order-drug-allergy',
  'order-drug-renal',
  'order-drug-drug',
  'order-drug-condition',
  'order-duplicate',
  'order-pregnancy',
  'symptom-dyspnea',
  'symptom-edema',
  'symptom-orthopnea',
  'symptom-fever',
  'symptom-cough',
  'symptom-chest-pain',
  'sepsis-screen',
  'borderline',
  'negative-treated',
  'healthy',
  'cha2ds2vasc',
  'pce-risk',
  'cockcroft-gault',
  'smoker',
] as const;
export type CoverageTag = (typeof COVERAGE_TAGS)[number];

export interface DraftOrderHint {
  /** RxNorm ingredient RXCUI and name of the medication to order in the EHR's order panel. */
  rxnorm: string;
  medication: string;
  /** What the order-safety check should say. */
  expect: string;
}

export interface ScenarioDefinition {
  id: string;
  gender: 'male' | 'female';
  age: number;
  summary: string;
  expectedFindings: string[];
  coverage: CoverageTag[];
  draftOrder?: DraftOrderHint;
  build(b: PatientBuilder): void;
}

/** Height, weight, BMI, heart rate and smoking status at a visit. */
function vitals(
  b: PatientBuilder,
  daysAgo: number,
  o: { heightCm: number; bmi: number; hr?: number; smoker?: 'current' | 'never' | 'former' },
): void {
  const weight = Number(((o.bmi * o.heightCm * o.heightCm) / 10_000).toFixed(1));
  b.obs(LAB.height, o.heightCm, daysAgo, { jitter: 0 });
  b.obs(LAB.weight, weight, daysAgo);
  b.obs(LAB.bmi, o.bmi, daysAgo);
  b.obs(LAB.heartRate, o.hr ?? 72, daysAgo, { jitter: 4 });
  const smoking =
    o.smoker === 'current' ? VALUE.currentSmoker : o.smoker === 'former' ? VALUE.exSmoker : VALUE.neverSmoker;
  b.codedObs(STATUS_OBS.smoking, smoking, daysAgo);
}

function lipids(
  b: PatientBuilder,
  daysAgo: number,
  total: number,
  hdl: number,
  ldl: number,
  tg: number,
): void {
  b.obs(LAB.cholesterol, total, daysAgo);
  b.obs(LAB.hdl, hdl, daysAgo);
  b.obs(LAB.ldl, ldl, daysAgo);
  b.obs(LAB.triglycerides, tg, daysAgo);
}

function renal(
  b: PatientBuilder,
  daysAgo: number,
  egfr: number,
  creatinine: number,
  potassium = 4.3,
  sodium = 139,
): void {
  b.obs(LAB.egfr, egfr, daysAgo);
  b.obs(LAB.creatinine, creatinine, daysAgo);
  b.obs(LAB.potassium, potassium, daysAgo);
  b.obs(LAB.sodium, sodium, daysAgo);
}

const d = (s: ScenarioDefinition): ScenarioDefinition => s;

export const SCENARIO_DEFINITIONS: readonly ScenarioDefinition[] = [
  d({
    id: 'rat-001',
    gender: 'female',
    age: 58,
    summary: 'A1c 7.1 % and 6.8 % four months apart, fasting glucose 138; no diabetes on the problem list',
    expectedFindings: [
      'Possible type 2 diabetes (A1c 7.1 and 6.8)',
      'Statin for diabetes age 40-75 once diagnosed',
    ],
    coverage: ['undiagnosed-t2d'],
    build(b) {
      vitals(b, 125, { heightCm: 163, bmi: 31.6 });
      b.bp(128, 79, 125);
      b.obs(LAB.a1c, 7.1, 125);
      b.obs(LAB.glucose, 138, 125);
      b.obs(LAB.a1c, 6.8, 8);
      renal(b, 8, 88, 0.78);
      lipids(b, 8, 214, 48, 132, 170);
      b.condition(COND.osteoarthritisKnee, { onsetDaysAgo: 1400 });
    },
  }),
  d({
    id: 'rat-002',
    gender: 'male',
    age: 67,
    summary:
      'eGFR 52 then 49 four months apart, UACR 45 mg/g; no CKD on the problem list; hypertension on amlodipine',
    expectedFindings: [
      'Possible CKD G3a A2 (eGFR 52 and 49, 4 months apart)',
      'ACE inhibitor or ARB for albuminuria',
      'Statin: age >= 50 with eGFR < 60',
    ],
    coverage: ['undiagnosed-ckd', 'cockcroft-gault'],
    build(b) {
      b.condition(COND.htn, { onsetDaysAgo: 2900 });
      b.med(DRUG.amlodipine10, { startedDaysAgo: 1500 });
      vitals(b, 128, { heightCm: 176, bmi: 28.4, smoker: 'former' });
      b.bp(134, 82, 128);
      renal(b, 128, 52, 1.45);
      b.obs(LAB.uacr, 45, 128);
      renal(b, 6, 49, 1.52);
      b.obs(LAB.uacr, 51, 6);
      lipids(b, 6, 198, 44, 122, 160);
    },
  }),
  d({
    id: 'rat-003',
    gender: 'male',
    age: 49,
    summary:
      'Blood pressure 150/95 at two visits seven weeks apart; no hypertension on the problem list, no treatment',
    expectedFindings: ['Possible stage 2 hypertension (150/95 twice)', 'Start antihypertensive treatment'],
    coverage: ['undiagnosed-htn', 'pce-risk'],
    build(b) {
      vitals(b, 52, { heightCm: 181, bmi: 27.1 });
      b.bp(150, 95, 52);
      b.bp(151, 95, 3);
      renal(b, 3, 94, 0.95);
      lipids(b, 3, 201, 46, 128, 135);
      b.obs(LAB.a1c, 5.5, 3);
    },
  }),
  d({
    id: 'rat-004',
    gender: 'female',
    age: 38,
    summary: 'LDL 205 mg/dL, total cholesterol 291, no statin: familial hypercholesterolemia pattern',
    expectedFindings: ['LDL >= 190: high-intensity statin', 'Possible familial hypercholesterolemia'],
    coverage: ['ldl-190'],
    build(b) {
      vitals(b, 20, { heightCm: 168, bmi: 23.4 });
      b.bp(118, 74, 20);
      lipids(b, 20, 291, 58, 205, 140);
      lipids(b, 400, 284, 55, 199, 150);
    },
  }),
  d({
    id: 'rat-005',
    gender: 'male',
    age: 72,
    summary:
      'ECG shows atrial fibrillation with heart rate 112 and palpitations; AF not on the problem list; hypertension and diabetes (CHA2DS2-VASc 3)',
    expectedFindings: ['Possible atrial fibrillation (ECG)', 'CHA2DS2-VASc 3: oral anticoagulation (DOAC)'],
    coverage: ['ecg-af', 'cha2ds2vasc'],
    build(b) {
      b.condition(COND.htn, { onsetDaysAgo: 4000 });
      b.condition(COND.t2d, { onsetDaysAgo: 2500 });
      b.med(DRUG.lisinopril10, { startedDaysAgo: 3000 });
      b.med(DRUG.metformin, { startedDaysAgo: 2400 });
      b.med(DRUG.atorvastatin40, { startedDaysAgo: 2300 });
      vitals(b, 4, { heightCm: 174, bmi: 29.0, hr: 112 });
      b.bp(138, 84, 4);
      b.symptom(SYMPTOM.palpitations, 4);
      b.codedObs(STATUS_OBS.ecg, VALUE.afOnEcg, 4);
      renal(b, 4, 71, 1.06);
      b.obs(LAB.a1c, 7.0, 4);
    },
  }),
  d({
    id: 'rat-006',
    gender: 'male',
    age: 64,
    summary: 'Echo LVEF 30 %, NT-proBNP 1850, dyspnea and ankle edema; no heart failure on the problem list',
    expectedFindings: [
      'Possible heart failure with reduced EF (LVEF 30 %)',
      'Start HFrEF therapy (ARNI/ACEi, beta-blocker, MRA, SGLT2i)',
    ],
    coverage: ['lvef-hfref', 'symptom-dyspnea', 'symptom-edema'],
    build(b) {
      b.condition(COND.htn, { onsetDaysAgo: 3000 });
      b.med(DRUG.amlodipine5, { startedDaysAgo: 2000 });
      vitals(b, 10, { heightCm: 178, bmi: 30.2, hr: 94 });
      b.bp(132, 80, 10);
      b.symptom(SYMPTOM.dyspnea, 10);
      b.symptom(SYMPTOM.edema, 10);
      b.obs(LAB.ntprobnp, 1850, 10);
      b.obs(LAB.lvef, 30, 7);
      renal(b, 10, 68, 1.15, 4.4);
    },
  }),
  d({
    id: 'rat-007',
    gender: 'female',
    age: 52,
    summary: 'TSH 9.5 with free T4 0.7, fatigue; no thyroid disease recorded',
    expectedFindings: ['Possible hypothyroidism (TSH 9.5, low free T4)'],
    coverage: ['hypothyroidism'],
    build(b) {
      vitals(b, 15, { heightCm: 160, bmi: 27.3, hr: 61 });
      b.bp(124, 78, 15);
      b.symptom(SYMPTOM.fatigue, 15);
      b.obs(LAB.tsh, 9.5, 15);
      b.obs(LAB.freeT4, 0.7, 15);
      lipids(b, 15, 236, 52, 152, 160);
    },
  }),
  d({
    id: 'rat-008',
    gender: 'female',
    age: 41,
    summary:
      'Ferritin 8, hemoglobin 10.1, MCV 72, fatigue: microcytic anemia with iron deficiency, not recorded',
    expectedFindings: ['Possible iron-deficiency anemia (ferritin 8, Hb 10.1, MCV 72)'],
    coverage: ['iron-deficiency-anemia'],
    build(b) {
      vitals(b, 9, { heightCm: 165, bmi: 22.8, hr: 88 });
      b.bp(112, 70, 9);
      b.symptom(SYMPTOM.fatigue, 9);
      b.obs(LAB.hemoglobin, 10.1, 9);
      b.obs(LAB.mcv, 72, 9);
      b.obs(LAB.ferritin, 8, 9);
      b.obs(LAB.platelets, 410, 9);
    },
  }),
  d({
    id: 'rat-009',
    gender: 'male',
    age: 70,
    summary: 'Potassium 5.9 on lisinopril and spironolactone, CKD G3b (eGFR 38)',
    expectedFindings: ['Hyperkalemia (K 5.9)', 'Review lisinopril and spironolactone'],
    coverage: ['hyperkalemia', 'poor-renal-function'],
    build(b) {
      b.condition(COND.ckd3b, { onsetDaysAgo: 1200 });
      b.condition(COND.htn, { onsetDaysAgo: 3500 });
      b.med(DRUG.lisinopril40, { startedDaysAgo: 1500 });
      b.med(DRUG.spironolactone25, { startedDaysAgo: 90 });
      b.med(DRUG.atorvastatin40, { startedDaysAgo: 1100 });
      vitals(b, 3, { heightCm: 172, bmi: 27.9 });
      b.bp(128, 76, 3);
      renal(b, 180, 40, 1.78, 4.8);
      renal(b, 3, 38, 1.86, 5.9);
      b.obs(LAB.uacr, 120, 180);
    },
  }),
  d({
    id: 'rat-010',
    gender: 'female',
    age: 79,
    summary: 'Sodium 128 on hydrochlorothiazide and sertraline',
    expectedFindings: ['Hyponatremia (Na 128)', 'Thiazide and SSRI as possible causes'],
    coverage: ['hyponatremia'],
    build(b) {
      b.condition(COND.htn, { onsetDaysAgo: 5000 });
      b.condition(COND.depression, { onsetDaysAgo: 900 });
      b.med(DRUG.hctz25, { startedDaysAgo: 2000 });
      b.med(DRUG.sertraline50, { startedDaysAgo: 600 });
      vitals(b, 5, { heightCm: 157, bmi: 24.1 });
      b.bp(126, 72, 5);
      renal(b, 200, 66, 0.86, 4.0, 135);
      renal(b, 5, 64, 0.88, 3.9, 128);
      b.symptom(SYMPTOM.fatigue, 5);
    },
  }),
  d({
    id: 'rat-011',
    gender: 'male',
    age: 66,
    summary:
      'Inpatient: creatinine 1.0 then 1.6 within 36 hours (KDIGO stage 1 AKI) while on ibuprofen and lisinopril',
    expectedFindings: ['Acute kidney injury (creatinine 1.0 -> 1.6 in 36 h)', 'Stop the NSAID'],
    coverage: ['aki'],
    build(b) {
      b.condition(COND.htn, { onsetDaysAgo: 2500 });
      b.condition(COND.osteoarthritisKnee, { onsetDaysAgo: 1200 });
      b.med(DRUG.lisinopril10, { startedDaysAgo: 2000 });
      b.med(DRUG.ibuprofen600, { startedDaysAgo: 20 });
      vitals(b, 300, { heightCm: 179, bmi: 26.5 });
      renal(b, 300, 82, 0.98);
      b.encounter(3, 'IMP', 'Vomiting and poor oral intake');
      b.obs(LAB.creatinine, 1.0, 0, { hoursAgo: 60, encounterDaysAgo: 3, inpatient: true });
      b.obs(LAB.creatinine, 1.6, 0, { hoursAgo: 24, encounterDaysAgo: 3, inpatient: true });
      b.obs(LAB.potassium, 4.9, 0, { hoursAgo: 24, encounterDaysAgo: 3, inpatient: true });
    },
  }),
  d({
    id: 'rat-012',
    gender: 'male',
    age: 61,
    summary:
      'AST 78, ALT 52, platelets 120 at age 61: FIB-4 about 5.5 (> 2.67) with obesity and diabetes; no liver disease recorded',
    expectedFindings: ['FIB-4 > 2.67: advanced fibrosis risk (MASLD)', 'Refer for elastography'],
    coverage: ['fib4-high'],
    build(b) {
      b.condition(COND.t2d, { onsetDaysAgo: 2200 });
      b.med(DRUG.metformin, { startedDaysAgo: 2100 });
      b.med(DRUG.atorvastatin40, { startedDaysAgo: 2000 });
      vitals(b, 12, { heightCm: 177, bmi: 34.2 });
      b.bp(129, 81, 12);
      b.obs(LAB.ast, 78, 12);
      b.obs(LAB.alt, 52, 12);
      b.obs(LAB.platelets, 120, 12);
      b.obs(LAB.albumin, 3.8, 12);
      b.obs(LAB.a1c, 7.2, 12);
      renal(b, 12, 84, 0.98);
    },
  }),
  d({
    id: 'rat-013',
    gender: 'female',
    age: 45,
    summary: 'BMI 41.2 (class 3 obesity) with no obesity on the problem list',
    expectedFindings: ['Obesity class 3 (BMI 41.2)'],
    coverage: ['obesity-class-3'],
    build(b) {
      vitals(b, 400, { heightCm: 165, bmi: 39.8 });
      vitals(b, 14, { heightCm: 165, bmi: 41.2 });
      b.bp(128, 78, 14);
      b.obs(LAB.a1c, 5.8, 14);
      lipids(b, 14, 188, 42, 110, 180);
    },
  }),
  d({
    id: 'rat-014',
    gender: 'male',
    age: 56,
    summary: 'Type 2 diabetes on metformin, A1c 7.6, LDL 128, no statin',
    expectedFindings: ['Diabetes age 40-75 without statin: moderate-intensity statin'],
    coverage: ['statin-diabetes-gap'],
    build(b) {
      b.condition(COND.t2d, { onsetDaysAgo: 1800 });
      b.med(DRUG.metformin, { startedDaysAgo: 1700 });
      vitals(b, 30, { heightCm: 180, bmi: 30.4 });
      b.bp(126, 78, 30);
      b.obs(LAB.a1c, 7.6, 30);
      lipids(b, 30, 206, 41, 128, 185);
      renal(b, 30, 90, 0.92);
      b.obs(LAB.uacr, 12, 30);
    },
  }),
  d({
    id: 'rat-015',
    gender: 'female',
    age: 76,
    summary: 'Atrial fibrillation and hypertension, age 76 (CHA2DS2-VASc 4) on aspirin alone',
    expectedFindings: ['AF with CHA2DS2-VASc 4 on aspirin only: start a DOAC (aspirin is not a substitute)'],
    coverage: ['af-aspirin-only', 'cha2ds2vasc', 'cockcroft-gault'],
    build(b) {
      b.condition(COND.af, { onsetDaysAgo: 900 });
      b.condition(COND.htn, { onsetDaysAgo: 4000 });
      b.med(DRUG.aspirin81, { startedDaysAgo: 880 });
      b.med(DRUG.metoprololSucc50, { startedDaysAgo: 880 });
      b.med(DRUG.losartan50, { startedDaysAgo: 3000 });
      vitals(b, 20, { heightCm: 160, bmi: 25.8, hr: 78 });
      b.bp(134, 76, 20);
      renal(b, 20, 64, 0.88);
      b.obs(LAB.hemoglobin, 13.1, 20);
    },
  }),
  d({
    id: 'rat-016',
    gender: 'male',
    age: 68,
    summary: 'HFrEF (LVEF 28 %) on lisinopril and metoprolol succinate only: no ARNI, MRA or SGLT2 inhibitor',
    expectedFindings: ['HFrEF missing pillars: MRA, SGLT2 inhibitor; consider switching ACEi to ARNI'],
    coverage: ['hfref-missing-pillars', 'draft-order', 'order-drug-condition'],
    draftOrder: {
      rxnorm: '3443',
      medication: 'diltiazem',
      expect: 'Non-dihydropyridine calcium-channel blocker in HFrEF: avoid',
    },
    build(b) {
      b.condition(COND.hfref, { onsetDaysAgo: 700 });
      b.condition(COND.cad, { onsetDaysAgo: 1500 });
      b.med(DRUG.lisinopril10, { startedDaysAgo: 690 });
      b.med(DRUG.metoprololSucc50, { startedDaysAgo: 690 });
      b.med(DRUG.furosemide40, { startedDaysAgo: 690 });
      b.med(DRUG.atorvastatin80, { startedDaysAgo: 1400 });
      b.med(DRUG.aspirin81, { startedDaysAgo: 1400 });
      vitals(b, 25, { heightCm: 175, bmi: 27.7, hr: 70 });
      b.bp(118, 72, 25);
      b.obs(LAB.lvef, 28, 200);
      b.obs(LAB.ntprobnp, 1120, 25);
      renal(b, 25, 58, 1.3, 4.4);
    },
  }),
  d({
    id: 'rat-017',
    gender: 'female',
    age: 59,
    summary: 'CKD G3a with UACR 350 and 380 mg/g (A3), no ACE inhibitor, ARB or SGLT2 inhibitor; no diabetes',
    expectedFindings: ['ACE inhibitor or ARB for UACR >= 300', 'SGLT2 inhibitor for CKD with UACR >= 200'],
    coverage: ['ckd-albuminuria-gap'],
    build(b) {
      b.condition(COND.ckd3a, { onsetDaysAgo: 800 });
      b.condition(COND.htn, { onsetDaysAgo: 2000 });
      b.med(DRUG.amlodipine10, { startedDaysAgo: 1900 });
      b.med(DRUG.atorvastatin40, { startedDaysAgo: 700 });
      vitals(b, 16, { heightCm: 162, bmi: 28.8 });
      b.bp(136, 84, 16);
      renal(b, 190, 48, 1.24);
      b.obs(LAB.uacr, 350, 190);
      renal(b, 16, 46, 1.28);
      b.obs(LAB.uacr, 380, 16);
    },
  }),
  d({
    id: 'rat-018',
    gender: 'male',
    age: 54,
    summary:
      'Chronic low back pain on oxycodone 20 mg four times daily (120 MME/day) with alprazolam; no naloxone',
    expectedFindings: [
      'Opioid >= 90 MME/day: reassess and taper',
      'Opioid with benzodiazepine: avoid',
      'Offer naloxone',
    ],
    coverage: ['opioid-high-mme-benzo', 'smoker'],
    build(b) {
      b.condition(COND.lowBackPain, { onsetDaysAgo: 1600 });
      b.condition(COND.chronicPain, { onsetDaysAgo: 1500 });
      b.condition(COND.anxiety, { onsetDaysAgo: 1000 });
      b.med(DRUG.oxycodone20, { startedDaysAgo: 300 });
      b.med(DRUG.alprazolam1, { startedDaysAgo: 250 });
      b.med(DRUG.gabapentin300, { startedDaysAgo: 500 });
      vitals(b, 10, { heightCm: 183, bmi: 29.3, smoker: 'current' });
      b.bp(132, 84, 10);
      renal(b, 10, 95, 0.9);
    },
  }),
  d({
    id: 'rat-019',
    gender: 'female',
    age: 63,
    summary: 'Hypertension on amlodipine 10 and lisinopril 40 with BP 162/98 and 158/96: uncontrolled',
    expectedFindings: ['Uncontrolled hypertension (target < 130/80): add a thiazide-like diuretic'],
    coverage: ['uncontrolled-htn'],
    build(b) {
      b.condition(COND.htn, { onsetDaysAgo: 3600 });
      b.med(DRUG.amlodipine10, { startedDaysAgo: 700 });
      b.med(DRUG.lisinopril40, { startedDaysAgo: 900 });
      vitals(b, 60, { heightCm: 164, bmi: 29.7 });
      b.bp(162, 98, 60);
      b.bp(158, 96, 5);
      renal(b, 5, 79, 0.82);
      lipids(b, 60, 188, 55, 108, 125);
    },
  }),
  d({
    id: 'rat-020',
    gender: 'male',
    age: 71,
    summary:
      'Atrial fibrillation on warfarin (INR 2.5). Order panel: ibuprofen → warfarin–NSAID bleeding interaction',
    expectedFindings: [
      'Draft ibuprofen: high-severity interaction with warfarin (bleeding); acetaminophen instead',
      'Consider DOAC over warfarin',
    ],
    coverage: ['draft-order', 'order-drug-drug', 'cha2ds2vasc'],
    draftOrder: {
      rxnorm: '5640',
      medication: 'ibuprofen',
      expect: 'Warfarin + NSAID: major bleeding risk; suggest acetaminophen',
    },
    build(b) {
      b.condition(COND.af, { onsetDaysAgo: 2100 });
      b.condition(COND.htn, { onsetDaysAgo: 4200 });
      b.condition(COND.osteoarthritisKnee, { onsetDaysAgo: 1500 });
      b.med(DRUG.warfarin5, { startedDaysAgo: 2000 });
      b.med(DRUG.lisinopril10, { startedDaysAgo: 4000 });
      vitals(b, 14, { heightCm: 177, bmi: 27.0 });
      b.bp(128, 78, 14);
      b.obs(LAB.inr, 2.5, 14);
      b.obs(LAB.inr, 2.8, 45);
      renal(b, 14, 72, 1.04);
    },
  }),
  d({
    id: 'rat-021',
    gender: 'female',
    age: 74,
    summary:
      'CKD stage 4 (eGFR 26 then 25) and type 2 diabetes on insulin. Order panel: metformin → contraindicated below eGFR 30',
    expectedFindings: ['Draft metformin: contraindicated at eGFR 25', 'Poor renal function: dose checks'],
    coverage: ['poor-renal-function', 'draft-order', 'order-drug-renal', 'cockcroft-gault'],
    draftOrder: {
      rxnorm: '6809',
      medication: 'metformin',
      expect: 'Metformin contraindicated with eGFR < 30',
    },
    build(b) {
      b.condition(COND.ckd4, { onsetDaysAgo: 500 });
      b.condition(COND.t2d, { onsetDaysAgo: 5000 });
      b.condition(COND.htn, { onsetDaysAgo: 5200 });
      b.med(DRUG.insulinGlargine, { startedDaysAgo: 480 });
      b.med(DRUG.losartan50, { startedDaysAgo: 1200 });
      b.med(DRUG.atorvastatin40, { startedDaysAgo: 2000 });
      b.med(DRUG.dapagliflozin10, { startedDaysAgo: 300 });
      vitals(b, 11, { heightCm: 158, bmi: 26.4 });
      b.bp(132, 74, 11);
      renal(b, 130, 26, 1.98, 4.9);
      renal(b, 11, 25, 2.05, 5.0);
      b.obs(LAB.uacr, 260, 11);
      b.obs(LAB.a1c, 7.4, 11);
      b.obs(LAB.hemoglobin, 10.9, 11);
    },
  }),
  d({
    id: 'rat-022',
    gender: 'female',
    age: 34,
    summary:
      'Penicillin allergy (anaphylaxis) with acute sinusitis and fever. Order panel: amoxicillin → drug–allergy',
    expectedFindings: [
      'Draft amoxicillin: penicillin allergy (anaphylaxis); suggest a non-beta-lactam such as doxycycline',
    ],
    coverage: ['allergy-penicillin', 'draft-order', 'order-drug-allergy', 'symptom-fever'],
    draftOrder: { rxnorm: '723', medication: 'amoxicillin', expect: 'Penicillin allergy, high criticality' },
    build(b) {
      b.allergy(ALLERGEN.penicillin, { criticality: 'high', reaction: REACTION.anaphylaxis });
      b.condition(COND.sinusitis, { onsetDaysAgo: 2, category: 'encounter-diagnosis' });
      b.symptom(SYMPTOM.fever, 2);
      vitals(b, 2, { heightCm: 167, bmi: 22.1, hr: 92 });
      b.obs(LAB.temperature, 38.3, 2);
      b.bp(116, 72, 2);
    },
  }),
  d({
    id: 'rat-023',
    gender: 'female',
    age: 31,
    summary:
      'Pregnant, 20 weeks, BP 146/94. Order panel: lisinopril → contraindicated in pregnancy (labetalol or nifedipine instead)',
    expectedFindings: [
      'Draft lisinopril: ACE inhibitors are contraindicated in pregnancy; suggest labetalol',
      'Pregnancy: statin suppressed',
    ],
    coverage: ['pregnancy', 'draft-order', 'order-pregnancy'],
    draftOrder: {
      rxnorm: '29046',
      medication: 'lisinopril',
      expect: 'ACE inhibitor in pregnancy (fetotoxic)',
    },
    build(b) {
      b.condition(COND.pregnancy, { onsetDaysAgo: 140 });
      b.codedObs(STATUS_OBS.pregnancy, VALUE.pregnant, 3);
      b.med(DRUG.prenatal, { startedDaysAgo: 130 });
      vitals(b, 3, { heightCm: 166, bmi: 26.0, hr: 86 });
      b.bp(146, 94, 3);
      b.bp(142, 92, 17);
      renal(b, 3, 118, 0.58);
    },
  }),
  d({
    id: 'rat-024',
    gender: 'male',
    age: 60,
    summary:
      'On clarithromycin for pneumonia; hyperlipidemia untreated. Order panel: simvastatin → contraindicated with clarithromycin (CYP3A4)',
    expectedFindings: [
      'Draft simvastatin: strong CYP3A4 inhibitor clarithromycin (rhabdomyolysis); suggest rosuvastatin or pravastatin',
    ],
    coverage: ['draft-order', 'order-drug-drug', 'statin-pce-borderline'],
    draftOrder: {
      rxnorm: '36567',
      medication: 'simvastatin',
      expect: 'Simvastatin + clarithromycin: contraindicated',
    },
    build(b) {
      b.condition(COND.hyperlipidemia, { onsetDaysAgo: 200 });
      b.condition(COND.pneumonia, { onsetDaysAgo: 3, category: 'encounter-diagnosis' });
      b.med(DRUG.clarithromycin500, { startedDaysAgo: 3 });
      vitals(b, 3, { heightCm: 176, bmi: 26.9, hr: 84 });
      b.bp(131, 80, 3);
      lipids(b, 200, 238, 44, 162, 160);
      renal(b, 3, 86, 0.96);
    },
  }),
  d({
    id: 'rat-025',
    gender: 'female',
    age: 45,
    summary:
      'Sulfonamide antibiotic allergy (hives) with an uncomplicated UTI. Order panel: sulfamethoxazole-trimethoprim → drug–allergy (nitrofurantoin instead)',
    expectedFindings: ['Draft TMP-SMX: sulfonamide antibiotic allergy; suggest nitrofurantoin'],
    coverage: ['allergy-sulfa', 'draft-order', 'order-drug-allergy'],
    draftOrder: {
      rxnorm: '10180',
      medication: 'sulfamethoxazole-trimethoprim',
      expect: 'Sulfonamide antibiotic allergy',
    },
    build(b) {
      b.allergy(ALLERGEN.sulfonamide, { criticality: 'low', reaction: REACTION.hives });
      b.condition(COND.uti, { onsetDaysAgo: 1, category: 'encounter-diagnosis' });
      b.symptom(SYMPTOM.dysuria, 1);
      vitals(b, 1, { heightCm: 163, bmi: 24.9 });
      b.bp(118, 76, 1);
      renal(b, 400, 98, 0.74);
    },
  }),
  d({
    id: 'rat-026',
    gender: 'male',
    age: 66,
    summary: 'Hyperlipidemia on atorvastatin 40. Order panel: rosuvastatin → duplicate statin therapy',
    expectedFindings: ['Draft rosuvastatin: duplicate therapy with atorvastatin'],
    coverage: ['draft-order', 'order-duplicate', 'negative-treated'],
    draftOrder: { rxnorm: '301542', medication: 'rosuvastatin', expect: 'Duplicate statin' },
    build(b) {
      b.condition(COND.hyperlipidemia, { onsetDaysAgo: 2000 });
      b.med(DRUG.atorvastatin40, { startedDaysAgo: 1900 });
      vitals(b, 40, { heightCm: 174, bmi: 26.1 });
      b.bp(124, 76, 40);
      lipids(b, 40, 172, 48, 96, 140);
      renal(b, 40, 80, 0.98);
    },
  }),
  d({
    id: 'rat-027',
    gender: 'male',
    age: 69,
    summary:
      'Prior GI bleed, coronary disease on clopidogrel. Order panel: naproxen → NSAID after GI hemorrhage and with an antiplatelet',
    expectedFindings: ['Draft naproxen: history of GI bleeding and clopidogrel; acetaminophen instead'],
    coverage: ['draft-order', 'order-drug-condition', 'statin-secondary-prevention'],
    draftOrder: {
      rxnorm: '7258',
      medication: 'naproxen',
      expect: 'NSAID with prior GI bleed and antiplatelet',
    },
    build(b) {
      b.condition(COND.giBleed, { onsetDaysAgo: 400, status: 'resolved' });
      b.condition(COND.cad, { onsetDaysAgo: 1800 });
      b.condition(COND.osteoarthritisKnee, { onsetDaysAgo: 1200 });
      b.med(DRUG.clopidogrel75, { startedDaysAgo: 1700 });
      b.med(DRUG.atorvastatin80, { startedDaysAgo: 1700 });
      b.med(DRUG.omeprazole20, { startedDaysAgo: 390 });
      vitals(b, 18, { heightCm: 171, bmi: 27.5 });
      b.bp(126, 74, 18);
      b.obs(LAB.hemoglobin, 13.4, 18);
      renal(b, 18, 74, 1.02);
    },
  }),
  d({
    id: 'rat-028',
    gender: 'female',
    age: 74,
    summary: 'Dyspnea, orthopnea and leg edema with weight gain, NT-proBNP 2400, no echo yet',
    expectedFindings: ['Heart failure leads the differential', 'Next best test: echocardiogram (LVEF)'],
    coverage: ['symptom-dyspnea', 'symptom-orthopnea', 'symptom-edema'],
    build(b) {
      b.condition(COND.htn, { onsetDaysAgo: 3000 });
      b.med(DRUG.amlodipine10, { startedDaysAgo: 2500 });
      vitals(b, 90, { heightCm: 158, bmi: 29.4 });
      vitals(b, 2, { heightCm: 158, bmi: 31.1, hr: 98 });
      b.bp(148, 86, 2);
      b.symptom(SYMPTOM.dyspnea, 2);
      b.symptom(SYMPTOM.orthopnea, 2);
      b.symptom(SYMPTOM.pnd, 2);
      b.symptom(SYMPTOM.edema, 2);
      b.obs(LAB.ntprobnp, 2400, 2);
      b.obs(LAB.spo2, 93, 2);
      renal(b, 2, 61, 0.92);
    },
  }),
  d({
    id: 'rat-029',
    gender: 'male',
    age: 58,
    summary:
      'Fever 38.9, cough and dyspnea with RR 24, HR 108, SBP 98, SpO2 91 and WBC 15.2: pneumonia in the differential; qSOFA and SIRS positive (information only)',
    expectedFindings: ['Pneumonia leads the differential', 'qSOFA 2 and SIRS positive (informational)'],
    coverage: ['symptom-fever', 'symptom-cough', 'symptom-dyspnea', 'sepsis-screen', 'smoker'],
    build(b) {
      b.symptom(SYMPTOM.fever, 1);
      b.symptom(SYMPTOM.cough, 1);
      b.symptom(SYMPTOM.dyspnea, 1);
      vitals(b, 1, { heightCm: 180, bmi: 25.3, hr: 108, smoker: 'current' });
      b.obs(LAB.temperature, 38.9, 1);
      b.obs(LAB.respRate, 24, 1);
      b.obs(LAB.spo2, 91, 1);
      b.bp(98, 60, 1);
      b.obs(LAB.wbc, 15.2, 1);
      renal(b, 1, 88, 1.0);
    },
  }),
  d({
    id: 'rat-030',
    gender: 'male',
    age: 61,
    summary: 'Chest pain in a smoker with hypertension and hyperlipidemia on a statin',
    expectedFindings: [
      'Chest pain differential (coronary disease, reflux, musculoskeletal)',
      'ECG and troponin as next tests',
    ],
    coverage: ['symptom-chest-pain', 'smoker'],
    build(b) {
      b.condition(COND.htn, { onsetDaysAgo: 2000 });
      b.condition(COND.hyperlipidemia, { onsetDaysAgo: 2000 });
      b.med(DRUG.lisinopril10, { startedDaysAgo: 1900 });
      b.med(DRUG.atorvastatin40, { startedDaysAgo: 1900 });
      b.symptom(SYMPTOM.chestPain, 0);
      vitals(b, 0, { heightCm: 175, bmi: 28.6, hr: 90, smoker: 'current' });
      b.bp(144, 88, 0);
      lipids(b, 120, 190, 38, 112, 200);
      renal(b, 120, 82, 1.0);
    },
  }),
  d({
    id: 'rat-031',
    gender: 'female',
    age: 36,
    summary: 'Palpitations with TSH 0.05 and free T4 3.1; no thyroid disease recorded',
    expectedFindings: ['Possible hyperthyroidism (TSH 0.05, free T4 3.1)'],
    coverage: ['hyperthyroidism'],
    build(b) {
      b.symptom(SYMPTOM.palpitations, 6);
      vitals(b, 6, { heightCm: 170, bmi: 20.1, hr: 108 });
      b.bp(132, 70, 6);
      b.obs(LAB.tsh, 0.05, 6);
      b.obs(LAB.freeT4, 3.1, 6);
      b.codedObs(STATUS_OBS.ecg, VALUE.sinusRhythm, 6);
    },
  }),
  d({
    id: 'rat-032',
    gender: 'female',
    age: 82,
    summary:
      'Multimorbid: type 2 diabetes, hypertension, CKD G3b, AF on apixaban 2.5 mg, osteoarthritis, gout; ten medications',
    expectedFindings: [
      'CKD G3b with diabetes: SGLT2 inhibitor',
      'Apixaban dose check (age >= 80, creatinine)',
      'Statin continues',
    ],
    coverage: ['multimorbid-older-adult', 'poor-renal-function', 'cockcroft-gault', 'cha2ds2vasc'],
    build(b) {
      b.condition(COND.t2d, { onsetDaysAgo: 6000 });
      b.condition(COND.htn, { onsetDaysAgo: 8000 });
      b.condition(COND.ckd3b, { onsetDaysAgo: 1400 });
      b.condition(COND.af, { onsetDaysAgo: 1100 });
      b.condition(COND.osteoarthritisKnee, { onsetDaysAgo: 4000 });
      b.condition(COND.gout, { onsetDaysAgo: 2500 });
      b.med(DRUG.metformin, { startedDaysAgo: 5000 });
      b.med(DRUG.glipizide5, { startedDaysAgo: 3000 });
      b.med(DRUG.losartan50, { startedDaysAgo: 4000 });
      b.med(DRUG.amlodipine5, { startedDaysAgo: 3000 });
      b.med(DRUG.apixaban25, { startedDaysAgo: 1000 });
      b.med(DRUG.metoprololTart25, { startedDaysAgo: 1000 });
      b.med(DRUG.atorvastatin40, { startedDaysAgo: 4000 });
      b.med(DRUG.allopurinol300, { startedDaysAgo: 2400 });
      b.med(DRUG.acetaminophen500, { startedDaysAgo: 900 });
      b.med(DRUG.omeprazole20, { startedDaysAgo: 1500 });
      vitals(b, 30, { heightCm: 155, bmi: 24.6, hr: 76 });
      b.bp(138, 72, 30);
      renal(b, 200, 36, 1.42, 4.7);
      renal(b, 30, 34, 1.5, 4.8);
      b.obs(LAB.uacr, 85, 30);
      b.obs(LAB.a1c, 7.8, 30);
      b.obs(LAB.hemoglobin, 11.6, 30);
    },
  }),
  d({
    id: 'rat-033',
    gender: 'male',
    age: 78,
    summary:
      'Multimorbid: prior myocardial infarction, COPD, hypertension, smoker, on pravastatin 20 (low intensity)',
    expectedFindings: ['Clinical ASCVD: intensify to a high-intensity statin', 'Smoking cessation'],
    coverage: ['multimorbid-older-adult', 'statin-secondary-prevention', 'smoker'],
    build(b) {
      b.condition(COND.oldMi, { onsetDaysAgo: 2500, status: 'resolved' });
      b.condition(COND.cad, { onsetDaysAgo: 2500 });
      b.condition(COND.copd, { onsetDaysAgo: 3000 });
      b.condition(COND.htn, { onsetDaysAgo: 5000 });
      b.med(DRUG.pravastatin20, { startedDaysAgo: 2400 });
      b.med(DRUG.aspirin81, { startedDaysAgo: 2400 });
      b.med(DRUG.metoprololSucc50, { startedDaysAgo: 2400 });
      b.med(DRUG.lisinopril10, { startedDaysAgo: 2400 });
      b.med(DRUG.tiotropium, { startedDaysAgo: 2000 });
      b.med(DRUG.albuterol, { startedDaysAgo: 2000 });
      vitals(b, 22, { heightCm: 173, bmi: 23.9, smoker: 'current' });
      b.bp(132, 78, 22);
      lipids(b, 22, 196, 40, 118, 190);
      renal(b, 22, 66, 1.1);
    },
  }),
  d({
    id: 'rat-034',
    gender: 'male',
    age: 47,
    summary: 'A1c 6.2 and 6.0 five months apart, BMI 29; prediabetes not recorded',
    expectedFindings: ['Possible prediabetes (A1c 6.0-6.2)'],
    coverage: ['prediabetes', 'borderline'],
    build(b) {
      vitals(b, 160, { heightCm: 178, bmi: 29.1 });
      b.obs(LAB.a1c, 6.2, 160);
      vitals(b, 9, { heightCm: 178, bmi: 29.4 });
      b.obs(LAB.a1c, 6.0, 9);
      b.bp(124, 80, 9);
      lipids(b, 9, 192, 45, 118, 150);
    },
  }),
  d({
    id: 'rat-035',
    gender: 'female',
    age: 44,
    summary: 'Borderline: blood pressure 128/78 and 126/76 (elevated, not hypertension)',
    expectedFindings: ['No hypertension suggestion (elevated BP only)'],
    coverage: ['borderline'],
    build(b) {
      vitals(b, 180, { heightCm: 169, bmi: 25.6 });
      b.bp(128, 78, 180);
      vitals(b, 12, { heightCm: 169, bmi: 25.4 });
      b.bp(126, 76, 12);
      renal(b, 12, 99, 0.72);
    },
  }),
  d({
    id: 'rat-036',
    gender: 'male',
    age: 62,
    summary: 'Borderline: eGFR 58 then 55 only 30 days apart (persistence not shown), normal UACR',
    expectedFindings: ['No CKD suggestion yet (needs >= 90 days); repeat eGFR'],
    coverage: ['borderline'],
    build(b) {
      vitals(b, 40, { heightCm: 177, bmi: 26.8 });
      b.bp(126, 80, 40);
      renal(b, 40, 58, 1.36);
      renal(b, 10, 55, 1.42);
      b.obs(LAB.uacr, 14, 10);
      renal(b, 700, 74, 1.1);
    },
  }),
  d({
    id: 'rat-037',
    gender: 'female',
    age: 53,
    summary: 'Borderline: a single A1c 6.4 (prediabetes range, not diabetes)',
    expectedFindings: ['No diabetes suggestion; prediabetes possible'],
    coverage: ['borderline', 'prediabetes'],
    build(b) {
      vitals(b, 25, { heightCm: 161, bmi: 28.2 });
      b.bp(122, 78, 25);
      b.obs(LAB.a1c, 6.4, 25);
      b.obs(LAB.glucose, 108, 25);
    },
  }),
  d({
    id: 'rat-038',
    gender: 'male',
    age: 55,
    summary:
      'Borderline statin decision: LDL 150, total 230, HDL 45, SBP 132 untreated, non-smoker, no diabetes (PCE risk in the 5-10 % band)',
    expectedFindings: [
      '10-year ASCVD risk (PCE) near the 7.5 % threshold: discuss a moderate-intensity statin',
    ],
    coverage: ['statin-pce-borderline', 'pce-risk', 'borderline'],
    build(b) {
      vitals(b, 35, { heightCm: 180, bmi: 26.4 });
      b.bp(132, 82, 35);
      b.bp(130, 80, 200);
      lipids(b, 35, 230, 45, 150, 175);
      b.obs(LAB.a1c, 5.6, 35);
      renal(b, 35, 92, 0.94);
    },
  }),
  d({
    id: 'rat-039',
    gender: 'female',
    age: 64,
    summary:
      'Negative (treated): type 2 diabetes on metformin, empagliflozin and atorvastatin, A1c 6.6, BP 124/76',
    expectedFindings: ['No treatment-gap cards: diabetes, statin and BP at goal'],
    coverage: ['negative-treated'],
    build(b) {
      b.condition(COND.t2d, { onsetDaysAgo: 2600 });
      b.condition(COND.htn, { onsetDaysAgo: 2600 });
      b.med(DRUG.metformin, { startedDaysAgo: 2500 });
      b.med(DRUG.empagliflozin10, { startedDaysAgo: 700 });
      b.med(DRUG.atorvastatin40, { startedDaysAgo: 2400 });
      b.med(DRUG.lisinopril10, { startedDaysAgo: 2400 });
      vitals(b, 21, { heightCm: 164, bmi: 27.0 });
      b.bp(124, 76, 21);
      b.obs(LAB.a1c, 6.6, 21);
      lipids(b, 21, 160, 56, 82, 120);
      renal(b, 21, 81, 0.8);
      b.obs(LAB.uacr, 10, 21);
    },
  }),
  d({
    id: 'rat-040',
    gender: 'male',
    age: 67,
    summary:
      'Negative (treated): atrial fibrillation with hypertension (CHA2DS2-VASc 2) on apixaban 5 mg twice daily',
    expectedFindings: ['No anticoagulation card: already on a DOAC'],
    coverage: ['negative-treated', 'cha2ds2vasc'],
    build(b) {
      b.condition(COND.af, { onsetDaysAgo: 1300 });
      b.condition(COND.htn, { onsetDaysAgo: 3000 });
      b.med(DRUG.apixaban5, { startedDaysAgo: 1290 });
      b.med(DRUG.metoprololSucc50, { startedDaysAgo: 1290 });
      b.med(DRUG.losartan50, { startedDaysAgo: 2900 });
      vitals(b, 33, { heightCm: 182, bmi: 26.0, hr: 74 });
      b.bp(126, 78, 33);
      renal(b, 33, 83, 0.97);
      lipids(b, 33, 180, 50, 104, 130);
    },
  }),
  d({
    id: 'rat-041',
    gender: 'male',
    age: 29,
    summary: 'Healthy adult: normal vitals and labs, no conditions or medications',
    expectedFindings: ['No cards'],
    coverage: ['healthy'],
    build(b) {
      vitals(b, 60, { heightCm: 184, bmi: 23.2, hr: 62 });
      b.bp(116, 72, 60);
      renal(b, 60, 112, 0.94);
      lipids(b, 60, 168, 54, 94, 96);
      b.obs(LAB.a1c, 5.1, 60);
    },
  }),
  d({
    id: 'rat-042',
    gender: 'female',
    age: 35,
    summary: 'Healthy adult with a peanut allergy: normal vitals and labs',
    expectedFindings: ['No cards'],
    coverage: ['healthy'],
    build(b) {
      b.allergy(ALLERGEN.peanut, { category: 'food', criticality: 'high', reaction: REACTION.hives });
      vitals(b, 90, { heightCm: 167, bmi: 21.7, hr: 66 });
      b.bp(110, 70, 90);
      renal(b, 90, 116, 0.68);
      b.obs(LAB.hemoglobin, 13.5, 90);
      b.obs(LAB.tsh, 1.8, 90);
    },
  }),
  d({
    id: 'rat-043',
    gender: 'female',
    age: 24,
    summary: 'Healthy young adult: one normal visit',
    expectedFindings: ['No cards'],
    coverage: ['healthy'],
    build(b) {
      vitals(b, 150, { heightCm: 162, bmi: 22.4, hr: 70 });
      b.bp(108, 66, 150);
    },
  }),
  d({
    id: 'rat-044',
    gender: 'female',
    age: 48,
    summary:
      'Knee osteoarthritis on hydrocodone 10 mg six times daily (60 MME/day) with naloxone already prescribed',
    expectedFindings: [
      'Opioid >= 50 MME/day: reassess benefits and risks',
      'No naloxone card (already prescribed)',
    ],
    coverage: ['opioid-mme-50', 'borderline'],
    build(b) {
      b.condition(COND.osteoarthritisKnee, { onsetDaysAgo: 2000 });
      b.condition(COND.chronicPain, { onsetDaysAgo: 900 });
      b.med(DRUG.hydrocodone10, { startedDaysAgo: 200 });
      b.med(DRUG.naloxone, { startedDaysAgo: 200 });
      vitals(b, 15, { heightCm: 165, bmi: 30.5 });
      b.bp(124, 78, 15);
      renal(b, 15, 96, 0.76);
    },
  }),
  d({
    id: 'rat-045',
    gender: 'male',
    age: 45,
    summary: 'Hyperlipidemia recorded, LDL 172, untreated, smoker, SBP 136',
    expectedFindings: ['10-year ASCVD risk (PCE) for statin decision', 'Smoking cessation'],
    coverage: ['pce-risk', 'smoker'],
    build(b) {
      b.condition(COND.hyperlipidemia, { onsetDaysAgo: 300 });
      vitals(b, 28, { heightCm: 176, bmi: 27.8, smoker: 'current' });
      b.bp(136, 86, 28);
      lipids(b, 28, 252, 38, 172, 210);
      b.obs(LAB.a1c, 5.7, 28);
      renal(b, 28, 97, 0.92);
    },
  }),
  d({
    id: 'rat-046',
    gender: 'female',
    age: 28,
    summary: 'Pregnant (first trimester) with LDL 195: statin suppressed by pregnancy',
    expectedFindings: ['No statin recommendation (pregnancy is an exclusion)'],
    coverage: ['pregnancy', 'negative-treated'],
    build(b) {
      b.condition(COND.pregnancy, { onsetDaysAgo: 60 });
      b.codedObs(STATUS_OBS.pregnancy, VALUE.pregnant, 7);
      b.med(DRUG.prenatal, { startedDaysAgo: 50 });
      vitals(b, 7, { heightCm: 170, bmi: 23.0 });
      b.bp(112, 70, 7);
      lipids(b, 400, 280, 60, 195, 130);
    },
  }),
  d({
    id: 'rat-047',
    gender: 'male',
    age: 65,
    summary: 'Type 2 diabetes with documented atorvastatin intolerance (myalgia); no statin',
    expectedFindings: [
      'Statin recommendation takes the intolerance into account (non-atorvastatin or non-statin option)',
    ],
    coverage: ['statin-diabetes-gap'],
    build(b) {
      b.condition(COND.t2d, { onsetDaysAgo: 2000 });
      b.allergy(ALLERGEN.atorvastatin, {
        type: 'intolerance',
        criticality: 'low',
        reaction: REACTION.myalgia,
        recordedDaysAgo: 900,
      });
      b.med(DRUG.metformin, { startedDaysAgo: 1900 });
      b.med(DRUG.semaglutide, { startedDaysAgo: 400 });
      vitals(b, 19, { heightCm: 175, bmi: 32.7 });
      b.bp(128, 78, 19);
      b.obs(LAB.a1c, 7.0, 19);
      lipids(b, 19, 215, 40, 140, 200);
      renal(b, 19, 78, 1.02);
    },
  }),
  d({
    id: 'rat-048',
    gender: 'female',
    age: 57,
    summary: 'Negative (treated): hypothyroidism on levothyroxine with TSH 2.1',
    expectedFindings: ['No thyroid card'],
    coverage: ['negative-treated'],
    build(b) {
      b.condition(COND.hypothyroidism, { onsetDaysAgo: 3000 });
      b.med(DRUG.levothyroxine75, { startedDaysAgo: 2900 });
      vitals(b, 45, { heightCm: 163, bmi: 25.2 });
      b.bp(118, 74, 45);
      b.obs(LAB.tsh, 2.1, 45);
    },
  }),
  d({
    id: 'rat-049',
    gender: 'male',
    age: 74,
    summary:
      'End-stage kidney disease (eGFR 9) with diabetes and hypertension; metformin and statins excluded. Order panel: nitrofurantoin → renal contraindication',
    expectedFindings: ['Draft nitrofurantoin: avoid at eGFR < 30', 'Statin recommendation suppressed (ESRD)'],
    coverage: ['poor-renal-function', 'draft-order', 'order-drug-renal'],
    draftOrder: {
      rxnorm: '7454',
      medication: 'nitrofurantoin',
      expect: 'Nitrofurantoin avoided with eGFR < 30',
    },
    build(b) {
      b.condition(COND.esrd, { onsetDaysAgo: 900 });
      b.condition(COND.t2d, { onsetDaysAgo: 7000 });
      b.condition(COND.htn, { onsetDaysAgo: 7000 });
      b.med(DRUG.insulinGlargine, { startedDaysAgo: 2000 });
      b.med(DRUG.amlodipine10, { startedDaysAgo: 2000 });
      b.med(DRUG.furosemide40, { startedDaysAgo: 1000 });
      vitals(b, 8, { heightCm: 170, bmi: 24.3 });
      b.bp(146, 82, 8);
      renal(b, 100, 10, 5.6, 5.2, 136);
      renal(b, 8, 9, 6.1, 5.3, 135);
      b.obs(LAB.hemoglobin, 9.8, 8);
    },
  }),
  d({
    id: 'rat-050',
    gender: 'male',
    age: 52,
    summary: 'Asthma with wheezing and cough on albuterol; heartburn (reflux in the differential)',
    expectedFindings: ['Asthma and reflux in the differential'],
    coverage: ['symptom-cough'],
    build(b) {
      b.condition(COND.asthma, { onsetDaysAgo: 5000 });
      b.med(DRUG.albuterol, { startedDaysAgo: 900 });
      b.symptom(SYMPTOM.wheezing, 4);
      b.symptom(SYMPTOM.cough, 4);
      b.symptom(SYMPTOM.heartburn, 4);
      vitals(b, 4, { heightCm: 172, bmi: 29.9, hr: 84 });
      b.bp(126, 80, 4);
      b.obs(LAB.spo2, 96, 4);
    },
  }),
  d({
    id: 'rat-051',
    gender: 'female',
    age: 68,
    summary:
      "Potassium 6.4 today on lisinopril and spironolactone with CKD G3b: severe hyperkalemia (can't-miss card first)",
    expectedFindings: ["Can't-miss: severe hyperkalemia (K 6.4) leads the cards", 'ECG and repeat potassium'],
    coverage: ['hyperkalemia', 'poor-renal-function'],
    build(b) {
      b.condition(COND.ckd3b, { onsetDaysAgo: 1500 });
      b.condition(COND.htn, { onsetDaysAgo: 4000 });
      b.med(DRUG.lisinopril40, { startedDaysAgo: 1600 });
      b.med(DRUG.spironolactone25, { startedDaysAgo: 60 });
      vitals(b, 200, { heightCm: 163, bmi: 27.1 });
      b.bp(136, 82, 200);
      renal(b, 200, 41, 1.38, 4.9);
      vitals(b, 0, { heightCm: 163, bmi: 27.0 });
      b.bp(132, 80, 0);
      renal(b, 0, 39, 1.44, 6.4);
    },
  }),
];
