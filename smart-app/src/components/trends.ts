/**
 * What the app's pictures show (issue 20 §1), as plain functions: for a hypothesis, the lab and
 * vital trends it rests on (with the rule's threshold and the result's reference range) and the
 * dated findings that moved it. The drawing is in plots.tsx, loaded after the first paint.
 */
import type { Contribution, Finding, Hypothesis } from '@rationale/shared-types';

/** One analyte's results over time, with what a clinician compares them against. */
export interface TrendSeries {
  /** The findings' `code`: the analyte ("egfr", "a1c", "sbp"). */
  analyte: string;
  /** "eGFR", "HbA1c": the finding label without its value. */
  label: string;
  unit?: string;
  /** Oldest first; each has a value, a date and at least one source. */
  points: Finding[];
  threshold?: NonNullable<Contribution['threshold']>;
  referenceRange?: NonNullable<Finding['referenceRange']>;
}

const PLOTTED_KINDS = new Set<Finding['kind']>(['observation', 'vital']);

const isPlottable = (f: Finding): boolean =>
  PLOTTED_KINDS.has(f.kind) && f.value !== undefined && f.date !== undefined && f.sources.length > 0;

/** "HbA1c 7.2 %" → "HbA1c": the label up to its number. */
export function analyteLabel(finding: Finding): string {
  return finding.label.replace(/\s+[<>≤≥]?-?\d[\d.,]*(\s.*)?$/u, '').trim() || finding.code;
}

/**
 * The trends a hypothesis rests on: every analyte that one of its contributions or criteria reads
 * (a lab threshold, or a measured finding), with all of that analyte's results in the assessment.
 */
export function trendsFor(hypothesis: Hypothesis, findings: ReadonlyMap<string, Finding>): TrendSeries[] {
  const thresholds = new Map<string, NonNullable<Contribution['threshold']>>();
  const analytes: string[] = [];
  const add = (analyte: string) => {
    if (!analytes.includes(analyte)) analytes.push(analyte);
  };
  for (const c of hypothesis.contributions) {
    if (c.threshold) {
      add(c.threshold.analyte);
      if (!thresholds.has(c.threshold.analyte)) thresholds.set(c.threshold.analyte, c.threshold);
    }
    const finding = c.findingId ? findings.get(c.findingId) : undefined;
    if (finding && isPlottable(finding)) add(finding.code);
  }
  for (const id of hypothesis.criteria?.findingIds ?? []) {
    const finding = findings.get(id);
    if (finding && isPlottable(finding)) add(finding.code);
  }
  const all = [...findings.values()];
  return analytes.flatMap((analyte) => {
    const points = all
      .filter((f) => f.code === analyte && isPlottable(f))
      .sort((a, b) => Date.parse(a.date ?? '') - Date.parse(b.date ?? ''));
    const latest = points.at(-1);
    if (!latest) return [];
    const range = [...points].reverse().find((p) => p.referenceRange)?.referenceRange;
    const threshold = thresholds.get(analyte);
    return [
      {
        analyte,
        label: analyteLabel(latest),
        ...(latest.unit ? { unit: latest.unit } : {}),
        points,
        ...(threshold ? { threshold } : {}),
        ...(range ? { referenceRange: range } : {}),
      },
    ];
  });
}

/** One dated finding that moved a hypothesis, for the timeline. */
export interface TimelineEntry {
  finding: Finding;
  contribution: Contribution;
}

/** The dated findings that moved a hypothesis, oldest first. */
export function timelineFor(hypothesis: Hypothesis, findings: ReadonlyMap<string, Finding>): TimelineEntry[] {
  return hypothesis.contributions
    .flatMap((contribution) => {
      const finding = contribution.findingId ? findings.get(contribution.findingId) : undefined;
      return finding?.date && finding.sources.length > 0 ? [{ finding, contribution }] : [];
    })
    .sort((a, b) => Date.parse(a.finding.date ?? '') - Date.parse(b.finding.date ?? ''));
}
