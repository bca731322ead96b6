/**
 * Guideline diagnostic criteria, evaluated on the facts. Each function returns whether the
 * criteria are met, the stage or class where the guideline defines one, a sentence with the
 * numbers, and the findings it rests on. The criteria text and citations live in the knowledge
 * base (knowledge/conditions.ts); the thresholds here are those texts, in code.
 */
import type { LabValue, PatientFacts } from './facts';
import { averageBloodPressure, latestFib4, recent } from './findings/derived';
import { findAki, findPersistent } from './findings/trends';
import { kdigoAlbuminuriaCategory, kdigoGfrCategory, bmiClass } from './scores/simple';

export interface CriteriaResult {
  met: boolean;
  stage?: string;
  /** The evidence in words, with values and dates. */
  detail: string;
  findingIds: string[];
}

export interface CriteriaContext {
  facts: PatientFacts;
  recencyMonths: number;
}

type Evaluator = (ctx: CriteriaContext) => CriteriaResult | undefined;

const day = (v: LabValue) => v.date.slice(0, 10);
const num = (v: number, d = 1) => String(Number(v.toFixed(d)));
const listValues = (vs: LabValue[], unit: string, d = 1) =>
  vs
    .slice(0, 3)
    .map((v) => `${num(v.value, d)}${unit} (${day(v)})`)
    .join(', ');
const all = (ctx: CriteriaContext, analyte: string) => ctx.facts.labs.get(analyte) ?? [];
const isAdult = (ctx: CriteriaContext) => ctx.facts.ageYears === undefined || ctx.facts.ageYears >= 18;

function diabetesCriteria(ctx: CriteriaContext): CriteriaResult | undefined {
  const a1cHigh = all(ctx, 'a1c').filter((v) => v.value >= 6.5);
  const fpgHigh = all(ctx, 'glucose-fasting').filter((v) => v.value >= 126);
  const anyData = all(ctx, 'a1c').length + all(ctx, 'glucose-fasting').length > 0;
  if (!anyData) return undefined;
  const ids = [...a1cHigh, ...fpgHigh].map((v) => v.findingId);
  if (a1cHigh.length >= 2) return { met: true, detail: `HbA1c ${listValues(a1cHigh, '%')}`, findingIds: ids };
  if (fpgHigh.length >= 2)
    return { met: true, detail: `Fasting glucose ${listValues(fpgHigh, ' mg/dL', 0)}`, findingIds: ids };
  if (a1cHigh.length >= 1 && fpgHigh.length >= 1) {
    return {
      met: true,
      detail: `HbA1c ${listValues(a1cHigh, '%')} and fasting glucose ${listValues(fpgHigh, ' mg/dL', 0)}`,
      findingIds: ids,
    };
  }
  if (ids.length)
    return {
      met: false,
      detail: `One abnormal result needing confirmation: ${a1cHigh.length ? `HbA1c ${listValues(a1cHigh, '%')}` : `fasting glucose ${listValues(fpgHigh, ' mg/dL', 0)}`}`,
      findingIds: ids,
    };
  return { met: false, detail: 'No diabetic-range HbA1c or fasting glucose', findingIds: [] };
}

