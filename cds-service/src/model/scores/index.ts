import type { Score, StaleInput } from '@rationale/shared-types';
import type { LabValue, PatientFacts } from '../facts';
import type { ModelSettings } from '../settings';
import { latestFib4, recent } from '../findings/derived';
import { ACUTE_WINDOW_HOURS } from '../knowledge/acute-window';
import { SCORE_LOOK_BACKS, SCORE_SHORT_NAMES } from '../knowledge/score-look-backs';
import { fib4Band } from './fib4';
import { pceRisk, type PceGroup } from './pce';
import { isPreventInputValid, preventRisk, type PreventInput } from './prevent';
import {
  bmiClass,
  cha2ds2Vasc,
  ckdEpi2021,
  cockcroftGault,
  hasBled,
  kdigoAlbuminuriaCategory,
  kdigoGfrCategory,
  kdigoRisk,
  news2,
  qsofa,
  sirs,
} from './simple';

export * from './pce';
export * from './prevent';
export * from './simple';
export * from './fib4';

const ANTIHYPERTENSIVE_CLASSES = new Set([
  'antihypertensive',
  'acei',
  'arb',
  'arni',
  'thiazide',
  'thiazide-like',
  'thiazide-diuretic',
  'ccb',
  'dihydropyridine-ccb',
  'non-dihydropyridine-ccb',
  'beta-blocker',
  'mra',
  'loop-diuretic',
  'alpha-blocker',
]);
const ANTIPLATELET_OR_NSAID = new Set(['antiplatelet', 'p2y12-inhibitor', 'aspirin', 'nsaid']);
const ACUTE_WINDOW_MS = ACUTE_WINDOW_HOURS * 3_600_000;

/** Inputs for scores that other parts of the model already know (diabetes status from criteria). */
export interface ScoreContext {
  settings: ModelSettings;
  /** Diabetes present: recorded, or ADA criteria met in the data. */
  diabetes: boolean;
  hypertension: boolean;
  heartFailure: boolean;
}

const fmt = (v: number, d = 0) => String(Number(v.toFixed(d)));
const input = (label: string, value: string, findingId?: string) =>
  findingId ? { label, value, findingId } : { label, value };

function isRecorded(facts: PatientFacts, ...ids: string[]): boolean {
  return ids.some((id) => (facts.recordedConditions.get(id)?.length ?? 0) > 0);
}
/** Recorded now or in the past (a resolved Condition): "prior" inputs such as prior MI or stroke. */
function everRecorded(facts: PatientFacts, ...ids: string[]): boolean {
  return (
    isRecorded(facts, ...ids) || facts.findings.some((f) => ids.some((id) => f.code === `history:${id}`))
  );
}
function onClass(facts: PatientFacts, classes: ReadonlySet<string>): boolean {
  return facts.medications.some((m) => m.classes.some((c) => classes.has(c)));
}
function onStatin(facts: PatientFacts): boolean {
  return facts.medications.some((m) => m.classes.some((c) => c === 'statin' || c.startsWith('statin-')));
}

/** Latest eGFR: reported (within the recency window), else CKD-EPI 2021 from the latest creatinine. */
export function currentEgfr(
  facts: PatientFacts,
  months: number,
): { value: number; findingId: string; computed: boolean } | undefined {
  const reported = recent(facts, 'egfr', months)[0];
  const creatinine = recent(facts, 'creatinine', months)[0];
  if (reported && (!creatinine || reported.date >= creatinine.date))
    return { value: reported.value, findingId: reported.findingId, computed: false };
  if (creatinine && facts.ageYears !== undefined && (facts.sex === 'female' || facts.sex === 'male')) {
    return {
      value: ckdEpi2021(creatinine.value, facts.ageYears, facts.sex),
      findingId: creatinine.findingId,
      computed: true,
    };
  }
  return reported ? { value: reported.value, findingId: reported.findingId, computed: false } : undefined;
}

