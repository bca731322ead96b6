/**
 * One card per Assessment item: a suggested diagnosis, a guideline recommendation or an order-safety
 * alert becomes a CDS Hooks card with a specific summary (numbers first, under 140 characters), a
 * Markdown detail a physician can check (findings with values and dates, the score, the gap, the
 * contraindications checked, the citation), a stable topic, override reasons and suggestions whose
 * actions are FHIR R4 resources. The card policy (policy.ts) decides which items become cards.
 */
import type {
  Action,
  Assessment,
  CantMiss,
  Card,
  Citation,
  Finding,
  Hypothesis,
  Indicator,
  Link,
  Recommendation,
  SafetyAlert,
  Score,
  SiteModelPrediction,
  SiteModelResult,
  Suggestion,
} from '@rationale/shared-types';
import {
  addProblemAction,
  createOrderAction,
  deleteOrderAction,
  hasProblemListCode,
  orderDescription,
} from './fhir-actions';
import { displayUnit, formatProbability, STATUS_LABEL, STATUS_MEANING } from '@rationale/shared-types';
import { ADVICE_OVERRIDE_REASONS, SAFETY_OVERRIDE_REASONS } from './override-reasons';
import {
  citationLink,
  citationMarkdown,
  citationUrl,
  describeFindings,
  escapeMarkdown,
  fitSummary,
  formatNumber,
  isoDate,
  stripUnitsForSummary,
  SUMMARY_MAX,
  truncateAtWord,
} from './text';
import {
  cantMissTopic,
  diagnosisTopic,
  recommendationTopic,
  safetyTopic,
  siteModelTopic,
  type Topic,
} from './topics';

/** What every card builder reads: the assessment, indexed once, and the render options it needs. */
export interface RenderContext {
  assessment: Assessment;
  findingsById: ReadonlyMap<string, Finding>;
  citationsById: ReadonlyMap<string, Citation>;
  sourceLabel: string;
  appLaunchUrl?: string;
  newUuid: () => string;
}

export function renderContext(
  assessment: Assessment,
  options: { sourceLabel: string; appLaunchUrl?: string; newUuid: () => string },
): RenderContext {
  return {
    assessment,
    findingsById: new Map(assessment.findings.map((f) => [f.id, f])),
    citationsById: new Map(assessment.citations.map((c) => [c.id, c])),
    sourceLabel: options.sourceLabel,
    ...(options.appLaunchUrl ? { appLaunchUrl: options.appLaunchUrl } : {}),
    newUuid: options.newUuid,
  };
}

/** The label of the SMART link; Epic ignores it but requires it. */
export const REASONING_LINK_LABEL = 'Review the reasoning';

// ---------------------------------------------------------------------------------------------
// Indicators (DESIGN.md §6)
// ---------------------------------------------------------------------------------------------

/** Diagnoses are probabilistic: always `info`, never `critical`. */
export function diagnosisIndicator(_h: Hypothesis): Indicator {
  return 'info';
}

/** `warning` only for a strong guideline gap whose inputs were all present and recent. */
export function recommendationIndicator(r: Recommendation): Indicator {
  return r.priority === 'strong' && r.dataComplete ? 'warning' : 'info';
}

/**
 * A can't-miss acute problem the current encounter's data support (sepsis screen positive, ADHF
 * with a raised natriuretic peptide, chest pain, severe hyperkalemia, AKI on a nephrotoxin) is a
 * `warning`: it is backed by measured values and a cited rule, not by a probability alone; never
 * `critical`, which is kept for contraindicated orders.
 */
export function cantMissIndicator(_c: CantMiss): Indicator {
  return 'warning';
}

/** `critical` only for a contraindicated order backed by high-severity evidence; other order problems warn. */
export function safetyIndicator(a: SafetyAlert): Indicator {
  return a.contraindicated && a.severity === 'high' ? 'critical' : 'warning';
}

// ---------------------------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------------------------

function findingsOf(ids: readonly string[], ctx: RenderContext): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const f = ctx.findingsById.get(id);
    if (f && !seen.has(id)) {
      seen.add(id);
      out.push(f);
    }
  }
  return out;
}

