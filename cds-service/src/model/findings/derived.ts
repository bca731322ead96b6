import type { Finding } from '@rationale/shared-types';
import type { LabValue, PatientFacts } from '../facts';
import { fib4, fib4Band } from '../scores/fib4';

const DAY_MS = 86_400_000;
/** BP readings older than this do not enter the average (two years, the record's recent window). */
export const BP_WINDOW_DAYS = 730;

export interface BpAverage {
  sbp: number;
  dbp: number;
  occasions: number;
  readings: Array<{ sbp: LabValue; dbp: LabValue }>;
  category: 'normal' | 'elevated' | 'stage-1' | 'stage-2';
  from: string;
  to: string;
}

/**
 * The 2017 ACC/AHA office BP estimate: the average of readings on the most recent (up to three)
 * occasions within two years; each occasion's readings averaged first. Needs ≥ 2 occasions.
 */
export function averageBloodPressure(facts: PatientFacts, maxOccasions = 3): BpAverage | undefined {
  const sbps = facts.labs.get('sbp') ?? [];
  const dbps = facts.labs.get('dbp') ?? [];
  const nowMs = facts.now.getTime();
  const byDay = new Map<string, Array<{ sbp: LabValue; dbp: LabValue }>>();
  const dbpByKey = new Map<string, LabValue>();
  for (const d of dbps)
    if (!dbpByKey.has(`${d.source.reference}|${d.date}`)) dbpByKey.set(`${d.source.reference}|${d.date}`, d);
  for (const s of sbps) {
    if (nowMs - s.time > BP_WINDOW_DAYS * DAY_MS) break;
    const d = dbpByKey.get(`${s.source.reference}|${s.date}`);
    if (!d) continue;
    const day = s.date.slice(0, 10);
    const list = byDay.get(day) ?? [];
    list.push({ sbp: s, dbp: d });
    byDay.set(day, list);
  }
  const days = [...byDay.keys()].sort().reverse().slice(0, maxOccasions);
  if (days.length < 2) return undefined;
  let sbpSum = 0;
  let dbpSum = 0;
  const readings: Array<{ sbp: LabValue; dbp: LabValue }> = [];
  for (const day of days) {
    const list = byDay.get(day) ?? [];
    sbpSum += list.reduce((a, r) => a + r.sbp.value, 0) / list.length;
    dbpSum += list.reduce((a, r) => a + r.dbp.value, 0) / list.length;
    readings.push(...list);
  }
  const sbp = sbpSum / days.length;
  const dbp = dbpSum / days.length;
  const category =
    sbp >= 140 || dbp >= 90
      ? 'stage-2'
      : sbp >= 130 || dbp >= 80
        ? 'stage-1'
        : sbp >= 120
          ? 'elevated'
          : 'normal';
  return {
    sbp,
    dbp,
    occasions: days.length,
    readings,
    category,
    from: days[days.length - 1] as string,
    to: days[0] as string,
  };
}

/** FIB-4 from the latest age, AST, ALT and platelets (all within the recent window). */
export function latestFib4(facts: PatientFacts, recencyMonths: number) {
  const age = facts.ageYears;
  const pick = (analyte: string) => recent(facts, analyte, recencyMonths)[0];
  const ast = pick('ast');
  const alt = pick('alt');
  const plt = pick('platelets');
  if (age === undefined || !ast || !alt || !plt) return undefined;
  const value = fib4(age, ast.value, alt.value, plt.value);
  if (!Number.isFinite(value)) return undefined;
  return { value, band: fib4Band(value), ast, alt, plt, age };
}

/** Values of an analyte within `months` of now, newest first. */
export function recent(facts: PatientFacts, analyte: string, months: number): LabValue[] {
  const cutoff = facts.now.getTime() - months * 30.44 * DAY_MS;
  const values = facts.labs.get(analyte) ?? [];
  // Newest first: stop at the first value older than the window.
  let end = 0;
  while (end < values.length && (values[end] as LabValue).time >= cutoff) end++;
  return values.slice(0, end);
}