/** What several scores read, looked up once per assessment. */
interface ScoreInputs {
  facts: PatientFacts;
  ctx: ScoreContext;
  months: number;
  latest: (analyte: string) => LabValue | undefined;
  age: number | undefined;
  sex: 'female' | 'male' | undefined;
  tc: LabValue | undefined;
  hdl: LabValue | undefined;
  sbp: LabValue | undefined;
  treatedBp: boolean;
  smoker: boolean;
  egfr: ReturnType<typeof currentEgfr>;
  creatinine: LabValue | undefined;
}

/**
 * Every score the facts allow, in a fixed order. Scores whose inputs are missing are left out
 * (the assessment lists them as data gaps).
 */
export function computeScores(facts: PatientFacts, ctx: ScoreContext): Score[] {
  const months = ctx.settings.labRecencyMonths;
  const latest = (analyte: string): LabValue | undefined => recent(facts, analyte, months)[0];
  const inputs: ScoreInputs = {
    facts,
    ctx,
    months,
    latest,
    age: facts.ageYears,
    sex: facts.sex === 'female' || facts.sex === 'male' ? facts.sex : undefined,
    tc: latest('total-cholesterol'),
    hdl: latest('hdl'),
    sbp: latest('sbp'),
    treatedBp: onClass(facts, ANTIHYPERTENSIVE_CLASSES),
    smoker: facts.currentSmoker === true,
    egfr: currentEgfr(facts, months),
    creatinine: latest('creatinine'),
  };
  return [
    ...pceScores(inputs),
    ...preventScores(inputs),
    ...afScores(inputs),
    ...ckdEpiScores(inputs),
    ...kdigoScores(inputs),
    ...cockcroftGaultScores(inputs),
    ...bmiScores(inputs),
    ...fib4Scores(inputs),
    ...acuteScores(inputs),
  ];
}

/** A score not computed because a dated input is older than its look-back, with those inputs. */
export interface StaleScore {
  /** The score as the old values would give it: never shown, read only to say what was withheld. */
  score: Score;
  stale: StaleInput[];
}

const MS_PER_MONTH = 86_400_000 * 30.44;

/**
 * The declared scores (knowledge/score-look-backs.ts) absent from `scores` only because a dated
 * input is older than its look-back: the scores are computed once more reading old values as
 * current, and each that then appears is returned with the inputs set aside. A score's
 * publication needs every input, so it is not computed from what is left; the rules that read it
 * say which input is not current (recommendations/context.ts `readScore`).
 */
export function staleScoreInputs(
  facts: PatientFacts,
  ctx: ScoreContext,
  scores: readonly Score[],
): Map<string, StaleScore> {
  const out = new Map<string, StaleScore>();
  const isOld = (lab: LabValue | undefined, months: number): lab is LabValue =>
    lab !== undefined && facts.now.getTime() - lab.time > months * MS_PER_MONTH;
  const absent = Object.keys(SCORE_LOOK_BACKS).filter((id) => !scores.some((s) => s.id === id));
  // The scores are computed again only when an absent score has an input past its look-back.
  const worthChecking = absent.some((id) =>
    (SCORE_LOOK_BACKS[id] ?? []).some((l) =>
      isOld(facts.labs.get(l.analyte)?.[0], l.months ?? ctx.settings.labRecencyMonths),
    ),
  );
  if (!worthChecking) return out;
  const withOld = computeScores(facts, {
    ...ctx,
    settings: { ...ctx.settings, labRecencyMonths: Number.POSITIVE_INFINITY },
  });
  for (const id of absent) {
    const score = withOld.find((s) => s.id === id);
    if (!score) continue;
    const used = new Set(score.inputs.map((i) => i.findingId));
    const stale: StaleInput[] = [];
    for (const l of SCORE_LOOK_BACKS[id] ?? []) {
      const months = l.months ?? ctx.settings.labRecencyMonths;
      const lab = facts.labs.get(l.analyte)?.[0];
      if (!isOld(lab, months) || !used.has(lab.findingId)) continue;
      stale.push({
        analyte: lab.analyte || l.analyte,
        label: `${l.label} (for ${SCORE_SHORT_NAMES[id] ?? score.label})`,
        value: lab.value,
        ...(lab.unit ? { unit: lab.unit } : {}),
        date: lab.date,
        lookBackMonths: months,
        findingId: lab.findingId,
        citationIds: [...l.citationIds],
      });
    }
    if (stale.length > 0) out.set(id, { score, stale });
  }
  return out;
}

