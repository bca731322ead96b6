/**
 * Text helpers for cards: summaries that fit under 140 characters without losing their numbers,
 * findings described the way a physician reads them ("eGFR 52 and 49, 4 months apart"), and
 * Markdown that never carries raw HTML (Epic renders HTML only behind its content-type extension).
 */
import type { Card, Citation, Finding } from '@rationale/shared-types';
import { formatProbability } from '@rationale/shared-types';

/** CDS Hooks: the summary SHALL be under 140 characters. */
export const SUMMARY_MAX = 139;

const ELLIPSIS = '…';

/**
 * Joins a required head and optional specifics ("diabetes", "age 58", "LDL 132") into one summary
 * under 140 characters. Specifics are dropped from the end first, so the numbers that come first
 * survive; only when the head alone is too long is it cut at a word boundary with an ellipsis.
 */
export function fitSummary(head: string, specifics: readonly string[] = [], max = SUMMARY_MAX): string {
  const cleanHead = collapse(head);
  const parts = specifics.map(collapse).filter((p) => p.length > 0);
  for (let n = parts.length; n > 0; n--) {
    const candidate = `${cleanHead}: ${parts.slice(0, n).join(', ')}`;
    if (candidate.length <= max) return candidate;
  }
  return truncateAtWord(cleanHead, max);
}

/** Cuts text to at most `max` characters at a word boundary, ending with an ellipsis when cut. */
export function truncateAtWord(text: string, max: number): string {
  const clean = collapse(text);
  if (clean.length <= max) return clean;
  const room = max - ELLIPSIS.length;
  const cut = clean.slice(0, room + 1);
  const lastSpace = cut.lastIndexOf(' ');
  // A single word longer than the room (a very long drug name) is cut mid-word rather than lost.
  const base = lastSpace > room / 2 ? cut.slice(0, lastSpace) : clean.slice(0, room);
  return `${base.replace(/[\s,;:+\-–—/(]+$/u, '')}${ELLIPSIS}`;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Numbers as a chart shows them: 52, 7.2, 1.35, 132 (no trailing zeros, no exponent). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

/**
 * A probability as a percentage, the same as the app shows it (shared-types formatProbability):
 * 0.724 → "72%", 0.004 → "<1%", 0.997 → ">99%".
 */
export function formatPercent(p: number): string {
  return formatProbability(p);
}

/** The date part of an ISO date or dateTime: "2026-03-02". */
export function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^\d{4}(-\d{2}(-\d{2})?)?/.exec(value);
  return m ? m[0] : undefined;
}

/** Whole months between two ISO dates (rounded), for "4 months apart". */
export function monthsBetween(a: string, b: string): number | undefined {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return undefined;
  return Math.round(Math.abs(ta - tb) / (1000 * 60 * 60 * 24 * 30.4375));
}

/**
 * "eGFR" from "eGFR 52 mL/min/1.73m²": the label up to its first value, a number after a space or
 * a comparison sign; digits inside a name stay ("HbA1c 7.1 %" → "HbA1c", not "HbA").
 */
export function findingName(finding: Finding): string {
  const m = /^(.*?)(?:\s+[<>≤≥=]?\s*|\s*[<>≤≥=]\s*)-?\d/u.exec(finding.label);
  const name = m?.[1]?.trim();
  return name && name.length > 0 ? name : finding.label;
}

/**
 * Short phrases for the findings behind a card, one per analyte (LOINC code, else finding code):
 * repeated measurements become "eGFR 52 and 49, 4 months apart" (in time order), single ones keep
 * their label.
 */
export function describeFindings(findings: readonly Finding[]): string[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.coding?.code ? `${f.coding.system ?? ''}|${f.coding.code}` : f.code;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  // A trend finding ("eGFR 52 and 49, 4 months apart") already says what its measurements say.
  const trendNames = new Set(findings.filter((f) => f.kind === 'trend').map(findingName));
  const phrases: string[] = [];
  for (const group of groups.values()) {
    const head = group[0];
    if (head && head.kind !== 'trend' && trendNames.has(findingName(head))) continue;
    const measured = group
      .filter((f) => f.value !== undefined && f.date !== undefined)
      .sort((x, y) => (y.date ?? '').localeCompare(x.date ?? ''));
    if (measured.length >= 2) {
      // The latest three values in time order, so a trend reads left to right: "eGFR 58, 52 and 49".
      const shown = measured.slice(0, 3).reverse();
      const oldest = shown[0];
      const newest = shown[shown.length - 1];
      const values = shown.map((f) => formatNumber(f.value ?? 0));
      const valueText = `${values.slice(0, -1).join(', ')} and ${values[values.length - 1] ?? ''}`;
      const months = oldest && newest ? monthsBetween(newest.date ?? '', oldest.date ?? '') : undefined;
      const span =
        months === undefined
          ? ''
          : months >= 1
            ? `, ${months} month${months === 1 ? '' : 's'} apart`
            : ', same month';
      phrases.push(`${newest ? findingName(newest) : ''} ${valueText}${span}`.trim());
    } else {
      const first = group[0];
      if (first) phrases.push(stripUnitsForSummary(first.label));
    }
  }
  return mergeTreatments([...new Set(phrases)]);
}

const ON_SINCE = /^on (.+) since (\d{4})$/;

/**
 * Current treatments read as one phrase, oldest first: "on metformin since 2019" and "on insulin
 * glargine since 2021" become "on metformin and insulin glargine since 2019", where the first
 * treatment stood.
 */