export interface DerivedFindings {
  /** Findings added to the assessment (BP average, FIB-4). */
  findings: Finding[];
  /** Derived code → ids of the findings that establish it. */
  present: Map<string, string[]>;
}

/**
 * Derived finding codes read by the knowledge base's `derived` rules: trend findings from
 * extraction (eGFR/UACR persistence, AKI, ECG AF, troponin), the BP average category, FIB-4 band,
 * and markers that a defining test was done and normal (for absent findings).
 */
export function deriveFindings(facts: PatientFacts, recencyMonths: number): DerivedFindings {
  const present = new Map<string, string[]>();
  const add = (code: string, ids: string[]) => {
    const list = present.get(code);
    if (list) list.push(...ids);
    else present.set(code, [...ids]);
  };
  const findings: Finding[] = [];
  for (const f of facts.findings) {
    if (
      f.kind === 'trend' ||
      f.code === 'ecg-af' ||
      f.code === 'troponin-elevated' ||
      f.code === 'troponin-normal'
    )
      add(f.code, [f.id]);
  }
  const bp = averageBloodPressure(facts);
  if (bp && (facts.ageYears === undefined || facts.ageYears >= 18)) {
    const code = `bp-avg-${bp.category}`;
    findings.push({
      id: 'trend-bp-average',
      code,
      kind: 'trend',
      label: `Average BP ${Math.round(bp.sbp)}/${Math.round(bp.dbp)} mmHg over ${bp.occasions} visits (${bp.from} to ${bp.to})`,
      value: Math.round(bp.sbp),
      unit: 'mm[Hg]',
      valueText: `${Math.round(bp.sbp)}/${Math.round(bp.dbp)}`,
      date: bp.to,
      sources: bp.readings.map((r) => r.sbp.source),
    });
    add(code, ['trend-bp-average']);
  }
  const egfrSeries = recent(facts, 'egfr', recencyMonths);
  const egfr = egfrSeries[0];
  if (egfr && egfr.value >= 60) add('egfr-ge-60-latest', [egfr.findingId]);
  if (egfr && egfr.value < 60) {
    // KDIGO acute kidney disease: a fall of ≥ 35% from a value within the past year is an acute
    // pattern, not evidence of chronic disease until it persists.
    const latestMs = Date.parse(egfr.date);
    const baseline = egfrSeries
      .slice(1)
      .find(
        (v) => latestMs - Date.parse(v.date) <= 365 * DAY_MS && v.value >= 60 && egfr.value <= 0.65 * v.value,
      );
    if (baseline) add('egfr-acute-drop', [baseline.findingId, egfr.findingId]);
    else add('egfr-lt-60-steady', [egfr.findingId]);
  }
  const uacr = recent(facts, 'uacr', recencyMonths)[0];
  if (uacr && uacr.value < 30) add('uacr-lt-30-latest', [uacr.findingId]);
  const creatinine = recent(facts, 'creatinine', recencyMonths);
  if (creatinine.length >= 2 && !present.has('aki-creatinine-rise'))
    add('creatinine-stable', [creatinine[0]?.findingId ?? '']);
  const f4 = latestFib4(facts, recencyMonths);
  if (f4) {
    const code = f4.band === 'high' ? 'fib4-ge-2.67' : f4.band === 'low' ? 'fib4-lt-1.30' : 'fib4-1.30-2.67';
    findings.push({
      id: 'score-fib-4',
      code,
      kind: 'score',
      label: `FIB-4 ${f4.value.toFixed(2)}`,
      value: f4.value,
      date: [f4.ast.date, f4.alt.date, f4.plt.date].sort().reverse()[0],
      sources: [f4.ast.source, f4.alt.source, f4.plt.source],
    });
    add(code, ['score-fib-4']);
  }
  return { findings, present };
}