/** Pooled Cohort Equations 10-year ASCVD risk. */
function pceScores(s: ScoreInputs): Score[] {
  const { facts, ctx, age, sex, tc, hdl, sbp, treatedBp, smoker } = s;
  const scores: Score[] = [];
  // Pooled Cohort Equations (ages 40-79, no clinical ASCVD).
  if (
    age !== undefined &&
    sex &&
    tc &&
    hdl &&
    sbp &&
    age >= 40 &&
    age <= 79 &&
    // Goff 2014: for people without clinical ASCVD, a resolved (prior) event included.
    !everRecorded(facts, 'ascvd', 'stroke-tia', 'myocardial-infarction')
  ) {
    const black = facts.usCoreRace?.includes('2054-5') ?? false;
    const group: PceGroup = `${black ? 'african-american' : 'white'}-${sex}`;
    const risk = pceRisk({
      group,
      age,
      totalCholesterol: tc.value,
      hdl: hdl.value,
      sbp: sbp.value,
      treatedBp,
      smoker,
      diabetes: ctx.diabetes,
    });
    const pct = risk * 100;
    scores.push({
      id: 'pce-ascvd-10y',
      label: 'Pooled Cohort Equations: 10-year ASCVD risk',
      value: Number(pct.toFixed(1)),
      unit: '%',
      interpretation:
        pct >= 20
          ? 'High risk (≥ 20%)'
          : pct >= 7.5
            ? 'Intermediate risk (7.5-19.9%)'
            : pct >= 5
              ? 'Borderline risk (5-7.4%)'
              : 'Low risk (< 5%)',
      inputs: [
        input('Age', `${age} years`, 'patient-age'),
        input('Sex', sex, 'patient-sex'),
        input('Equation set (race)', black ? 'African American (US Core race)' : 'White/other (default)'),
        input('Total cholesterol', `${fmt(tc.value)} mg/dL`, tc.findingId),
        input('HDL cholesterol', `${fmt(hdl.value)} mg/dL`, hdl.findingId),
        input('Systolic BP', `${fmt(sbp.value)} mmHg`, sbp.findingId),
        input('BP treated', treatedBp ? 'yes' : 'no'),
        input('Current smoker', smoker ? 'yes' : 'no'),
        input('Diabetes', ctx.diabetes ? 'yes' : 'no'),
      ],
      informational: false,
      citationIds: ['goff-2013-pce', 'grundy-2018-cholesterol-diagnosis'],
    });
  }
  return scores;
}

