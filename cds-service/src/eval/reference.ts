/**
 * The evaluation's reference standard, written independently of the model's criteria code: does a
 * record's raw data meet the guideline definition of a condition? Straight threshold checks on
 * the Observations by LOINC code (mg/dL and % units as Synthea writes them), and for hypertension
 * an active prescription of a blood-pressure-lowering drug by name.
 */
import type { Observation, PatientRecord } from '@rationale/shared-types';

const DAY = 86_400_000;

interface Point {
  t: number;
  v: number;
}

function series(record: PatientRecord, codes: string[], now: Date): Point[] {
  const out: Point[] = [];
  for (const o of record.observations) {
    const code = o.code?.coding?.find((c) => c.system === 'http://loinc.org')?.code;
    const t = Date.parse(o.effectiveDateTime ?? '');
    if (!code || !codes.includes(code) || !Number.isFinite(t) || t > now.getTime()) continue;
    const v = o.valueQuantity?.value;
    if (v !== undefined) out.push({ t, v });
  }
  return out.sort((a, b) => b.t - a.t);
}

function bpReadings(record: PatientRecord, now: Date): Array<{ day: string; s: number; d: number }> {
  const out: Array<{ day: string; s: number; d: number }> = [];
  const comp = (o: Observation, code: string) =>
    o.component?.find((c) => c.code?.coding?.some((x) => x.code === code))?.valueQuantity?.value;
  for (const o of record.observations) {
    const t = Date.parse(o.effectiveDateTime ?? '');
    if (!Number.isFinite(t) || t > now.getTime() || now.getTime() - t > 730 * DAY) continue;
    const s = comp(o, '8480-6');
    const d = comp(o, '8462-4');
    if (s !== undefined && d !== undefined) out.push({ day: (o.effectiveDateTime ?? '').slice(0, 10), s, d });
  }
  return out;
}

/**
 * The first-line blood-pressure-lowering classes of ACC/AHA 2017 (§8.1.6: thiazide-type
 * diuretics, ACE inhibitors, ARBs, dihydropyridine calcium-channel blockers), by ingredient name
 * as a prescription's text or coding display spells it. Kept apart from the model's drug table.
 */
const BP_LOWERING_INGREDIENTS = [
  'hydrochlorothiazide',
  'chlorthalidone',
  'indapamide',
  'benazepril',
  'captopril',
  'enalapril',
  'fosinopril',
  'lisinopril',
  'perindopril',
  'quinapril',
  'ramipril',
  'trandolapril',
  'azilsartan',
  'candesartan',
  'irbesartan',
  'losartan',
  'olmesartan',
  'telmisartan',
  'valsartan',
  'amlodipine',
  'felodipine',
  'nicardipine',
  'nifedipine',
];

/** An active prescription of a first-line blood-pressure-lowering drug authored by `now`. */
function onBpLoweringDrug(record: PatientRecord, now: Date): boolean {
  return record.medicationRequests.some((m) => {
    if (m.status !== 'active' || Date.parse(m.authoredOn ?? '') > now.getTime()) return false;
    const concept = m.medicationCodeableConcept;
    const text = [concept?.text, ...(concept?.coding ?? []).map((c) => c.display)].join(' ').toLowerCase();
    return BP_LOWERING_INGREDIENTS.some((i) => text.includes(i));
  });
}

function ageAt(record: PatientRecord, now: Date): number | undefined {
  const b = record.patient.birthDate;
  return b ? (now.getTime() - Date.parse(b)) / (365.25 * DAY) : undefined;
}

function persistent(points: Point[], abnormal: (v: number) => boolean): boolean {
  const [latest, ...rest] = points;
  if (!latest || !abnormal(latest.v)) return false;
  for (const p of rest) {
    if (!abnormal(p.v)) return false;
    if (latest.t - p.t >= 90 * DAY) return true;
  }
  return false;
}

/** Conditions with an independent reference check, and the check. */
export const REFERENCE_CRITERIA: Readonly<Record<string, (record: PatientRecord, now: Date) => boolean>> = {
  // ADA: HbA1c ≥ 6.5% or fasting glucose ≥ 126 mg/dL on two occasions (any time).
  t2d: (r, now) =>
    series(r, ['4548-4'], now).filter((p) => p.v >= 6.5).length >= 2 ||
    series(r, ['1558-6'], now).filter((p) => p.v >= 126).length >= 2,
  // The model's published definition (NCHS Data Brief 289, the definition its prior counts):
  // an office average ≥ 140/90 mmHg (ACC/AHA 2017 stage 2; hypertension by the 2024 ESC
  // guideline), here the mean of the last (up to 3) visit days within 2 years, ≥ 2 days, or
  // currently taking blood-pressure-lowering medication; adults.
  htn: (r, now) => {
    const age = ageAt(r, now);
    if (age !== undefined && age < 18) return false;
    if (onBpLoweringDrug(r, now)) return true;
    const byDay = new Map<string, Array<{ s: number; d: number }>>();
    for (const x of bpReadings(r, now)) byDay.set(x.day, [...(byDay.get(x.day) ?? []), x]);
    const days = [...byDay.keys()].sort().reverse().slice(0, 3);
    if (days.length < 2) return false;
    const mean = (f: (x: { s: number; d: number }) => number) =>
      days.reduce(
        (a, day) => a + (byDay.get(day) ?? []).reduce((b, x) => b + f(x), 0) / (byDay.get(day) ?? []).length,
        0,
      ) / days.length;
    return mean((x) => x.s) >= 140 || mean((x) => x.d) >= 90;
  },
  // KDIGO: eGFR < 60 or UACR ≥ 30 for > 3 months.
  ckd: (r, now) =>
    persistent(
      series(r, ['33914-3', '62238-1', '48642-3', '48643-1', '77147-7', '98979-8'], now),
      (v) => v < 60,
    ) || persistent(series(r, ['14959-1', '9318-7'], now), (v) => v >= 30),
  // NCEP ATP III: LDL ≥ 160 or total cholesterol ≥ 240 mg/dL (any time).
  hyperlipidemia: (r, now) =>
    series(r, ['18262-6'], now).some((p) => p.v >= 160) || series(r, ['2093-3'], now).some((p) => p.v >= 240),
  // WHO/CDC: latest BMI within 2 years ≥ 30, adults.
  obesity: (r, now) => {
    const age = ageAt(r, now);
    const latest = series(r, ['39156-5'], now)[0];
    return (
      (age === undefined || age >= 18) &&
      latest !== undefined &&
      now.getTime() - latest.t <= 730 * DAY &&
      latest.v >= 30
    );
  },
};
