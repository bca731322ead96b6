/**
 * One vocabulary and one set of numbers for the cards and the app: probabilities, hypothesis
 * status labels and urgency labels are formatted here and nowhere else, so the same finding never
 * reads "100%" on a card and ">99%" in the app, or "Possible" in one place and "Suggested" in the other.
 * Deterministic: no locale, no clock.
 */
import type { Hypothesis, UrgencyClass } from './assessment';

/**
 * A probability (0-1) as a whole percent. Below 1% reads "<1%" and above 99% reads ">99%": a
 * model estimate is never shown as a certainty (0% or 100%) it does not have.
 */
export function formatProbability(probability: number): string {
  if (!Number.isFinite(probability)) return 'n/a';
  const percent = probability * 100;
  if (percent > 0 && percent < 1) return '<1%';
  if (percent < 100 && percent > 99) return '>99%';
  return `${Math.round(percent)}%`;
}

/** A range of probabilities or risks: "7.5-20%" style, each end formatted alike. */
export function formatProbabilityRange(low: number, high: number): string {
  return `${formatProbability(low).replace(/%$/, '')}–${formatProbability(high)}`;
}

/** The one-word status of a hypothesis, the same on a card and in the app. */
export const STATUS_LABEL: Readonly<Record<Hypothesis['status'], string>> = Object.freeze({
  recorded: 'Recorded',
  suggested: 'Suggested',
  possible: 'Possible',
  unlikely: 'Unlikely',
});

/** What each status means, in one sentence (the app's legend; a card's detail). */
export const STATUS_MEANING: Readonly<Record<Hypothesis['status'], string>> = Object.freeze({
  recorded: 'on the problem list',
  suggested: 'not on the problem list; the data meet its diagnostic criteria',
  possible: 'not on the problem list; diagnostic criteria not yet met',
  unlikely: 'below the threshold for a suggestion',
});

/**
 * How a hypothesis's likelihood is shown: a recorded condition is shown as recorded, never as a
 * model probability (a recorded hyperlipidemia is not "2%"); the others as their estimate.
 */
export function formatHypothesisLikelihood(h: Pick<Hypothesis, 'status' | 'posterior'>): string {
  return h.status === 'recorded' ? STATUS_LABEL.recorded : formatProbability(h.posterior);
}

/** Urgency classes as a clinician reads them, in card order. */
export const URGENCY_LABEL: Readonly<Record<UrgencyClass, string>> = Object.freeze({
  'cant-miss': "Can't miss",
  'order-safety': 'Order safety',
  'chronic-gap': 'Care gap',
  screening: 'Screening',
});

/** A measured value with its unit as a chart shows it: 52, 7.2, 1.35, 132 (no trailing zeros). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

/** Display units for labels (UCUM is kept in Finding.unit and StaleInput.unit). */
export const DISPLAY_UNITS: Readonly<Record<string, string>> = Object.freeze({
  'mL/min/{1.73_m2}': 'mL/min/1.73m²',
  'mm[Hg]': 'mmHg',
  'm[IU]/L': 'mIU/L',
  Cel: '°C',
  '{score}': '',
  '{INR}': '',
  '10*3/uL': '×10³/µL',
  'ng/mL{FEU}': 'ng/mL FEU',
});

/** A UCUM unit as labels show it ("mL/min/{1.73_m2}" → "mL/min/1.73m²"); others unchanged. */
export function displayUnit(ucum: string): string {
  return DISPLAY_UNITS[ucum] ?? ucum;
}