/** PREVENT 10-year total CVD and ASCVD risk. */
function preventScores(s: ScoreInputs): Score[] {
  const { facts, ctx, age, sex, tc, hdl, sbp, treatedBp, smoker, egfr } = s;
  const scores: Score[] = [];
  // PREVENT (ages 30-79), race-free.
  if (
    age !== undefined &&
    sex &&
    tc &&
    hdl &&
    sbp &&
    egfr &&
    // Khan 2024: for people without known CVD (ASCVD or heart failure), prior events included.
    !everRecorded(facts, 'ascvd', 'stroke-tia', 'myocardial-infarction', 'heart-failure')
  ) {
    const p: PreventInput = {
      sex,
      age,
      totalCholesterol: tc.value,
      hdl: hdl.value,
      sbp: sbp.value,
      diabetes: ctx.diabetes,
      smoker,
      egfr: egfr.value,
      antihypertensive: treatedBp,
      statin: onStatin(facts),
    };
    if (isPreventInputValid(p)) {
      const inputs = [
        input('Age', `${age} years`, 'patient-age'),
        input('Sex', sex, 'patient-sex'),
        input('Total cholesterol', `${fmt(tc.value)} mg/dL`, tc.findingId),
        input('HDL cholesterol', `${fmt(hdl.value)} mg/dL`, hdl.findingId),
        input('Systolic BP', `${fmt(sbp.value)} mmHg`, sbp.findingId),
        input(
          'eGFR',
          `${fmt(egfr.value)} mL/min/1.73m²${egfr.computed ? ' (CKD-EPI 2021 from creatinine)' : ''}`,
          egfr.findingId,
        ),
        input('Antihypertensive', p.antihypertensive ? 'yes' : 'no'),
        input('Statin', p.statin ? 'yes' : 'no'),
        input('Current smoker', smoker ? 'yes' : 'no'),
        input('Diabetes', ctx.diabetes ? 'yes' : 'no'),
      ];
      for (const outcome of ['cvd', 'ascvd'] as const) {
        const pct = preventRisk(outcome, p) * 100;
        scores.push({
          id: `prevent-${outcome}-10y`,
          label: `PREVENT: 10-year ${outcome === 'cvd' ? 'total CVD' : 'ASCVD'} risk`,
          value: Number(pct.toFixed(1)),
          unit: '%',
          interpretation:
            pct >= 20
              ? 'High risk (≥ 20%)'
              : pct >= 7.5
                ? 'Intermediate risk (7.5-19.9%)'
                : pct >= 5
                  ? 'Borderline risk (5-7.4%)'
                  : 'Low risk (< 5%)',
          inputs,
          informational: false,
          citationIds: ['khan-2024-prevent'],
        });
      }
    }
  }
  return scores;
}

/** CHA₂DS₂-VASc and HAS-BLED, when atrial fibrillation is recorded or seen on an ECG. */
function afScores(s: ScoreInputs): Score[] {
  const { facts, ctx, latest, age, sex, sbp } = s;
  const scores: Score[] = [];
  // CHA2DS2-VASc and HAS-BLED when atrial fibrillation is recorded or seen on an ECG.
  const hasAf = isRecorded(facts, 'af') || facts.findings.some((f) => f.code === 'ecg-af');
  if (hasAf && age !== undefined && sex) {
    // Lip 2010: stroke, TIA or thromboembolism ever (2 points); vascular disease = prior myocardial
    // infarction, peripheral artery disease or aortic plaque only (not angina, not stroke).
    const strokeTia = everRecorded(facts, 'stroke-tia');
    const vascular = everRecorded(facts, 'myocardial-infarction', 'pad', 'aortic-plaque');
    const value = cha2ds2Vasc({
      heartFailure: ctx.heartFailure,
      hypertension: ctx.hypertension,
      age,
      diabetes: ctx.diabetes,
      strokeTiaThromboembolism: strokeTia,
      vascularDisease: vascular,
      female: sex === 'female',
    });
    const highThreshold = sex === 'female' ? 3 : 2;
    scores.push({
      id: 'cha2ds2-vasc',
      label: 'CHA₂DS₂-VASc',
      value,
      interpretation:
        value >= highThreshold
          ? `Annual stroke risk ≥ 2%: anticoagulation indicated (score ≥ ${highThreshold})`
          : value === highThreshold - 1
            ? 'Annual stroke risk 1-2%: anticoagulation reasonable'
            : 'Low risk',
      inputs: [
        input('Heart failure', ctx.heartFailure ? 'yes' : 'no'),
        input('Hypertension', ctx.hypertension ? 'yes' : 'no'),
        input('Age', `${age} years`, 'patient-age'),
        input('Diabetes', ctx.diabetes ? 'yes' : 'no'),
        input('Stroke/TIA/thromboembolism', strokeTia ? 'yes' : 'no'),
        input('Vascular disease', vascular ? 'yes' : 'no'),
        input('Sex', sex, 'patient-sex'),
      ],
      informational: false,
      citationIds: ['lip-2010-cha2ds2-vasc', 'joglar-2023-af-diagnosis'],
    });
    const creat = latest('creatinine');
    const items = {
      uncontrolledHypertension: (sbp?.value ?? 0) > 160,
      abnormalRenal: isRecorded(facts, 'esrd-dialysis') || (creat?.value ?? 0) >= 2.26,
      abnormalLiver: isRecorded(facts, 'cirrhosis', 'liver-disease'),
      stroke: strokeTia,
      // Pisters 2010: bleeding history or predisposition (anemia aside): any recorded bleed or diathesis.
      bleeding: everRecorded(facts, 'gi-bleed', 'major-bleeding'),
      labileInr: false,
      elderly: age > 65,
      drugs: onClass(facts, ANTIPLATELET_OR_NSAID),
      alcohol: false,
    };
    const hb = hasBled(items);
    scores.push({
      id: 'has-bled',
      label: 'HAS-BLED',
      value: hb,
      interpretation: `${hb >= 3 ? 'High bleeding risk (≥ 3): address modifiable factors' : 'Bleeding risk not high'}; labile INR and alcohol not assessable from the record; never a reason alone to withhold anticoagulation`,
      inputs: Object.entries(items).map(([k, v]) => input(k, v ? 'yes' : 'no')),
      informational: true,
      citationIds: ['pisters-2010-has-bled', 'joglar-2023-af-diagnosis'],
    });
  }
  return scores;
}