function mergeTreatments(phrases: string[]): string[] {
  const treatments = phrases
    .map((p) => ON_SINCE.exec(p))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1] ?? '', since: m[2] ?? '' }))
    .sort((a, b) => a.since.localeCompare(b.since));
  if (treatments.length < 2) return phrases;
  const names = treatments.map((t) => t.name);
  const merged = `on ${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''} since ${treatments[0]?.since ?? ''}`;
  const at = phrases.findIndex((p) => ON_SINCE.test(p));
  return [...phrases.slice(0, at), merged, ...phrases.slice(at).filter((p) => !ON_SINCE.test(p))];
}

/** Drops long UCUM-style units from a summary phrase ("eGFR 52 mL/min/1.73m²" → "eGFR 52"); keeps % and mg/dL. */
export function stripUnitsForSummary(label: string): string {
  return label.replace(/\s*mL\/min\/(\{?1\.73_?m2\}?|1\.73\s?m²|1\.73\s?m2)/giu, '').trim();
}

/**
 * NUL, the other control characters that are not whitespace, and UTF-16 surrogates without their
 * pair: nothing an EHR can display, and a lone surrogate is not even valid UTF-8 on the wire.
 */
const UNSAFE_CHARS =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/** `text` with control characters and lone surrogates replaced by U+FFFD (same length). */
export function cleanText(text: string): string {
  return text.replace(UNSAFE_CHARS, '\uFFFD');
}

/**
 * Plain text for a card's plain-text fields (summary, suggestion and link labels, action
 * descriptions, source label; CDS Hooks 2.0 §Card attributes): cleaned, on one line, and unable to
 * open an HTML tag even in an EHR that renders these fields as HTML: a `<` that would start a tag
 * becomes "‹" (U+2039), so "<img src=x onerror=…>" shows as text and "eGFR < 60" stays as it is.
 * Same length as the input after whitespace collapsing, so a fitted summary stays under 140.
 */
export function plainText(text: string): string {
  return cleanText(collapse(text)).replace(/<(?=[A-Za-z/!?])/g, '\u2039');
}

/**
 * Escapes text taken from the record or the model so it renders literally in GitHub-flavored
 * Markdown: no emphasis, link, image, table, HTML tag or entity, and no autolink (GFM turns a bare
 * `https://…`, `www.…` or e-mail address into a link; the escaped `:`, `.` or `@` stops it). Plain
 * comparison signs ("eGFR < 60") stay readable.
 */
export function escapeMarkdown(text: string): string {
  return cleanText(collapse(text))
    .replace(/\\/g, '\\\\')
    .replace(/([`*_[\]|~])/g, '\\$1')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./giu, '$1\\.')
    .replace(/@/g, '\\@')
    .replace(/^([#>+-])(?=\s)/u, '\\$1')
    .replace(/^(\d+)([.)])(?=\s)/u, '$1\\$2');
}

/**
 * The last step of every card: each plain-text field through `plainText`, the Markdown detail
 * cleaned of control characters and lone surrogates (record text inside it was escaped by
 * `escapeMarkdown` where it was put in). One function, so no field is forgotten.
 */
export function safeCard(card: Card): Card {
  const out: Card = { ...card, summary: plainText(card.summary) };
  if (card.detail !== undefined) out.detail = cleanText(card.detail);
  out.source = {
    ...card.source,
    label: plainText(card.source.label),
    ...(card.source.topic
      ? {
          topic: {
            ...card.source.topic,
            ...(card.source.topic.display !== undefined
              ? { display: plainText(card.source.topic.display) }
              : {}),
          },
        }
      : {}),
  };
  if (card.suggestions) {
    out.suggestions = card.suggestions.map((s) => ({
      ...s,
      label: plainText(s.label),
      ...(s.actions
        ? { actions: s.actions.map((a) => ({ ...a, description: plainText(a.description) })) }
        : {}),
    }));
  }
  if (card.links) out.links = card.links.map((l) => ({ ...l, label: plainText(l.label) }));
  if (card.overrideReasons) {
    out.overrideReasons = card.overrideReasons.map((r) => ({ ...r, display: plainText(r.display) }));
  }
  return out;
}

const URL_ESCAPES: Record<string, string> = { '(': '%28', ')': '%29' };

/**
 * An absolute URL that resolves to the source itself: its DOI first (a DOI names the article, where
 * a URL may be a journal issue or a news page about it), else its URL, else its PubMed page.
 */
export function citationUrl(citation: Citation): string | undefined {
  if (citation.doi) return `https://doi.org/${citation.doi}`;
  if (citation.url) return citation.url;
  if (citation.pmid) return `https://pubmed.ncbi.nlm.nih.gov/${citation.pmid}/`;
  return undefined;
}

/** `[title](url)` with the title cut to 72 characters: the short evidence link of a card. */
export function citationLink(citation: Citation): string {
  const url = citationUrl(citation);
  const title = escapeMarkdown(truncateAtWord(citation.title, 72));
  return url ? `[${title}](${url.replace(/[()\s]/g, (c) => URL_ESCAPES[c] ?? '%20')})` : title;
}

/** `[title](url) — authors, journal year`: a checkable citation line in Markdown. */
export function citationMarkdown(citation: Citation): string {
  const url = citationUrl(citation);
  const title = escapeMarkdown(citation.title);
  const link = url ? `[${title}](${url.replace(/[()\s]/g, (c) => URL_ESCAPES[c] ?? '%20')})` : title;
  const year =
    citation.journal && /\b(19|20)\d{2}\b/.test(citation.journal) ? undefined : String(citation.year);
  const where = [citation.authors, citation.journal, year]
    .filter(Boolean)
    .map((s) => escapeMarkdown(s ?? ''));
  return `${link} — ${where.join(', ')}`;
}

/** True when the text contains something an HTML renderer would treat as a tag. */
export function containsHtml(text: string): boolean {
  return /(^|[^\\])<[A-Za-z/!?]/u.test(text);
}
