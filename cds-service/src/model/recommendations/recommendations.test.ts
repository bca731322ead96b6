import type { Hypothesis, Recommendation, Score } from '@rationale/shared-types';
import { recommendationSchema } from '@rationale/shared-types';
import { DEFAULT_MODEL_SETTINGS } from '../settings';
import { recommend } from './index';
import { buildFacts, score, suggested, type FactsSpec } from './test-facts';

interface Case {
  name: string;
  spec: FactsSpec;
  scores?: Score[];
  hypotheses?: Hypothesis[];
  /** Rule id that must fire (with an optional check), or must not fire. */
  fires?: string;
  absent?: string;
  check?: (r: Recommendation) => void;
}

const run = (c: Case) =>
  recommend(buildFacts(c.spec), c.scores ?? [], c.hypotheses ?? [], DEFAULT_MODEL_SETTINGS);
const orderCode = (r: Recommendation) => r.proposedOrders[0]?.code.code;

const CASES: Case[] = [
  // Statins
  {
    name: 'secondary prevention: ASCVD age 62 without a statin gets high-intensity atorvastatin 40',
    spec: { age: 62, sex: 'male', conditions: ['ascvd'], labs: { ldl: 130 } },
    fires: 'statin-secondary-prevention',
    check: (r) => {
      expect(r.title).toBe('Start a high-intensity statin');
      expect(orderCode(r)).toBe('617311');
      expect(r.priority).toBe('strong');
      expect(r.strength).toMatchObject({ class: 'I', level: 'A' });
      expect(r.rationale).toContain('LDL-C 130 mg/dL');
      expect(r.findingIds).toEqual(expect.arrayContaining(['cond-ascvd', 'lab-ldl-0']));
    },
  },
  {
    name: 'secondary prevention: not above age 75',
    spec: { age: 80, conditions: ['ascvd'] },
    absent: 'statin-secondary-prevention',
  },
  {
    name: 'LDL 195 at age 35 gets a high-intensity statin',
    spec: { age: 35, labs: { ldl: 195 } },
    fires: 'statin-ldl-190',
    check: (r) => expect(r.rationale).toContain('LDL-C 195 mg/dL'),
  },
  {
    name: 'LDL 185 at age 35 does not trigger the LDL 190 rule',
    spec: { age: 35, labs: { ldl: 185 } },
    absent: 'statin-ldl-190',
  },
  {
    name: 'diabetes age 55, no other risk, gets moderate intensity (atorvastatin 20)',
    spec: { age: 55, conditions: ['t2d'], labs: { ldl: 110 } },
    scores: [score('pce-ascvd-10y', 5.1, '%')],
    fires: 'statin-diabetes-40-75',
    check: (r) => {
      expect(orderCode(r)).toBe('617310');
      expect(r.title).toContain('moderate');
    },
  },
  {
    name: 'diabetes with PCE 12% gets high intensity (IIa)',
    spec: { age: 60, conditions: ['t2d'] },
    scores: [score('pce-ascvd-10y', 12, '%')],
    fires: 'statin-diabetes-high-risk',
    check: (r) => {
      expect(r.strength.class).toBe('IIa');
      expect(r.priority).toBe('moderate');
      expect(orderCode(r)).toBe('617311');
    },
  },
  {
    name: 'diabetes with smoking and hypertension (2 risk factors) gets high intensity',
    spec: { age: 60, conditions: ['t2d', 'htn'], smoker: true },
    fires: 'statin-diabetes-high-risk',
    check: (r) => expect(r.rationale).toContain('current smoker, hypertension'),
  },
  {
    name: 'primary prevention: PCE 9.2% with LDL 140 gets moderate intensity',
    spec: { age: 58, labs: { ldl: 140 } },
    scores: [score('pce-ascvd-10y', 0.092)],
    fires: 'statin-primary-prevention',
    check: (r) => {
      expect(r.rationale).toContain('9.2%');
      expect(orderCode(r)).toBe('617310');
    },
  },
  {
    name: 'primary prevention: PCE 22% gets high intensity',
    spec: { age: 66, labs: { ldl: 150 } },
    scores: [score('pce-ascvd-10y', 22, '%')],
    fires: 'statin-primary-prevention',
    check: (r) => expect(orderCode(r)).toBe('617311'),
  },
  {
    name: 'primary prevention falls back to PREVENT when PCE is absent',
    spec: { age: 58, labs: { ldl: 140 } },
    scores: [score('prevent-ascvd-10y', 8, '%')],
    fires: 'statin-primary-prevention',
  },
  {
    name: 'primary prevention: PCE 5% does not fire',
    spec: { age: 58, labs: { ldl: 140 } },
    scores: [score('pce-ascvd-10y', 5, '%')],
    absent: 'statin-primary-prevention',
  },
  {
    name: 'primary prevention: no risk score, no recommendation (incomplete data)',
    spec: { age: 58, labs: { ldl: 140 } },
    absent: 'statin-primary-prevention',
  },
  {
    name: 'primary prevention: LDL older than the recency window is not used',
    spec: { age: 58, labs: { ldl: { value: 140, daysAgo: 900 } } },
    scores: [score('pce-ascvd-10y', 12, '%')],
    absent: 'statin-primary-prevention',
  },
  {
    name: 'statin already active (moderate) where moderate is indicated: nothing',
    spec: { age: 55, conditions: ['t2d'], meds: ['atorvastatin 20 MG Oral Tablet'] },
    absent: 'statin-diabetes-40-75',
  },
  {
    name: 'on moderate-intensity atorvastatin 20 with ASCVD: intensify to high',
    spec: {
      age: 62,
      conditions: ['ascvd'],
      meds: [{ text: 'atorvastatin 20 MG Oral Tablet', dailyDoseMg: 20 }],
    },
    fires: 'statin-intensify',
    check: (r) => {
      expect(r.kind).toBe('intensify');
      expect(r.rationale).toContain('moderate intensity');
      expect(r.citationIds).toContain('acc-aha-2018-cholesterol');
    },
  },
  {
    name: 'on high-intensity rosuvastatin 20 with ASCVD: no intensify',
    spec: { age: 62, conditions: ['ascvd'], meds: ['rosuvastatin calcium 20 MG Oral Tablet'] },
    absent: 'statin-intensify',
  },
  {
    name: 'statin suppressed in pregnancy',
    spec: { age: 41, sex: 'female', pregnant: true, conditions: ['ascvd'] },
    absent: 'statin-secondary-prevention',
  },
  {
    name: 'statin suppressed with cirrhosis',
    spec: { age: 60, conditions: ['ascvd', 'cirrhosis'] },
    absent: 'statin-secondary-prevention',
  },
  {
    name: 'statin suppressed on dialysis',
    spec: { age: 60, conditions: ['ascvd', 'esrd-dialysis'] },
    absent: 'statin-secondary-prevention',
  },
  {
    name: 'statin suppressed when declined 3 months ago',
    spec: { age: 60, conditions: ['ascvd'], declined: [{ text: 'atorvastatin', daysAgo: 90 }] },
    absent: 'statin-secondary-prevention',
  },
  {
    name: 'a statin declined 2 years ago no longer suppresses',
    spec: { age: 60, conditions: ['ascvd'], declined: [{ text: 'atorvastatin', daysAgo: 730 }] },
    fires: 'statin-secondary-prevention',
  },
  {
    name: 'CKD age 55 with eGFR 48 gets a statin (KDIGO 1A)',
    spec: { age: 55, conditions: ['ckd'], labs: { egfr: 48 } },
    fires: 'statin-ckd-50',
    check: (r) => expect(r.strength).toMatchObject({ scheme: 'KDIGO', class: '1A' }),
  },
  {
    name: 'suggested (undiagnosed) ASCVD without met criteria: premise not met, no statin',
    spec: { age: 60 },
    hypotheses: [suggested('ascvd', false)],
    absent: 'statin-secondary-prevention',
  },
  {
    name: 'a single eGFR 48 without CKD established (persistence not shown): no CKD statin',
    spec: { age: 55, labs: { egfr: 48 } },
    absent: 'statin-ckd-50',
  },

  // AF
  {
    name: 'AF woman CHA2DS2-VASc 3 without anticoagulant: apixaban 5 mg',
    spec: { age: 70, sex: 'female', conditions: ['af'], labs: { weight: 72, creatinine: 0.9 } },
    scores: [score('cha2ds2-vasc', 3), score('has-bled', 3)],
    fires: 'af-anticoagulation',
    check: (r) => {
      expect(orderCode(r)).toBe('1364445');
      expect(r.strength).toMatchObject({ class: '1', level: 'A' });
      expect(r.rationale).toContain('HAS-BLED 3');
      expect(r.dataComplete).toBe(true);
    },
  },
  {
    name: 'AF woman CHA2DS2-VASc 2: below the female threshold',
    spec: { age: 66, sex: 'female', conditions: ['af'] },
    scores: [score('cha2ds2-vasc', 2)],
    absent: 'af-anticoagulation',
  },
  {
    name: 'AF man CHA2DS2-VASc 2: anticoagulate',
    spec: { age: 66, sex: 'male', conditions: ['af'] },
    scores: [score('cha2ds2-vasc', 2)],
    fires: 'af-anticoagulation',
    check: (r) => expect(r.dataComplete).toBe(false),
  },
  {
    name: 'AF age 82 weight 55 kg: apixaban 2.5 mg (2 criteria)',
    spec: { age: 82, sex: 'female', conditions: ['af'], labs: { weight: 55, creatinine: 1.1 } },
    scores: [score('cha2ds2-vasc', 5)],
    fires: 'af-anticoagulation',
    check: (r) => expect(orderCode(r)).toBe('1364435'),
  },
  {
    name: 'AF with a mechanical valve: warfarin, not a DOAC',
    spec: { age: 60, sex: 'male', conditions: ['af', 'mechanical-valve'] },
    scores: [score('cha2ds2-vasc', 2)],
    fires: 'af-anticoagulation',
    check: (r) => {
      expect(orderCode(r)).toBe('855332');
      expect(r.contraindicationsChecked.find((c) => c.label.startsWith('Mechanical'))?.present).toBe(true);
    },
  },
  {
    name: 'AF already on apixaban: no start',
    spec: { age: 70, sex: 'male', conditions: ['af'], meds: ['apixaban 5 MG Oral Tablet'] },
    scores: [score('cha2ds2-vasc', 3)],
    absent: 'af-anticoagulation',
  },
  {
    name: 'AF on aspirin alone: avoid (3: Harm) plus anticoagulate',
    spec: { age: 75, sex: 'male', conditions: ['af'], meds: ['aspirin 81 MG Oral Tablet'] },
    scores: [score('cha2ds2-vasc', 3)],
    fires: 'af-aspirin-alone',
    check: (r) => {
      expect(r.kind).toBe('avoid');
      expect(r.strength.class).toBe('3: Harm');
    },
  },
  {
    name: 'AF with high HAS-BLED still anticoagulated',
    spec: { age: 75, sex: 'male', conditions: ['af'] },
    scores: [score('cha2ds2-vasc', 3), score('has-bled', 4)],
    fires: 'af-anticoagulation',
  },
  {
    name: 'AF on apixaban 5 mg twice daily meeting 2 criteria: reduce dose',
    spec: {
      age: 84,
      sex: 'female',
      conditions: ['af'],
      labs: { weight: 58, creatinine: 1.0 },
      meds: [{ text: 'apixaban 5 MG Oral Tablet', dailyDoseMg: 10 }],
    },
    scores: [score('cha2ds2-vasc', 5)],
    fires: 'af-apixaban-dose',
    check: (r) => expect(orderCode(r)).toBe('1364435'),
  },
  {
    name: 'AF on rivaroxaban 20 mg with CrCl 42: adjust to 15 mg',
    spec: {
      age: 78,
      sex: 'male',
      conditions: ['af'],
      meds: [{ text: 'rivaroxaban 20 MG Oral Tablet', dailyDoseMg: 20 }],
    },
    scores: [score('cha2ds2-vasc', 3), score('crcl-cockcroft-gault', 42)],
    fires: 'af-rivaroxaban-dose',
    check: (r) => expect(orderCode(r)).toBe('1232082'),
  },

  // CKD
  {
    name: 'CKD with diabetes and UACR 120: ACE inhibitor (lisinopril 10)',
    spec: { age: 60, conditions: ['ckd', 't2d'], labs: { uacr: 120, egfr: 55, potassium: 4.6 } },
    fires: 'ckd-raasi-albuminuria',
    check: (r) => {
      expect(orderCode(r)).toBe('314076');
      expect(r.strength.class).toBe('1B');
    },
  },
  {
    name: 'CKD without diabetes and UACR 120 (A2): no ACEi/ARB rule',
    spec: { age: 60, conditions: ['ckd'], labs: { uacr: 120 } },
    absent: 'ckd-raasi-albuminuria',
  },
  {
    name: 'CKD without diabetes and UACR 450 (A3): ACEi/ARB',
    spec: { age: 60, conditions: ['ckd'], labs: { uacr: 450 } },
    fires: 'ckd-raasi-albuminuria',
  },
  {
    name: 'CKD with angioedema history: ARB (losartan) rather than ACEi',
    spec: { age: 60, conditions: ['ckd', 'angioedema-history'], labs: { uacr: 450 } },
    fires: 'ckd-raasi-albuminuria',
    check: (r) => expect(orderCode(r)).toBe('52175'),
  },
  {
    name: 'CKD with potassium 5.8: ACEi/ARB suppressed',
    spec: { age: 60, conditions: ['ckd'], labs: { uacr: 450, potassium: 5.8 } },
    absent: 'ckd-raasi-albuminuria',
  },
  {
    name: 'CKD already on losartan: no ACEi/ARB',
    spec: { age: 60, conditions: ['ckd'], labs: { uacr: 450 }, meds: ['losartan 50 MG'] },
    absent: 'ckd-raasi-albuminuria',
  },
  {
    name: 'CKD with UACR 250 and eGFR 35: SGLT2 inhibitor',
    spec: { age: 60, conditions: ['ckd'], labs: { uacr: 250, egfr: 35 } },
    fires: 'ckd-sglt2i',
    check: (r) => expect(r.strength.class).toBe('1A'),
  },
  {
    name: 'CKD with eGFR 15: no SGLT2 inhibitor',
    spec: { age: 60, conditions: ['ckd'], labs: { uacr: 250, egfr: 15 } },
    absent: 'ckd-sglt2i',
  },
  {
    name: 'CKD with UACR 100 and no diabetes or HF: no SGLT2 inhibitor',
    spec: { age: 60, conditions: ['ckd'], labs: { uacr: 100, egfr: 35 } },
    absent: 'ckd-sglt2i',
  },
  {
    name: 'diabetes without UACR in 12 months: order UACR (LOINC 9318-7)',
    spec: { age: 60, conditions: ['t2d'], labs: { uacr: { value: 20, daysAgo: 400 }, a1c: 6.5 } },
    fires: 'uacr-testing',
    check: (r) => {
      expect(r.kind).toBe('order-test');
      expect(r.proposedOrders[0]?.code).toMatchObject({ system: 'http://loinc.org', code: '9318-7' });
      expect(r.strength).toMatchObject({ scheme: 'ADA', class: 'B' });
    },
  },
  {
    name: 'diabetes with a UACR 100 days ago: no test',
    spec: { age: 60, conditions: ['t2d'], labs: { uacr: { value: 20, daysAgo: 100 } } },
    absent: 'uacr-testing',
  },
  {
    name: 'hypertension alone without UACR: order it (AHA/ACC)',
    spec: { age: 50, conditions: ['htn'] },
    fires: 'uacr-testing',
    check: (r) => expect(r.strength.scheme).toBe('AHA/ACC'),
  },

  // Diabetes
  {
    name: 'T2D with A1c 8.4 and no metformin, eGFR 70: intensify with metformin',
    spec: { age: 50, conditions: ['t2d'], labs: { a1c: 8.4, egfr: 70 } },
    fires: 't2d-a1c-above-goal',
    check: (r) => {
      expect(r.title).toContain('A1c 8.4%');
      expect(orderCode(r)).toBe('6809');
      // One unit style: the finding labels' "mL/min/1.73m²".
      expect(r.rationale).toMatch(/eGFR 70 mL\/min\/1\.73m² \(\d{4}-\d{2}-\d{2}\) permits starting it/);
    },
  },
  {
    name: 'T2D with A1c 8.4 and eGFR 40: metformin not proposed',
    spec: { age: 50, conditions: ['t2d'], labs: { a1c: 8.4, egfr: 40 } },
    fires: 't2d-a1c-above-goal',
    check: (r) => expect(orderCode(r)).not.toBe('6809'),
  },
  {
    name: 'T2D with A1c 6.8: no intensify',
    spec: { age: 50, conditions: ['t2d'], labs: { a1c: 6.8 } },
    absent: 't2d-a1c-above-goal',
  },
  {
    name: 'T2D with no A1c in 6 months: order A1c (4548-4)',
    spec: { age: 50, conditions: ['t2d'], labs: { a1c: { value: 7.5, daysAgo: 250 } } },
    fires: 'a1c-testing',
    check: (r) => {
      expect(r.proposedOrders[0]?.code.code).toBe('4548-4');
      expect(r.strength.class).toBe('E');
    },
  },
  {
    name: 'T2D with ASCVD and no GLP-1 RA or SGLT2i: GLP-1 RA with proven benefit',
    spec: {
      age: 60,
      conditions: ['t2d', 'ascvd'],
      labs: { a1c: 6.5 },
      meds: ['atorvastatin 40 MG Oral Tablet'],
    },
    fires: 't2d-cardiorenal-protection',
    check: (r) => expect(r.id).toBe('rec-t2d-cardiorenal-protection-glp1ra'),
  },
  {
    name: 'T2D with ASCVD already on semaglutide: nothing',
    spec: {
      age: 60,
      conditions: ['t2d', 'ascvd'],
      labs: { a1c: 6.5 },
      meds: ['semaglutide 1 MG', 'atorvastatin 40 MG'],
    },
    absent: 't2d-cardiorenal-protection',
  },
  {
    name: 'metformin with eGFR 25: stop (contraindicated), linagliptin proposed',
    spec: {
      age: 70,
      conditions: ['t2d'],
      labs: { egfr: 25, a1c: 6.9 },
      meds: ['metformin 500 MG Oral Tablet'],
    },
    fires: 'metformin-renal',
    check: (r) => {
      expect(r.kind).toBe('stop');
      expect(orderCode(r)).toBe('1100699');
    },
  },
  {
    name: 'metformin with eGFR 38: reassess (monitor)',
    spec: {
      age: 70,
      conditions: ['t2d'],
      labs: { egfr: 38, a1c: 6.9 },
      meds: ['metformin 500 MG Oral Tablet'],
    },
    fires: 'metformin-renal',
    check: (r) => expect(r.kind).toBe('monitor'),
  },
  {
    name: 'metformin with eGFR 60: no renal rule',
    spec: { age: 70, conditions: ['t2d'], labs: { egfr: 60, a1c: 6.9 }, meds: ['metformin 500 MG'] },
    absent: 'metformin-renal',
  },

  // HFrEF
  {
    name: 'HFrEF on nothing: ARNI recommended with contraindications checked',
    spec: { age: 65, conditions: ['hfref'], labs: { lvef: 30, potassium: 4.4, egfr: 62 } },
    fires: 'hfref-arni',
    check: (r) => {
      expect(orderCode(r)).toBe('1656340');
      expect(r.contraindicationsChecked.map((c) => c.label)).toEqual(
        expect.arrayContaining(['Pregnancy', 'History of angioedema']),
      );
      expect(r.contraindicationsChecked.every((c) => !c.present)).toBe(true);
    },
  },
  {
    name: 'HFrEF on nothing: beta-blocker (carvedilol)',
    spec: { age: 65, conditions: ['hfref'] },
    fires: 'hfref-beta-blocker',
    check: (r) => expect(orderCode(r)).toBe('20352'),
  },
  {
    name: 'HFrEF with asthma: bisoprolol instead of carvedilol',
    spec: { age: 65, conditions: ['hfref', 'asthma'] },
    fires: 'hfref-beta-blocker',
    check: (r) => expect(orderCode(r)).toBe('19484'),
  },
  {
    name: 'HFrEF on metoprolol succinate: no beta-blocker rec',
    spec: {
      age: 65,
      conditions: ['hfref'],
      meds: ['24 HR metoprolol succinate 25 MG Extended Release Oral Tablet'],
    },
    absent: 'hfref-beta-blocker',
  },
  {
    name: 'HFrEF on metoprolol tartrate: switch to an evidence-based beta-blocker',
    spec: { age: 65, conditions: ['hfref'], meds: ['metoprolol tartrate 25 MG Oral Tablet'] },
    fires: 'hfref-beta-blocker',
    check: (r) => expect(r.kind).toBe('intensify'),
  },
  {
    name: 'HFrEF on lisinopril: switch to ARNI',
    spec: { age: 65, conditions: ['hfref'], meds: ['lisinopril 10 MG'], labs: { potassium: 4.2 } },
    fires: 'hfref-arni-switch',
    check: (r) => expect(r.rationale).toContain('36 hours'),
  },
  {
    name: 'HFrEF with angioedema history: no ARNI',
    spec: { age: 65, conditions: ['hfref', 'angioedema-history'] },
    absent: 'hfref-arni',
  },
  {
    name: 'HFrEF: MRA with eGFR 55 and K 4.5',
    spec: { age: 65, conditions: ['hfref'], labs: { egfr: 55, potassium: 4.5 } },
    fires: 'hfref-mra',
    check: (r) => expect(r.dataComplete).toBe(true),
  },
  {
    name: 'HFrEF: no MRA with potassium 5.2',
    spec: { age: 65, conditions: ['hfref'], labs: { egfr: 55, potassium: 5.2 } },
    absent: 'hfref-mra',
  },
  {
    name: 'HFrEF: no MRA with eGFR 28',
    spec: { age: 65, conditions: ['hfref'], labs: { egfr: 28, potassium: 4.5 } },
    absent: 'hfref-mra',
  },
  {
    name: 'HFrEF: MRA without potassium is incomplete',
    spec: { age: 65, conditions: ['hfref'], labs: { egfr: 55 } },
    fires: 'hfref-mra',
    check: (r) => expect(r.dataComplete).toBe(false),
  },
  {
    name: 'HFrEF: SGLT2 inhibitor (dapagliflozin)',
    spec: { age: 65, conditions: ['hfref'], labs: { egfr: 55 } },
    fires: 'hfref-sglt2i',
    check: (r) => expect(orderCode(r)).toBe('1488564'),
  },
  {
    name: 'HFrEF on empagliflozin: no SGLT2 inhibitor',
    spec: { age: 65, conditions: ['hfref'], meds: ['empagliflozin 10 MG'] },
    absent: 'hfref-sglt2i',
  },
  {
    name: 'HFrEF with type 1 diabetes: no SGLT2 inhibitor',
    spec: { age: 65, conditions: ['hfref', 'type-1-diabetes'] },
    absent: 'hfref-sglt2i',
  },

  // Hypertension
  {
    name: 'untreated stage 2 (avg 152/94): two agents as a single-pill combination',
    spec: {
      age: 55,
      conditions: ['htn'],
      labs: {
        sbp: [{ value: 150 }, { value: 154, daysAgo: 40 }],
        dbp: [{ value: 92 }, { value: 96, daysAgo: 40 }],
      },
    },
    fires: 'htn-start',
    check: (r) => {
      expect(r.title).toContain('single-pill');
      expect(orderCode(r)).toBe('197886');
      expect(r.rationale).toContain('152/94');
      expect(r.dataComplete).toBe(true);
    },
  },
  {
    name: 'untreated stage 1 (134/82) with diabetes: one agent (ACE inhibitor)',
    spec: {
      age: 55,
      conditions: ['htn', 't2d'],
      labs: {
        sbp: [{ value: 134 }, { value: 134, daysAgo: 30 }],
        dbp: [{ value: 82 }, { value: 82, daysAgo: 30 }],
      },
    },
    fires: 'htn-start',
    check: (r) => expect(orderCode(r)).toBe('314076'),
  },
  {
    name: 'untreated stage 1 (134/82), low risk: no drug',
    spec: { age: 45, conditions: ['htn'], labs: { sbp: 134, dbp: 82 } },
    scores: [score('prevent-cvd-10y', 3, '%')],
    absent: 'htn-start',
  },
  {
    name: 'untreated stage 1 with PREVENT 9%: start',
    spec: {
      age: 60,
      conditions: ['htn'],
      labs: {
        sbp: [
          { value: 134, daysAgo: 10 },
          { value: 134, daysAgo: 50 },
        ],
        dbp: [
          { value: 82, daysAgo: 10 },
          { value: 82, daysAgo: 50 },
        ],
      },
    },
    scores: [score('prevent-cvd-10y', 9, '%')],
    fires: 'htn-start',
    check: (r) => expect(r.dataComplete).toBe(true),
  },
  {
    name: 'treated and above 130/80: intensify',
    spec: {
      age: 60,
      conditions: ['htn'],
      labs: {
        sbp: [
          { value: 138, daysAgo: 10 },
          { value: 138, daysAgo: 50 },
        ],
        dbp: [
          { value: 84, daysAgo: 10 },
          { value: 84, daysAgo: 50 },
        ],
      },
      meds: ['amlodipine 5 MG'],
    },
    fires: 'htn-intensify',
  },
  {
    name: 'treated, one reading above 130/80: premise (2 readings on separate days) not met',
    spec: { age: 60, conditions: ['htn'], labs: { sbp: 138, dbp: 84 }, meds: ['amlodipine 5 MG'] },
    absent: 'htn-intensify',
  },
  {
    name: 'treated and at target: nothing',
    spec: { age: 60, conditions: ['htn'], labs: { sbp: 124, dbp: 76 }, meds: ['amlodipine 5 MG'] },
    absent: 'htn-intensify',
  },
  {
    name: 'hypertension in pregnancy: no rule from this guideline path',
    spec: { age: 30, sex: 'female', pregnant: true, conditions: ['htn'], labs: { sbp: 150, dbp: 95 } },
    absent: 'htn-start',
  },

  // Opioids
  {
    name: 'oxycodone 60 mg/day (90 MME): justify or taper, and naloxone',
    spec: { age: 50, meds: [{ text: 'oxycodone hydrochloride 10 MG Oral Tablet', dailyDoseMg: 60 }] },
    fires: 'opioid-high-dose',
    check: (r) => {
      expect(r.title).toContain('90 MME/day');
      expect(r.title).toContain('taper');
    },
  },
  {
    name: 'MME 60: naloxone offered',
    spec: { age: 50, meds: [{ text: 'morphine sulfate 30 MG', dailyDoseMg: 60 }] },
    fires: 'opioid-naloxone',
    check: (r) => expect(orderCode(r)).toBe('7242'),
  },
  {
    name: 'MME 30, no other risk: no naloxone',
    spec: { age: 50, meds: [{ text: 'hydrocodone 10 MG', dailyDoseMg: 30 }] },
    absent: 'opioid-naloxone',
  },
  {
    name: 'MME 60 with naloxone already prescribed: no naloxone rec',
    spec: { age: 50, meds: [{ text: 'morphine 30 MG', dailyDoseMg: 60 }, 'naloxone 4 MG nasal spray'] },
    absent: 'opioid-naloxone',
  },
  {
    name: 'opioid with benzodiazepine: caution (Rec 11)',
    spec: { age: 50, meds: [{ text: 'tramadol 50 MG', dailyDoseMg: 100 }, 'alprazolam 0.5 MG'] },
    fires: 'opioid-benzodiazepine',
    check: (r) => expect(r.strength).toMatchObject({ scheme: 'CDC', class: 'B', level: '3' }),
  },
  {
    name: 'sickle cell disease: opioid rules excluded',
    spec: { age: 30, conditions: ['sickle-cell'], meds: [{ text: 'morphine 30 MG', dailyDoseMg: 120 }] },
    absent: 'opioid-high-dose',
  },
  {
    name: 'hospice: opioid rules excluded',
    spec: { age: 80, conditions: ['hospice'], meds: [{ text: 'morphine 30 MG', dailyDoseMg: 120 }] },
    absent: 'opioid-naloxone',
  },
];