/** eGFR by CKD-EPI 2021 from the latest creatinine. */
function ckdEpiScores(s: ScoreInputs): Score[] {
  const { age, sex, creatinine } = s;
  const scores: Score[] = [];
  // CKD-EPI 2021 from the latest creatinine.
  if (creatinine && age !== undefined && sex && age >= 18) {
    const value = ckdEpi2021(creatinine.value, age, sex);
    scores.push({
      id: 'egfr-ckd-epi-2021',
      label: 'eGFR (CKD-EPI 2021, creatinine, race-free)',
      value: Number(value.toFixed(0)),
      unit: 'mL/min/1.73m²',
      interpretation: `GFR category ${kdigoGfrCategory(value)}`,
      inputs: [
        input(
          'Creatinine',
          `${creatinine.value.toFixed(2)} mg/dL (${creatinine.date.slice(0, 10)})`,
          creatinine.findingId,
        ),
        input('Age', `${age} years`, 'patient-age'),
        input('Sex', sex, 'patient-sex'),
      ],
      informational: false,
      citationIds: ['inker-2021-ckd-epi'],
    });
  }
  return scores;
}

/** KDIGO GFR and albuminuria stage. */
function kdigoScores(s: ScoreInputs): Score[] {
  const { latest, egfr } = s;
  const scores: Score[] = [];
  // KDIGO G/A stage.
  if (egfr) {
    const uacr = latest('uacr');
    const g = kdigoGfrCategory(egfr.value);
    const a = uacr ? kdigoAlbuminuriaCategory(uacr.value) : undefined;
    scores.push({
      id: 'kdigo-stage',
      label: 'KDIGO CKD stage (GFR and albuminuria categories)',
      value: Number(egfr.value.toFixed(0)),
      unit: 'mL/min/1.73m²',
      interpretation: a ? `${g} ${a} (${kdigoRisk(g, a)} risk)` : `${g} (albuminuria not measured)`,
      inputs: [
        input('eGFR', `${fmt(egfr.value)} mL/min/1.73m²`, egfr.findingId),
        ...(uacr ? [input('UACR', `${fmt(uacr.value)} mg/g`, uacr.findingId)] : []),
      ],
      informational: false,
      citationIds: ['kdigo-2024-ckd'],
    });
  }
  return scores;
}