export const CRITERIA: Readonly<Record<string, Evaluator>> = Object.freeze({
  t2d: diabetesCriteria,
  prediabetes: (ctx) => {
    const diabetic = diabetesCriteria(ctx)?.met || ctx.facts.recordedConditions.has('t2d');
    const a1c = recent(ctx.facts, 'a1c', ctx.recencyMonths)[0];
    const fpg = recent(ctx.facts, 'glucose-fasting', ctx.recencyMonths)[0];
    if (!a1c && !fpg) return undefined;
    const parts: string[] = [];
    const ids: string[] = [];
    if (a1c && a1c.value >= 5.7 && a1c.value < 6.5) {
      parts.push(`HbA1c ${num(a1c.value)}% (${day(a1c)})`);
      ids.push(a1c.findingId);
    }
    if (fpg && fpg.value >= 100 && fpg.value < 126) {
      parts.push(`fasting glucose ${num(fpg.value, 0)} mg/dL (${day(fpg)})`);
      ids.push(fpg.findingId);
    }
    if (!parts.length || diabetic)
      return {
        met: false,
        detail: diabetic ? 'Diabetes criteria met instead' : 'Glycemia in the normal range',
        findingIds: ids,
      };
    return { met: true, detail: parts.join(' and '), findingIds: ids };
  },
  htn: (ctx) => {
    if (!isAdult(ctx)) return undefined;
    const bp = averageBloodPressure(ctx.facts);
    if (!bp) return undefined;
    const text = `Average BP ${Math.round(bp.sbp)}/${Math.round(bp.dbp)} mmHg over ${bp.occasions} visits (${bp.from} to ${bp.to})`;
    // ≥ 140/90 is hypertension by ACC/AHA 2017 (stage 2) and the 2024 ESC guideline alike; office
    // readings in the ACC/AHA stage 1 range are confirmed out of the office before the diagnosis.
    const met = bp.category === 'stage-2';
    return {
      met,
      stage:
        bp.category === 'stage-2'
          ? 'Stage 2'
          : bp.category === 'stage-1'
            ? 'Stage 1 (ACC/AHA), confirm with home or ambulatory readings'
            : bp.category === 'elevated'
              ? 'Elevated'
              : undefined,
      detail: text,
      findingIds: ['trend-bp-average'],
    };
  },
  hyperlipidemia: (ctx) => {
    const ldl = all(ctx, 'ldl');
    const tc = all(ctx, 'total-cholesterol');
    if (!ldl.length && !tc.length) return undefined;
    // ACC/AHA 2018: LDL ≥ 190 mg/dL is severe hypercholesterolemia on its own; the NCEP "high"
    // values below it enter the differential as evidence, not as the diagnosis.
    const severe = ldl.filter((v) => v.value >= 190);
    const highLdl = ldl.filter((v) => v.value >= 160);
    const highTc = tc.filter((v) => v.value >= 240);
    if (severe.length)
      return {
        met: true,
        detail: `LDL cholesterol ${listValues(severe, ' mg/dL', 0)}`,
        findingIds: severe.map((v) => v.findingId),
      };
    if (highLdl.length || highTc.length)
      return {
        met: false,
        detail: highLdl.length
          ? `LDL cholesterol ${listValues(highLdl, ' mg/dL', 0)}, below 190 mg/dL`
          : `Total cholesterol ${listValues(highTc, ' mg/dL', 0)}`,
        findingIds: [...highLdl, ...highTc].map((v) => v.findingId),
      };
    const latest = ldl[0] ?? tc[0];
    return {
      met: false,
      detail: latest
        ? `Latest ${ldl[0] ? 'LDL' : 'total cholesterol'} ${num(latest.value, 0)} mg/dL (${day(latest)})`
        : 'No lipid values',
      findingIds: [],
    };
  },
  fh: (ctx) => {
    const ldl = all(ctx, 'ldl');
    if (!ldl.length) return undefined;
    const max = ldl.reduce((a, b) => (b.value > a.value ? b : a));
    const ldlPoints =
      max.value >= 330 ? 8 : max.value >= 250 ? 5 : max.value >= 190 ? 3 : max.value >= 155 ? 1 : 0;
    const age = ctx.facts.ageYears;
    const prematureLimit = ctx.facts.sex === 'female' ? 60 : 55;
    const ascvd = ctx.facts.recordedConditions.get('ascvd') ?? [];
    const cadPoints = ascvd.length && age !== undefined && age < prematureLimit ? 2 : 0;
    const points = ldlPoints + cadPoints;
    const stage =
      points > 8
        ? 'Definite (DLCN > 8)'
        : points >= 6
          ? 'Probable (DLCN 6-8)'
          : points >= 3
            ? 'Possible (DLCN 3-5)'
            : undefined;
    return {
      met: points >= 3,
      stage,
      detail: `Highest LDL ${num(max.value, 0)} mg/dL (${day(max)}): Dutch Lipid Clinic Network ${points} points from the record${cadPoints ? ' including premature coronary disease' : ''}`,
      findingIds: [max.findingId, ...ascvd.map((f) => f.id)],
    };
  },
  ckd: (ctx) => {
    const egfrValues = all(ctx, 'egfr');
    const uacrValues = all(ctx, 'uacr');
    if (!egfrValues.length && !uacrValues.length) return undefined;
    const egfr = findPersistent(egfrValues, (v) => v < 60);
    const uacr = findPersistent(uacrValues, (v) => v >= 30);
    const latestEgfr = egfrValues[0];
    const latestUacr = uacrValues[0];
    const g = latestEgfr ? kdigoGfrCategory(latestEgfr.value) : undefined;
    const a = latestUacr ? kdigoAlbuminuriaCategory(latestUacr.value) : undefined;
    const stage = [g, a].filter(Boolean).join(' ') || undefined;
    const months = (days: number) => `${Math.round(days / 30.44)} months apart`;
    if (egfr) {
      return {
        met: true,
        stage,
        detail: `eGFR ${num(egfr.earlier.value, 0)} and ${num(egfr.latest.value, 0)} mL/min/1.73m², ${months(egfr.days)}`,
        findingIds: ['trend-egfr-lt-60-persistent', egfr.earlier.findingId, egfr.latest.findingId],
      };
    }
    if (uacr) {
      return {
        met: true,
        stage,
        detail: `UACR ${num(uacr.earlier.value, 0)} and ${num(uacr.latest.value, 0)} mg/g, ${months(uacr.days)}`,
        findingIds: ['trend-uacr-ge-30-persistent', uacr.earlier.findingId, uacr.latest.findingId],
      };
    }
    const low = latestEgfr && latestEgfr.value < 60 ? latestEgfr : undefined;
    const alb = latestUacr && latestUacr.value >= 30 ? latestUacr : undefined;
    if (low || alb) {
      return {
        met: false,
        stage,
        detail: `${low ? `eGFR ${num(low.value, 0)} mL/min/1.73m² (${day(low)})` : `UACR ${num((alb as LabValue).value, 0)} mg/g (${day(alb as LabValue)})`}; repeat after 3 months to confirm chronicity`,
        findingIds: [(low ?? alb)?.findingId ?? ''],
      };
    }
    return { met: false, detail: 'Kidney function and albuminuria in the normal range', findingIds: [] };
  },
  hfref: (ctx) => {
    const lvef = all(ctx, 'lvef')[0];
    if (!lvef) return undefined;
    return {
      met: lvef.value <= 40,
      stage: lvef.value <= 40 ? `LVEF ${num(lvef.value, 0)}%` : undefined,
      detail: `LVEF ${num(lvef.value, 0)}% (${day(lvef)})`,
      findingIds: [lvef.findingId],
    };
  },
  af: (ctx) => {
    const ecg = ctx.facts.findings.filter((f) => f.code === 'ecg-af');
    if (!ecg.length) return undefined;
    return {
      met: true,
      detail: `Atrial fibrillation on ECG (${ecg.map((f) => f.date?.slice(0, 10)).join(', ')})`,
      findingIds: ecg.map((f) => f.id),
    };
  },
  obesity: (ctx) => {
    if (!isAdult(ctx)) return undefined;
    const bmi = recent(ctx.facts, 'bmi', ctx.recencyMonths)[0];
    if (!bmi) return undefined;
    return {
      met: bmi.value >= 30,
      stage: bmi.value >= 30 ? bmiClass(bmi.value).replace('Obesity class', 'Class') : undefined,
      detail: `BMI ${bmi.value.toFixed(1)} kg/m² (${day(bmi)})`,
      findingIds: [bmi.findingId],
    };
  },
  'anemia-iron-deficiency': (ctx) => anemiaCriteria(ctx, true),
  anemia: (ctx) => anemiaCriteria(ctx, false),
  hypothyroidism: (ctx) => {
    const tsh = recent(ctx.facts, 'tsh', ctx.recencyMonths)[0];
    if (!tsh) return undefined;
    const ft4 = recent(ctx.facts, 'free-t4', ctx.recencyMonths)[0];
    const ids = [tsh.findingId, ...(ft4 ? [ft4.findingId] : [])];
    const text = `TSH ${num(tsh.value, 2)} mIU/L (${day(tsh)})${ft4 ? `, free T4 ${num(ft4.value, 2)} ng/dL` : ''}`;
    if (tsh.value > 4.5 && ft4 && ft4.value < 0.8)
      return { met: true, stage: 'Overt', detail: text, findingIds: ids };
    if (tsh.value >= 10) return { met: true, stage: 'Subclinical (TSH ≥ 10)', detail: text, findingIds: ids };
    return { met: false, stage: tsh.value > 4.5 ? 'Subclinical' : undefined, detail: text, findingIds: ids };
  },
  hyperthyroidism: (ctx) => {
    const tsh = recent(ctx.facts, 'tsh', ctx.recencyMonths)[0];
    if (!tsh) return undefined;
    const ft4 = recent(ctx.facts, 'free-t4', ctx.recencyMonths)[0];
    const ids = [tsh.findingId, ...(ft4 ? [ft4.findingId] : [])];
    const text = `TSH ${num(tsh.value, 2)} mIU/L (${day(tsh)})${ft4 ? `, free T4 ${num(ft4.value, 2)} ng/dL` : ''}`;
    if (tsh.value < 0.4 && ft4 && ft4.value > 1.8)
      return { met: true, stage: 'Overt', detail: text, findingIds: ids };
    if (tsh.value < 0.1)
      return { met: true, stage: 'Subclinical, grade 2 (TSH < 0.1)', detail: text, findingIds: ids };
    return {
      met: false,
      stage: tsh.value < 0.4 ? 'Subclinical, grade 1' : undefined,
      detail: text,
      findingIds: ids,
    };
  },
  aki: (ctx) => {
    const creat = recent(ctx.facts, 'creatinine', ctx.recencyMonths);
    if (creat.length < 2) return undefined;
    const aki = findAki(creat);
    if (!aki)
      return {
        met: false,
        detail: `Creatinine ${num(creat[0]?.value ?? 0, 2)} mg/dL without a KDIGO rise`,
        findingIds: [],
      };
    return {
      met: true,
      stage: `KDIGO stage ${aki.stage}`,
      detail: `Creatinine ${num(aki.baseline.value, 2)} → ${num(aki.latest.value, 2)} mg/dL (${day(aki.baseline)} to ${day(aki.latest)})`,
      findingIds: ['trend-aki-creatinine-rise', aki.baseline.findingId, aki.latest.findingId],
    };
  },
  hyperkalemia: (ctx) => {
    const k = recent(ctx.facts, 'potassium', ctx.recencyMonths)[0];
    if (!k) return undefined;
    const stage =
      k.value >= 6
        ? 'Severe (≥ 6.0)'
        : k.value >= 5.5
          ? 'Moderate (5.5-5.9)'
          : k.value > 5
            ? 'Mild (5.1-5.4)'
            : undefined;
    return {
      met: k.value > 5,
      stage,
      detail: `Potassium ${num(k.value)} mmol/L (${day(k)})`,
      findingIds: [k.findingId],
    };
  },
  hyponatremia: (ctx) => {
    const na = recent(ctx.facts, 'sodium', ctx.recencyMonths)[0];
    if (!na) return undefined;
    const stage =
      na.value < 125
        ? 'Profound (< 125)'
        : na.value < 130
          ? 'Moderate (125-129)'
          : na.value < 135
            ? 'Mild (130-134)'
            : undefined;
    return {
      met: na.value < 135,
      stage,
      detail: `Sodium ${num(na.value, 0)} mmol/L (${day(na)})`,
      findingIds: [na.findingId],
    };
  },
  'masld-fibrosis': (ctx) => {
    const f4 = latestFib4(ctx.facts, ctx.recencyMonths);
    if (!f4 || f4.age < 35) return undefined;
    const stage =
      f4.band === 'high'
        ? 'High risk (FIB-4 ≥ 2.67)'
        : f4.band === 'indeterminate'
          ? 'Indeterminate (1.30-2.67)'
          : undefined;
    return {
      met: f4.band === 'high',
      stage,
      detail: `FIB-4 ${f4.value.toFixed(2)} (age ${f4.age}, AST ${num(f4.ast.value, 0)}, ALT ${num(f4.alt.value, 0)}, platelets ${num(f4.plt.value, 0)})`,
      findingIds: ['score-fib-4', f4.ast.findingId, f4.alt.findingId, f4.plt.findingId],
    };
  },
  acs: (ctx) => {
    const trop = ctx.facts.findings.filter((f) => f.code === 'troponin-elevated');
    if (!trop.length) return undefined;
    const pain = ctx.facts.findings.filter((f) => f.code === 'symptom:chest-pain');
    return {
      met: pain.length > 0,
      detail: `Troponin above the upper reference limit (${trop[0]?.date?.slice(0, 10)})${pain.length ? ' with chest pain' : ''}`,
      findingIds: [...trop, ...pain].map((f) => f.id),
    };
  },
  copd: (ctx) => {
    const ratio = all(ctx, 'fev1-fvc');
    const low = ratio.filter((v) => v.value < 70);
    if (!ratio.length) return undefined;
    if (!low.length)
      return { met: false, detail: `FEV1/FVC ${num(ratio[0]?.value ?? 0, 0)}%`, findingIds: [] };
    return {
      met: true,
      detail: `FEV1/FVC ${listValues(low, '%', 0)}`,
      findingIds: low.map((v) => v.findingId),
    };
  },
  depression: (ctx) => {
    const phq = recent(ctx.facts, 'phq-9', ctx.recencyMonths)[0];
    if (!phq) return undefined;
    const s = phq.value;
    const stage =
      s >= 20
        ? 'Severe (PHQ-9 ≥ 20)'
        : s >= 15
          ? 'Moderately severe (15-19)'
          : s >= 10
            ? 'Moderate (10-14)'
            : s >= 5
              ? 'Mild (5-9)'
              : undefined;
    return { met: s >= 10, stage, detail: `PHQ-9 ${num(s, 0)} (${day(phq)})`, findingIds: [phq.findingId] };
  },
});

