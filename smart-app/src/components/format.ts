/** Display formats shared by the views. Deterministic (no locale, no clock) so what a test sees is what a user sees. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Formats an ISO 8601 date or dateTime as written, without converting time zones: the record's own
 * date is what the clinician will find in the chart. "2026-03-02T14:05:00Z" → "2 Mar 2026, 14:05".
 */
export function formatDate(iso: string | undefined): string {
  if (!iso) return 'date unknown';
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?)?/.exec(iso);
  if (!match) return iso;
  const [, year, month, day, hour, minute] = match;
  const monthName = month ? MONTHS[Number(month) - 1] : undefined;
  if (!monthName) return year ?? iso;
  if (!day) return `${monthName} ${year}`;
  const date = `${Number(day)} ${monthName} ${year}`;
  return hour && minute ? `${date}, ${hour}:${minute}` : date;
}

/** A probability (0-1) as a whole percent; below 1% shows "<1%" rather than a misleading 0%. */
export function formatPercent(probability: number): string {
  const percent = probability * 100;
  if (percent > 0 && percent < 1) return '<1%';
  if (percent < 100 && percent > 99) return '>99%';
  return `${Math.round(percent)}%`;
}

/** A likelihood ratio as a multiplier of the odds: ×2.4, ×0.3, ×12. */
export function formatLikelihoodRatio(lr: number): string {
  const text = lr >= 10 ? String(Math.round(lr)) : Number(lr.toPrecision(2)).toString();
  return `×${text}`;
}

export type Direction = 'raises' | 'lowers' | 'neutral';

export function directionOf(lr: number): Direction {
  if (lr > 1) return 'raises';
  if (lr < 1) return 'lowers';
  return 'neutral';
}

/** The first 8 characters of a hash, enough to tell knowledge-base versions apart on screen. */
export function shortHash(hash: string): string {
  return hash.replace(/^sha256[:-]/, '').slice(0, 8);
}