/** The findings a diagnosis card cites: the criteria's when met, else the strongest present contributions. */
export function diagnosisFindings(h: Hypothesis, ctx: RenderContext): Finding[] {
  if (h.criteria?.met && h.criteria.findingIds.length > 0) return findingsOf(h.criteria.findingIds, ctx);
  const ids = h.contributions
    .filter((c) => c.present && c.findingId && c.likelihoodRatio > 1)
    .sort((a, b) => b.likelihoodRatio - a.likelihoodRatio)
    .map((c) => c.findingId ?? '');
  return findingsOf(ids, ctx);
}

function diagnosisName(h: Hypothesis): string {
  return h.stage ? `${h.label} ${h.stage}` : h.label;
}

/**
 * "CKD G3a (suggested): eGFR 52 and 49, 4 months apart": the status word is the app's
 * (shared-types STATUS_LABEL); with the estimate when guideline criteria are not met.
 */
export function diagnosisSummary(h: Hypothesis, ctx: RenderContext): string {
  const estimate = h.criteria?.met ? '' : `, est. ${formatProbability(h.posterior)}`;
  const head = `${diagnosisName(h)} (${STATUS_LABEL[h.status].toLowerCase()}${estimate})`;
  const specifics = describeFindings(diagnosisFindings(h, ctx));
  return fitSummary(head, specifics.length > 0 ? specifics : rationaleParts(h.rationale));
}

/**
 * The specifics of a model rationale for a summary: its first sentence, split at commas and
 * semicolons, without parentheses (dates and remarks stay in the detail), label prefixes
 * ("Pooled Cohort Equations: 10-year ASCVD risk 17.7%" → "10-year ASCVD risk 17.7%") or long
 * kidney-function units: "Diabetes, age 58, LDL 132 mg/dL (2026-03-02)" → ["diabetes", "age 58", "LDL 132 mg/dL"].
 */
export function rationaleParts(rationale: string): string[] {
  const firstSentence = rationale.split(/(?<=[a-z0-9%)])\.\s+(?=[A-Z])/u)[0] ?? rationale;
  return firstSentence
    .replace(/\s*\([^()]*\)/g, '')
    .replace(/[.\s]+$/u, '')
    .split(/[,;]\s+/)
    .map((p) => stripUnitsForSummary(p.replace(/^[^:]*:\s+/u, '').trim()))
    .filter((p) => p.length > 0)
    .map((p, i) => (i === 0 && /^[A-Z][a-z]/.test(p) ? p[0]?.toLowerCase() + p.slice(1) : p));
}

/**
 * True when a title already states a measured value ("A1c 7.4%", "eGFR 24 mL/min"), not merely a
 * digit inside a name ("SGLT2 inhibitor", "type 2 diabetes").
 */