describe('recommend', () => {
  it.each(CASES)('$name', (c) => {
    const recs = run(c);
    for (const r of recs) recommendationSchema.parse(r);
    if (c.fires) {
      const r = recs.find((x) => x.ruleId === c.fires);
      expect(r).toBeDefined();
      if (r && c.check) c.check(r);
      if (r)
        expect(
          r.contraindicationsChecked.filter(
            (x) => x.present && !x.label.includes('proposed') && !x.label.includes('avoided'),
          ),
        ).toEqual([]);
    }
    if (c.absent) expect(recs.map((r) => r.ruleId)).not.toContain(c.absent);
  });

  it('keeps one SGLT2 inhibitor recommendation when HF, CKD and diabetes all indicate it, merging citations', () => {
    const recs = recommend(
      buildFacts({
        age: 64,
        conditions: ['hfref', 'ckd', 't2d'],
        labs: { egfr: 40, uacr: 300, potassium: 4.5, a1c: 6.8 },
      }),
      [],
      [],
      DEFAULT_MODEL_SETTINGS,
    );
    const sglt2 = recs.filter((r) =>
      r.proposedOrders.some((o) => ['1488564', '1545653'].includes(o.code.code)),
    );
    expect(sglt2).toHaveLength(1);
    expect(sglt2[0]?.ruleId).toBe('hfref-sglt2i');
    expect(sglt2[0]?.citationIds).toEqual(
      expect.arrayContaining([
        'aha-acc-hfsa-2022-hf',
        'kdigo-2024-ckd-treatment',
        'ada-soc-2025-pharmacologic',
      ]),
    );
  });

  it('is deterministic: same input, same ids in the same order, strong first', () => {
    const spec: FactsSpec = {
      age: 68,
      sex: 'male',
      conditions: ['hfref', 'af', 't2d', 'ckd', 'htn', 'ascvd'],
      labs: {
        egfr: 45,
        uacr: 250,
        potassium: 4.6,
        a1c: 8.1,
        ldl: 120,
        sbp: 142,
        dbp: 88,
        weight: 80,
        creatinine: 1.4,
      },
      meds: [{ text: 'oxycodone 10 MG', dailyDoseMg: 40 }, 'lorazepam 1 MG'],
    };
    const scores = [score('cha2ds2-vasc', 5)];
    const a = recommend(buildFacts(spec), scores, [], DEFAULT_MODEL_SETTINGS);
    const b = recommend(buildFacts(spec), scores, [], DEFAULT_MODEL_SETTINGS);
    expect(a).toEqual(b);
    expect(new Set(a.map((r) => r.id)).size).toBe(a.length);
    const priorities = a.map((r) => r.priority);
    expect(
      priorities.indexOf('moderate') === -1 ||
        priorities.lastIndexOf('strong') < priorities.indexOf('moderate'),
    ).toBe(true);
    expect(a.length).toBeGreaterThan(8);
  });

  it('returns nothing for a healthy 30-year-old', () => {
    expect(
      recommend(buildFacts({ age: 30, sex: 'female', labs: { ldl: 100 } }), [], [], DEFAULT_MODEL_SETTINGS),
    ).toEqual([]);
  });
});