function anemiaCriteria(ctx: CriteriaContext, ironDeficiency: boolean): CriteriaResult | undefined {
  const hb = recent(ctx.facts, 'hemoglobin', ctx.recencyMonths)[0];
  if (!hb || !isAdult(ctx)) return undefined;
  const female = ctx.facts.sex === 'female';
  const threshold = female ? 12 : 13;
  const low = hb.value < threshold;
  const ferritin = recent(ctx.facts, 'ferritin', ctx.recencyMonths)[0];
  const mcv = recent(ctx.facts, 'mcv', ctx.recencyMonths)[0];
  const ironPattern =
    (ferritin !== undefined && ferritin.value < 45) ||
    (ferritin === undefined && mcv !== undefined && mcv.value < 80);
  const confirmedIron = ferritin !== undefined && ferritin.value < 45;
  const severity = hb.value < 8 ? 'Severe' : hb.value < 11 ? 'Moderate' : 'Mild';
  const ids = [hb.findingId, ...(ferritin ? [ferritin.findingId] : []), ...(mcv ? [mcv.findingId] : [])];
  const text = `Hemoglobin ${num(hb.value)} g/dL (${day(hb)})${ferritin ? `, ferritin ${num(ferritin.value, 0)} ng/mL` : ''}${mcv ? `, MCV ${num(mcv.value, 0)} fL` : ''}`;
  if (!low) return { met: false, detail: text, findingIds: [hb.findingId] };
  if (ironDeficiency) return { met: confirmedIron, stage: severity, detail: text, findingIds: ids };
  return { met: !ironPattern, stage: severity, detail: text, findingIds: ids };
}