/** Creatinine clearance by Cockcroft-Gault. */
function cockcroftGaultScores(s: ScoreInputs): Score[] {
  const { latest, age, sex, creatinine } = s;
  const scores: Score[] = [];
  // Cockcroft-Gault.
  const weight = latest('weight');
  if (creatinine && weight && age !== undefined && sex && age >= 18) {
    const value = cockcroftGault(age, weight.value, creatinine.value, sex);
    scores.push({
      id: 'crcl-cockcroft-gault',
      label: 'Creatinine clearance (Cockcroft-Gault)',
      value: Number(value.toFixed(0)),
      unit: 'mL/min',
      interpretation:
        value < 30 ? 'Below 30 mL/min: check renal dose limits' : value < 60 ? '30-59 mL/min' : '≥ 60 mL/min',
      inputs: [
        input('Age', `${age} years`, 'patient-age'),
        input('Weight', `${fmt(weight.value, 1)} kg`, weight.findingId),
        input('Creatinine', `${creatinine.value.toFixed(2)} mg/dL`, creatinine.findingId),
        input('Sex', sex, 'patient-sex'),
      ],
      informational: false,
      citationIds: ['cockcroft-gault-1976'],
    });
  }
  return scores;
}

/** BMI class (adults). */
function bmiScores(s: ScoreInputs): Score[] {
  const { latest, age } = s;
  const scores: Score[] = [];
  // BMI class (adults).
  const bmi = latest('bmi');
  if (bmi && (age === undefined || age >= 18)) {
    scores.push({
      id: 'bmi',
      label: 'Body mass index',
      value: Number(bmi.value.toFixed(1)),
      unit: 'kg/m²',
      interpretation: bmiClass(bmi.value),
      inputs: [input('BMI', `${bmi.value.toFixed(1)} kg/m² (${bmi.date.slice(0, 10)})`, bmi.findingId)],
      informational: false,
      citationIds: ['cdc-adult-bmi-categories', 'who-2000-obesity-trs894'],
    });
  }
  return scores;
}

/** FIB-4 index. */
function fib4Scores(s: ScoreInputs): Score[] {
  const { facts, months } = s;
  const scores: Score[] = [];
  // FIB-4.
  const f4 = latestFib4(facts, months);
  if (f4) {
    const band = fib4Band(f4.value);
    scores.push({
      id: 'fib-4',
      label: 'FIB-4 index',
      value: Number(f4.value.toFixed(2)),
      interpretation:
        band === 'high'
          ? 'High risk of advanced fibrosis (≥ 2.67)'
          : band === 'indeterminate'
            ? 'Indeterminate (1.30-2.67)'
            : 'Low risk of advanced fibrosis (< 1.30)',
      inputs: [
        input('Age', `${f4.age} years`, 'patient-age'),
        input('AST', `${fmt(f4.ast.value)} U/L`, f4.ast.findingId),
        input('ALT', `${fmt(f4.alt.value)} U/L`, f4.alt.findingId),
        input('Platelets', `${fmt(f4.plt.value)} ×10³/µL`, f4.plt.findingId),
      ],
      informational: false,
      citationIds: ['sterling-2006-fib4', 'shah-2009-fib4-nafld', 'rinella-2023-aasld-masld'],
    });
  }
  return scores;
}