export function carriesValue(title: string): boolean {
  return /(^|[\s(<>≤≥=])\d+(\.\d+)?\s*(%|mg\b|mmol|mL\b|mL\/|kg|mm\s?Hg|mm\[Hg\])/iu.test(title);
}

/**
 * "Start moderate-intensity statin: diabetes, age 58, LDL 132 mg/dL". A title that already carries
 * the patient's numbers ("Intensify glucose-lowering therapy: A1c 7.4% above the < 7% goal") stands alone.
 */
export function recommendationSummary(r: Recommendation, ctx: RenderContext): string {
  if (carriesValue(r.title)) return fitSummary(r.title);
  const parts = rationaleParts(r.rationale);
  return fitSummary(r.title, parts.length > 0 ? parts : describeFindings(findingsOf(r.findingIds, ctx)));
}

/**
 * "Warfarin + ibuprofen: major bleeding risk"; a title without numbers gets the measured values
 * behind it ("Metformin with reduced kidney function: lactic acidosis risk (eGFR 24)").
 */
export function safetySummary(a: SafetyAlert, ctx: RenderContext): string {
  if (carriesValue(a.title)) return fitSummary(a.title);
  const measured = findingsOf(a.findingIds, ctx).filter((f) => f.value !== undefined);
  const specifics = describeFindings(measured);
  if (specifics.length === 0) return fitSummary(a.title);
  if (!a.title.includes(':')) return fitSummary(a.title, specifics);
  const withValues = `${a.title} (${specifics.join(', ')})`;
  return withValues.length <= SUMMARY_MAX ? withValues : fitSummary(a.title);
}

// ---------------------------------------------------------------------------------------------
// Detail (GitHub-flavored Markdown, no HTML): five short lines at most (issue 19): what, why, the
// score the rule uses, the one thing to do, the evidence link. The full reasoning (every finding,
// likelihood ratio, contraindication checked and source) and the model's version live in the app.
// ---------------------------------------------------------------------------------------------

/** At most this many characters of model prose on one detail line; the app shows the rest. */
const DETAIL_LINE_MAX = 140;

/** The scores each kind of card shows, by the condition or rule id they concern. */
const SCORES_BY_TOPIC: ReadonlyArray<[RegExp, readonly string[]]> = [
  [/ckd|kidney|renal|egfr|uacr/, ['kdigo-stage', 'egfr-ckd-epi-2021']],
  [/statin|ascvd|lipid|cholesterol|ldl/, ['pce-ascvd-10y', 'prevent-ascvd-10y']],
  [/htn|hypertension|blood-pressure/, ['prevent-cvd-10y', 'pce-ascvd-10y']],
  [/(^|-)af($|-)|atrial|anticoag/, ['cha2ds2-vasc', 'has-bled']],
  [/opioid|mme/, ['mme-daily']],
  [/masld|nafld|fibrosis|liver/, ['fib-4']],
  [/obes|bmi/, ['bmi']],
  [/metformin|crcl|dose/, ['egfr-ckd-epi-2021', 'crcl-cockcroft-gault']],
];

/**
 * The scores that bear on a card, chosen by what the card is about (an A1c card gets no ASCVD
 * risk just because the equation read the same eGFR); at most two, in the order named.
 */
export function relevantScores(topicId: string, scores: readonly Score[]): Score[] {
  const named = SCORES_BY_TOPIC.filter(([re]) => re.test(topicId.toLowerCase())).flatMap(([, ids]) => ids);
  return [...new Set(named)]
    .map((id) => scores.find((s) => s.id === id))
    .filter((s): s is Score => s !== undefined)
    .slice(0, 2);
}

/**
 * Where two scores estimate the same thing, the one the rule reads and why (issue 19: a 19.4% and
 * an 11% ten-year risk side by side must say which one drives the advice).
 */
const RULE_SCORE: ReadonlyArray<{ rule: RegExp; uses: string; other?: string; why: string }> = [
  {
    rule: /^statin-/,
    uses: 'pce-ascvd-10y',
    other: 'prevent-ascvd-10y',
    why: '2018 ACC/AHA cholesterol thresholds',
  },
  {
    rule: /^htn-/,
    uses: 'prevent-cvd-10y',
    other: 'pce-ascvd-10y',
    why: '2025 AHA/ACC hypertension guideline',
  },
  { rule: /^af-/, uses: 'cha2ds2-vasc', why: '2023 ACC/AHA AF guideline' },
  { rule: /^opioid-/, uses: 'mme-daily', why: 'CDC 2022 opioid guideline' },
];

/** Short names for the risk scores a card compares (their full labels are in the app). */
const SHORT_SCORE_LABEL: Readonly<Record<string, string>> = {
  'pce-ascvd-10y': 'PCE 10-year ASCVD risk',
  'prevent-ascvd-10y': 'PREVENT 10-year ASCVD risk',
  'prevent-cvd-10y': 'PREVENT 10-year CVD risk',
};

function scoreValue(s: Score): string {
  const unit = s.unit ? (s.unit === '%' ? '%' : ` ${s.unit}`) : '';
  return `${SHORT_SCORE_LABEL[s.id] ?? s.label} ${formatNumber(s.value)}${unit}`;
}

/** "**Score:** PCE 10-year ASCVD risk 19.4% (used: …; PREVENT 11% shown in the app)". */
export function ruleScoreLine(ruleId: string, scores: readonly Score[]): string | undefined {
  const entry = RULE_SCORE.find((e) => e.rule.test(ruleId));
  const used = entry ? scores.find((s) => s.id === entry.uses) : relevantScores(ruleId, scores)[0];
  if (!used) return undefined;
  const other = entry?.other ? scores.find((s) => s.id === entry.other) : undefined;
  const why = entry
    ? `, the score this rule uses (${entry.why})${other ? `; ${scoreValue(other)} in the app` : ''}`
    : ` (${used.interpretation})`;
  return `**Score:** ${escapeMarkdown(`${scoreValue(used)}${why}`)}.`;
}

/** One link to the source itself: "Evidence: [title](url)"; authors and journal are in the app. */
function evidenceLine(ids: readonly string[], ctx: RenderContext): string[] {
  const first = ids.map((id) => ctx.citationsById.get(id)).find((c): c is Citation => c !== undefined);
  return first ? [`Evidence: ${citationLink(first)}`] : [];
}

/** Paragraphs, at most five, no HTML. */
function joinDetail(lines: readonly (string | undefined)[]): string {
  return lines
    .filter((l): l is string => typeof l === 'string' && l.length > 0)
    .slice(0, 5)
    .join('\n\n');
}

function short(text: string): string {
  return escapeMarkdown(truncateAtWord(text, DETAIL_LINE_MAX));
}

export function diagnosisDetail(h: Hypothesis, ctx: RenderContext): string {
  const specifics = describeFindings(diagnosisFindings(h, ctx)).slice(0, 4);
  const criteria = h.criteria
    ? `**Criteria ${h.criteria.met ? 'met' : 'not yet met'}:** ${short(h.criteria.description)}`
    : `**Estimate:** ${formatProbability(h.posterior)} (prior ${formatProbability(h.prior)}); no guideline criteria to check.`;
  const nextTest = ctx.assessment.nextBestTests.find((t) => t.conditionIds.includes(h.conditionId));
  const citationIds = [...(h.criteria?.citationIds ?? []), ...h.citationIds];
  // Suggested on the whole record (a treatment, procedure or coded reason) while the guideline's
  // criteria are not met, or where there are none to check: say so, rather than that the data meet them.
  const meaning =
    h.status !== 'suggested' || h.criteria?.met
      ? STATUS_MEANING[h.status]
      : h.criteria
        ? 'not on the problem list; the record shows its treatment or care, though its diagnostic criteria are not met'
        : 'not on the problem list; the record points to it';
  return joinDetail([
    `**${escapeMarkdown(diagnosisName(h))}: ${STATUS_LABEL[h.status].toLowerCase()}**, ${meaning}${specifics.length > 0 ? `: ${escapeMarkdown(specifics.join('; '))}` : ''}.`,
    criteria,
    ruleScoreLine(h.conditionId, ctx.assessment.scores),
    nextTest
      ? `**Do:** ${escapeMarkdown(nextTest.label)} would settle it; else add it to the problem list if you agree.`
      : '**Do:** add it to the problem list if you agree.',
    ...evidenceLine(citationIds, ctx),
  ]);
}

function strengthText(r: Recommendation): string {
  const s = r.strength;
  const level = s.level ? `, level ${s.level}` : '';
  return escapeMarkdown(`${s.scheme} class ${s.class}${level}`);
}

export function recommendationDetail(r: Recommendation, ctx: RenderContext): string {
  const order = r.proposedOrders[0];
  const present = r.contraindicationsChecked.filter((c) => c.present).map((c) => c.label);
  const n = r.contraindicationsChecked.length;
  const checked =
    n === 0
      ? ''
      : present.length > 0
        ? `Contraindication present: ${present.join(', ')}.`
        : `${n} contraindication${n === 1 ? '' : 's'} checked, none found.`;
  // With values set aside, the "treated as missing" line already says which inputs are old.
  const data =
    r.dataComplete || (r.staleInputs?.length ?? 0) > 0
      ? ''
      : 'Some inputs are missing or old: check them first.';
  const notes = escapeMarkdown([checked, data].filter(Boolean).join(' '));
  return joinDetail([
    `**${escapeMarkdown(r.title)}** (${strengthText(r)}). ${short(r.rationale)}`,
    staleLine(r),
    ruleScoreLine(r.ruleId, ctx.assessment.scores),
    order
      ? `**Do:** ${escapeMarkdown(orderDescription(order))}.${notes ? ` ${notes}` : ''}`
      : notes
        ? `**Checked:** ${notes}`
        : undefined,
    ...evidenceLine(r.citationIds, ctx),
  ]);
}

/**
 * Values a rule or check set aside as older than its look-back: "HbA1c 7.9 % of 2024-03-01 is
 * older than the 6-month look-back"; with several, the later ones name value and date, and their
 * window where it differs from the one before.
 */
function staleLine(item: Pick<Recommendation, 'staleInputs'>): string | undefined {
  const stale = item.staleInputs ?? [];
  if (stale.length === 0) return undefined;
  const window = (x: (typeof stale)[number]) =>
    x.lookBackDays ? `${x.lookBackDays}-day` : `${formatNumber(x.lookBackMonths)}-month`;
  // UCUM read as the finding labels write it: "mL/min/{1.73_m2}" → "mL/min/1.73m²".
  const unit = (u: string | undefined) => {
    const shown = u ? displayUnit(u) : '';
    return shown ? ` ${shown}` : '';
  };
  const items = stale.map(
    (x, i) =>
      `${x.label} ${formatNumber(x.value)}${unit(x.unit)} of ${x.date.slice(0, 10)}${
        i === 0
          ? ` is older than the ${window(x)} look-back`
          : window(x) === window(stale[i - 1] as (typeof stale)[number])
            ? ''
            : ` (${window(x)})`
      }`,
  );
  return `**Treated as missing:** ${escapeMarkdown(items.join('; '))}.`;
}

const SAFETY_TYPE_TEXT: Record<SafetyAlert['type'], string> = {
  'drug-allergy': 'drug–allergy',
  'drug-renal': 'kidney function',
  'drug-drug': 'drug–drug interaction',
  'drug-condition': 'drug–condition',
  'older-adult': 'older adult (AGS Beers 2023)',
  'duplicate-therapy': 'duplicate therapy',
  pregnancy: 'pregnancy',
  'dose-limit': 'dose limit',
};

export function safetyDetail(a: SafetyAlert, ctx: RenderContext): string {
  const kind = a.contraindicated ? 'Contraindicated' : 'Caution';
  // A value set aside as not current is named once, by the "treated as missing" line.
  const setAside = new Set((a.staleInputs ?? []).map((x) => x.findingId));
  const current = a.findingIds.filter((id) => !setAside.has(id));
  const data = describeFindings(findingsOf(current, ctx)).slice(0, 3);
  const alternative = a.alternative
    ? `**Safer alternative:** ${escapeMarkdown(orderDescription(a.alternative).replace(/^Order /, ''))}.`
    : `**Do:** reconsider ${escapeMarkdown(a.order.label)}.`;
  return joinDetail([
    `**${escapeMarkdown(a.title)}.** ${kind}; ${a.severity} severity (${SAFETY_TYPE_TEXT[a.type]}). Draft order: ${escapeMarkdown(a.order.label)}.`,
    short(a.detail),
    data.length > 0 ? `**Patient data:** ${escapeMarkdown(data.join('; '))}.` : undefined,
    staleLine(a),
    alternative,
    ...evidenceLine(a.citationIds, ctx),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Cards
// ---------------------------------------------------------------------------------------------

/** A card before the EHR profile adapts it, with the topic it files under. */
export interface BuiltCard {
  card: Card;
  topic: Topic;
}

function sourceFor(topic: Topic, citationIds: readonly string[], ctx: RenderContext): Card['source'] {
  const url = citationIds
    .map((id) => ctx.citationsById.get(id))
    .map((c) => (c ? citationUrl(c) : undefined))
    .find((u): u is string => u !== undefined);
  return {
    label: ctx.sourceLabel,
    ...(url ? { url } : {}),
    topic: { system: topic.system, code: topic.code, display: topic.display },
  };
}

/**
 * The SMART link's `appContext` (CDS Hooks 2.0 §Link, an opaque string the EHR passes to the app):
 * `{"assessmentId": …, "item": …}`, so the app opens on the card's own hypothesis, recommendation
 * or safety alert (the item's id within the assessment).
 */
export function appContextFor(assessmentId: string, itemId: string | undefined): string {
  return JSON.stringify(itemId ? { assessmentId, item: itemId } : { assessmentId });
}

function linksFor(ctx: RenderContext, itemId: string | undefined): Link[] | undefined {
  if (!ctx.appLaunchUrl) return undefined;
  return [
    {
      label: REASONING_LINK_LABEL,
      url: ctx.appLaunchUrl,
      type: 'smart',
      ...(ctx.assessment.id ? { appContext: appContextFor(ctx.assessment.id, itemId) } : {}),
    },
  ];
}

function suggestion(
  ctx: RenderContext,
  label: string,
  actions: Action[],
  isRecommended: boolean,
): Suggestion {
  return { label, uuid: ctx.newUuid(), isRecommended, actions };
}

function withSuggestions(card: Card, suggestions: Suggestion[]): Card {
  if (suggestions.length === 0) return card;
  return { ...card, suggestions, selectionBehavior: suggestions.length > 1 ? 'at-most-one' : 'any' };
}

function baseCard(
  ctx: RenderContext,
  summary: string,
  detail: string,
  indicator: Indicator,
  topic: Topic,
  citationIds: readonly string[],
  overrideReasons: Card['overrideReasons'],
  itemId?: string,
): Card {
  const links = linksFor(ctx, itemId);
  return {
    uuid: ctx.newUuid(),
    summary,
    detail,
    indicator,
    source: sourceFor(topic, citationIds, ctx),
    overrideReasons: overrideReasons ? [...overrideReasons] : [],
    ...(links ? { links } : {}),
  };
}

export function diagnosisCard(h: Hypothesis, ctx: RenderContext): BuiltCard {
  const topic = diagnosisTopic(h);
  const citationIds = [...(h.criteria?.citationIds ?? []), ...h.citationIds];
  const card = baseCard(
    ctx,
    diagnosisSummary(h, ctx),
    diagnosisDetail(h, ctx),
    diagnosisIndicator(h),
    topic,
    citationIds,
    [...ADVICE_OVERRIDE_REASONS],
    h.id,
  );
  const suggestions = hasProblemListCode(h)
    ? [
        suggestion(
          ctx,
          `Add ${diagnosisName(h)} to the problem list`,
          [addProblemAction(h, ctx.assessment.patient.reference, isoDate(ctx.assessment.assessedAt))],
          h.criteria?.met === true,
        ),
      ]
    : [];
  return { card: withSuggestions(card, suggestions), topic };
}

export function recommendationCard(r: Recommendation, ctx: RenderContext): BuiltCard {
  const topic = recommendationTopic(r);
  const card = baseCard(
    ctx,
    recommendationSummary(r, ctx),
    recommendationDetail(r, ctx),
    recommendationIndicator(r),
    topic,
    r.citationIds,
    [...ADVICE_OVERRIDE_REASONS],
    r.id,
  );
  const suggestions = r.proposedOrders.map((order, i) =>
    suggestion(
      ctx,
      orderDescription(order),
      [createOrderAction(order, ctx.assessment.patient.reference)],
      i === 0,
    ),
  );
  return { card: withSuggestions(card, suggestions), topic };
}

export function safetyCard(a: SafetyAlert, ctx: RenderContext): BuiltCard {
  const topic = safetyTopic(a);
  const card = baseCard(
    ctx,
    safetySummary(a, ctx),
    safetyDetail(a, ctx),
    safetyIndicator(a),
    topic,
    a.citationIds,
    [...SAFETY_OVERRIDE_REASONS],
    a.id,
  );
  const remove = deleteOrderAction(a.order.reference, a.order.label);
  const suggestions: Suggestion[] = [];
  if (a.alternative) {
    const create = createOrderAction(a.alternative, ctx.assessment.patient.reference);
    suggestions.push(
      suggestion(ctx, `Replace ${a.order.label} with ${a.alternative.code.display}`, [remove, create], true),
    );
    suggestions.push(suggestion(ctx, `Remove ${a.order.label} without a replacement`, [remove], false));
  } else {
    suggestions.push(suggestion(ctx, `Remove ${a.order.label}`, [remove], true));
  }
  return { card: withSuggestions(card, suggestions), topic };
}

// ---------------------------------------------------------------------------------------------
// Can't-miss acute problems
// ---------------------------------------------------------------------------------------------

/** "Pneumonia with sepsis risk: qSOFA 2, SIRS 4: T 38.9, RR 24, HR 108, SBP 98, SpO2 91%". */
export function cantMissSummary(c: CantMiss): string {
  return fitSummary(`Consider ${lowerFirstWord(c.label)}`, [c.support]);
}

function lowerFirstWord(label: string): string {
  // "Acute kidney injury" → "acute kidney injury"; abbreviations ("AKI", "ACS") stay as written.
  return /^[A-Z][a-z]/.test(label) ? `${label[0]?.toLowerCase() ?? ''}${label.slice(1)}` : label;
}

/** Five short lines at most: what, why it cannot wait, the one thing to do, the estimate, the evidence. */
export function cantMissDetail(c: CantMiss, ctx: RenderContext): string {
  const first = c.citationIds
    .map((id) => ctx.citationsById.get(id))
    .find((x): x is Citation => x !== undefined);
  const estimate =
    c.posterior !== undefined
      ? `Listed apart from the probability ranking (differential estimate ${formatProbability(c.posterior)}).`
      : 'Listed apart from the probability ranking.';
  return [
    `**${escapeMarkdown(c.label)}:** ${escapeMarkdown(c.support)}.`,
    `**Why now:** ${escapeMarkdown(c.urgency.basis)}.`,
    `**Do:** ${escapeMarkdown(c.action)}.`,
    estimate,
    ...(first ? [`Evidence: ${citationMarkdown(first)}`] : []),
  ].join('\n\n');
}

export function cantMissCard(c: CantMiss, ctx: RenderContext): BuiltCard {
  const topic = cantMissTopic(c);
  const card = baseCard(
    ctx,
    cantMissSummary(c),
    cantMissDetail(c, ctx),
    cantMissIndicator(c),
    topic,
    c.citationIds,
    [...ADVICE_OVERRIDE_REASONS],
  );
  const suggestions = c.nextTests
    .filter((t) => t.code?.system && t.code.code && t.code.display)
    .map((t, i) =>
      suggestion(
        ctx,
        `Order ${t.label}`,
        [
          createOrderAction(
            {
              resourceType: 'ServiceRequest',
              code: {
                system: t.code?.system ?? '',
                code: t.code?.code ?? '',
                display: t.code?.display ?? t.label,
              },
            },
            ctx.assessment.patient.reference,
          ),
        ],
        i === 0,
      ),
    );
  return { card: withSuggestions(card, suggestions), topic };
}

// ---------------------------------------------------------------------------------------------
// Site models (issue 16): a site's own model, through the same card policy and profile
// ---------------------------------------------------------------------------------------------

/** A site model's probability is a prediction: `info`, or `warning` at its declared threshold; never `critical`. */
export function siteModelIndicator(p: SiteModelPrediction): Indicator {
  return p.level === 'warning' ? 'warning' : 'info';
}

/**
 * What, from which model, on which inputs (with their contributions when the model is linear),
 * and that it is the site's model rather than a guideline; the full feature table is in the app.
 */
export function siteModelDetail(result: SiteModelResult, p: SiteModelPrediction): string {
  const inputs = result.features
    .filter((f) => !f.missing)
    .sort((a, b) => Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0))
    .slice(0, 4)
    .map((f) => {
      const value = `${formatNumber(f.value)}${f.unit && f.unit !== '1' ? ` ${f.unit}` : ''}`;
      const effect =
        f.contribution === undefined
          ? ''
          : ` (${f.contribution >= 0 ? '+' : '−'}${formatNumber(Math.abs(f.contribution))} log-odds)`;
      return `${escapeMarkdown(f.name)} ${escapeMarkdown(value)}${effect}`;
    });
  const missing = result.features.filter((f) => f.missing).map((f) => escapeMarkdown(f.name));
  return [
    `**${escapeMarkdown(p.label)}: ${formatProbability(p.probability)}** by the site model ${escapeMarkdown(result.modelId)} ${escapeMarkdown(result.version)} (${escapeMarkdown(result.owner)}).`,
    inputs.length ? `**Inputs:** ${inputs.join(', ')}.` : '**Inputs:** none measured.',
    ...(missing.length ? [`**Not in the record (default used):** ${missing.join(', ')}.`] : []),
    ...(p.action ? [`**Do:** ${escapeMarkdown(p.action.instruction ?? p.action.code.display)}.`] : []),
    'A locally trained prediction, not a guideline criterion: confirm before acting.',
  ].join('\n\n');
}

export function siteModelCard(
  result: SiteModelResult,
  p: SiteModelPrediction,
  ctx: RenderContext,
): BuiltCard {
  const topic = siteModelTopic(result, p);
  const card = baseCard(
    ctx,
    fitSummary(p.summary),
    siteModelDetail(result, p),
    siteModelIndicator(p),
    topic,
    [],
    [...ADVICE_OVERRIDE_REASONS],
    p.id,
  );
  const suggestions = p.action
    ? [
        suggestion(
          ctx,
          `Order ${p.action.code.display}`,
          [createOrderAction(p.action, ctx.assessment.patient.reference)],
          false,
        ),
      ]
    : [];
  return { card: withSuggestions(card, suggestions), topic };
}
