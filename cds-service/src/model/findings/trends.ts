import type { Finding } from '@rationale/shared-types';
import type { LabValue, PatientFacts } from '../facts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** KDIGO 2024 CKD: abnormalities of kidney structure or function present for more than 3 months. */
export const CKD_CHRONICITY_DAYS = 90;

export interface PersistentAbnormality {
  /** The most recent abnormal value and an earlier one at least 90 days before it. */
  latest: LabValue;
  earlier: LabValue;
  days: number;
}

/**
 * Finds a persistent abnormality: the latest value is abnormal and an earlier abnormal value lies
 * at least `minDays` before it with no normal value in between (KDIGO chronicity criterion).
 * `values` are newest first.
 */
export function findPersistent(
  values: readonly LabValue[],
  isAbnormal: (value: number) => boolean,
  minDays = CKD_CHRONICITY_DAYS,
): PersistentAbnormality | undefined {
  const latest = values[0];
  if (!latest || !isAbnormal(latest.value)) return undefined;
  const latestMs = Date.parse(latest.date);
  for (const value of values.slice(1)) {
    if (!isAbnormal(value.value)) return undefined;
    const days = (latestMs - Date.parse(value.date)) / DAY_MS;
    if (days >= minDays) return { latest, earlier: value, days };
  }
  return undefined;
}

export interface AkiEpisode {
  latest: LabValue;
  baseline: LabValue;
  /** 'absolute': rise ≥ 0.3 mg/dL within 48 h; 'relative': ≥ 1.5 × baseline within 7 days. */
  criterion: 'absolute' | 'relative';
  rise: number;
  ratio: number;
  /** KDIGO AKI stage by the creatinine criterion (1-3). */
  stage: 1 | 2 | 3;
}

/**
 * KDIGO 2012 AKI by serum creatinine: a rise ≥ 0.3 mg/dL within 48 hours, or ≥ 1.5 times a
 * baseline known or presumed within the prior 7 days. Judged on the most recent creatinine.
 * Stage 1: 1.5-1.9 × baseline or ≥ 0.3 mg/dL; stage 2: 2.0-2.9 ×; stage 3: ≥ 3.0 × or ≥ 4.0 mg/dL.
 */
export function findAki(creatinine: readonly LabValue[]): AkiEpisode | undefined {
  const latest = creatinine[0];
  if (!latest) return undefined;
  const latestMs = Date.parse(latest.date);
  let best: AkiEpisode | undefined;
  for (const prior of creatinine.slice(1)) {
    const elapsed = latestMs - Date.parse(prior.date);
    if (elapsed > 7 * DAY_MS) break;
    if (elapsed <= 0) continue;
    const rise = latest.value - prior.value;
    const ratio = latest.value / prior.value;
    let criterion: AkiEpisode['criterion'] | undefined;
    if (ratio >= 1.5) criterion = 'relative';
    else if (rise >= 0.3 && elapsed <= 48 * HOUR_MS) criterion = 'absolute';
    if (!criterion) continue;
    const stage: AkiEpisode['stage'] = ratio >= 3 || latest.value >= 4 ? 3 : ratio >= 2 ? 2 : 1;
    if (!best || ratio > best.ratio) best = { latest, baseline: prior, criterion, rise, ratio, stage };
  }
  return best;
}

function months(days: number): string {
  const m = Math.round(days / 30.44);
  return m >= 2 ? `${m} months` : `${Math.round(days)} days`;
}

function fmt(value: number): string {
  return String(Number(value.toFixed(value >= 100 ? 0 : value >= 10 ? 0 : 2)));
}

/** Trend findings derived from the facts' lab series (ids are stable: `trend-…`). */
export function deriveTrendFindings(facts: PatientFacts): Finding[] {
  const out: Finding[] = [];
  const egfr = findPersistent(facts.labs.get('egfr') ?? [], (v) => v < 60);
  if (egfr) {
    out.push({
      id: 'trend-egfr-lt-60-persistent',
      code: 'egfr-lt-60-persistent',
      kind: 'trend',
      label: `eGFR ${fmt(egfr.earlier.value)} and ${fmt(egfr.latest.value)} mL/min/1.73m², ${months(egfr.days)} apart`,
      value: egfr.latest.value,
      unit: 'mL/min/{1.73_m2}',
      date: egfr.latest.date,
      sources: [egfr.earlier.source, egfr.latest.source],
    });
  }
  const uacr = findPersistent(facts.labs.get('uacr') ?? [], (v) => v >= 30);
  if (uacr) {
    out.push({
      id: 'trend-uacr-ge-30-persistent',
      code: 'uacr-ge-30-persistent',
      kind: 'trend',
      label: `UACR ${fmt(uacr.earlier.value)} and ${fmt(uacr.latest.value)} mg/g, ${months(uacr.days)} apart`,
      value: uacr.latest.value,
      unit: 'mg/g',
      date: uacr.latest.date,
      sources: [uacr.earlier.source, uacr.latest.source],
    });
  }
  const aki = findAki(facts.labs.get('creatinine') ?? []);
  if (aki) {
    const hours = Math.round((Date.parse(aki.latest.date) - Date.parse(aki.baseline.date)) / HOUR_MS);
    out.push({
      id: 'trend-aki-creatinine-rise',
      code: 'aki-creatinine-rise',
      kind: 'trend',
      label: `Creatinine ${aki.baseline.value.toFixed(2)} → ${aki.latest.value.toFixed(2)} mg/dL in ${hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} h`} (${aki.ratio.toFixed(1)}×)`,
      value: aki.latest.value,
      unit: 'mg/dL',
      valueText: `KDIGO stage ${aki.stage}`,
      date: aki.latest.date,
      sources: [aki.baseline.source, aki.latest.source],
    });
  }
  return out;
}