/** qSOFA and SIRS from the current encounter (information only). */
function acuteScores(s: ScoreInputs): Score[] {
  const { facts } = s;
  const scores: Score[] = [];
  // qSOFA and SIRS: from values of the current encounter (knowledge/acute-window.ts); they drive
  // a card only through a can't-miss problem (cant-miss.ts), never on their own.
  const acute = (analyte: string) => {
    const v = facts.labs.get(analyte)?.[0];
    return v && facts.now.getTime() - v.time <= ACUTE_WINDOW_MS ? v : undefined;
  };
  const rr = acute('resp-rate');
  const sbpNow = acute('sbp');
  const gcs = acute('gcs');
  const altered =
    (gcs ? gcs.value < 15 : false) ||
    facts.findings.some(
      (f) =>
        f.code === 'symptom:altered-mentation' &&
        f.date !== undefined &&
        facts.now.getTime() - Date.parse(f.date) <= ACUTE_WINDOW_MS,
    );
  const qsofaKnown = [rr, sbpNow, gcs].filter(Boolean).length;
  if (qsofaKnown >= 2) {
    const value = qsofa({ respRate: rr?.value, sbp: sbpNow?.value, alteredMentation: altered });
    scores.push({
      id: 'qsofa',
      label: 'qSOFA (information only)',
      value,
      interpretation: `${value >= 2 ? 'Positive (≥ 2)' : 'Negative'}; a prognostic screen, not a sepsis diagnosis; not for time-critical alerting`,
      inputs: [
        input('Respiratory rate', rr ? `${fmt(rr.value)} /min` : 'not measured', rr?.findingId),
        input('Systolic BP', sbpNow ? `${fmt(sbpNow.value)} mmHg` : 'not measured', sbpNow?.findingId),
        input('Altered mentation', altered ? 'yes' : gcs ? 'no' : 'not assessed', gcs?.findingId),
      ],
      informational: true,
      citationIds: ['seymour-2016-qsofa'],
    });
  }
  const temp = acute('temperature');
  const hr = acute('heart-rate');
  const wbc = acute('wbc');
  if ([temp, hr, rr, wbc].filter(Boolean).length >= 2) {
    const value = sirs({
      temperature: temp?.value,
      heartRate: hr?.value,
      respRate: rr?.value,
      wbc: wbc?.value,
    });
    scores.push({
      id: 'sirs',
      label: 'SIRS criteria (information only)',
      value,
      interpretation: `${value >= 2 ? '≥ 2 criteria met' : 'Fewer than 2 criteria'}; information only, not a sepsis alert`,
      inputs: [
        input('Temperature', temp ? `${temp.value.toFixed(1)} °C` : 'not measured', temp?.findingId),
        input('Heart rate', hr ? `${fmt(hr.value)} /min` : 'not measured', hr?.findingId),
        input('Respiratory rate', rr ? `${fmt(rr.value)} /min` : 'not measured', rr?.findingId),
        input('WBC', wbc ? `${wbc.value.toFixed(1)} ×10³/µL` : 'not measured', wbc?.findingId),
      ],
      informational: true,
      citationIds: ['bone-1992-sirs'],
    });
  }
  // NEWS2: an aggregate track-and-trigger score from the same encounter's vitals. Supplemental
  // oxygen is rarely recorded as data: without it the score is that of a patient on air, a floor.
  const spo2 = acute('spo2');
  const measured = [rr, spo2, sbpNow, hr, temp].filter(Boolean).length;
  if (measured >= 4) {
    const n = news2({
      respRate: rr?.value,
      spo2: spo2?.value,
      sbp: sbpNow?.value,
      pulse: hr?.value,
      alteredConsciousness: altered,
      temperature: temp?.value,
    });
    const band =
      n.total >= 7
        ? 'High (≥ 7)'
        : n.total >= 5
          ? 'Medium (5–6)'
          : n.singleThree
            ? 'Low–medium (one parameter scores 3)'
            : 'Low (0–4)';
    scores.push({
      id: 'news2',
      label: 'NEWS2 (information only)',
      value: n.total,
      interpretation: `${band}; supplemental oxygen not recorded, scored as air (the true score may be 2 higher); information only`,
      inputs: [
        input('Respiratory rate', rr ? `${fmt(rr.value)} /min` : 'not measured', rr?.findingId),
        input('SpO2', spo2 ? `${fmt(spo2.value)} %` : 'not measured', spo2?.findingId),
        input('Systolic BP', sbpNow ? `${fmt(sbpNow.value)} mmHg` : 'not measured', sbpNow?.findingId),
        input('Pulse', hr ? `${fmt(hr.value)} /min` : 'not measured', hr?.findingId),
        input(
          'Consciousness',
          altered ? 'new confusion or reduced' : gcs ? 'alert' : 'not assessed',
          gcs?.findingId,
        ),
        input('Temperature', temp ? `${temp.value.toFixed(1)} °C` : 'not measured', temp?.findingId),
      ],
      informational: true,
      citationIds: ['rcp-2017-news2'],
    });
  }
  return scores;
}
