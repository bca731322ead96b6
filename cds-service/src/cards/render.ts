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
  Suggestion,
} from '@rationale/shared-types';
import {
  addProblemAction,
  createOrderAction,
  deleteOrderAction,
  hasProblemListCode,
  orderDescription,
} from './fhir-actions';
import { formatProbability } from '@rationale/shared-types';
import { ADVICE_OVERRIDE_REASONS, SAFETY_OVERRIDE_REASONS } from './override-reasons';
import {
  citationMarkdown,
  citationUrl,
  describeFindings,
  escapeMarkdown,
  fitSummary,
  formatNumber,
  formatPercent,
  isoDate,
  stripUnitsForSummary,
  SUMMARY_MAX,
} from './text';
import { cantMissTopic, diagnosisTopic, recommendationTopic, safetyTopic, type Topic } from './topics';

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

/** At most this many findings are listed in a card's detail; the app shows them all. */
const MAX_DETAIL_FINDINGS = 6;
const MAX_DETAIL_CITATIONS = 3;

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

/** "Possible CKD G3a: eGFR 52 and 49, 4 months apart"; with the estimate when criteria are not met. */
export function diagnosisSummary(h: Hypothesis, ctx: RenderContext): string {
  const estimate = h.criteria?.met ? '' : `, est. ${formatPercent(h.posterior)}`;
  const head = `Possible ${diagnosisName(h)}${estimate}`;
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
// Detail (GitHub-flavored Markdown, no HTML)
// ---------------------------------------------------------------------------------------------

function findingLine(f: Finding): string {
  const date = isoDate(f.date);
  return `- ${escapeMarkdown(f.label)}${date ? ` (${date})` : ''}`;
}

function findingsSection(title: string, findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  const shown = [...findings]
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
    .slice(0, MAX_DETAIL_FINDINGS)
    .map(findingLine);
  const more = findings.length - shown.length;
  return [`**${title}**`, '', ...shown, ...(more > 0 ? [`- and ${more} more in the app`] : []), ''];
}

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

function scoreLine(s: Score): string {
  const unit = s.unit ? (s.unit === '%' ? '%' : ` ${s.unit}`) : '';
  const inputs =
    s.inputs.length > 0 ? `; inputs: ${s.inputs.map((i) => `${i.label} ${i.value}`).join(', ')}` : '';
  return `- ${escapeMarkdown(`${s.label} ${formatNumber(s.value)}${unit} — ${s.interpretation}${inputs}`)}`;
}

function scoresSection(scores: readonly Score[]): string[] {
  if (scores.length === 0) return [];
  return [`**Score${scores.length > 1 ? 's' : ''}**`, '', ...scores.map(scoreLine), ''];
}

function citationsSection(ids: readonly string[], ctx: RenderContext): string[] {
  const cited = [...new Set(ids)]
    .map((id) => ctx.citationsById.get(id))
    .filter((c): c is Citation => c !== undefined);
  if (cited.length === 0) return [];
  return [
    '**Evidence**',
    '',
    ...cited.slice(0, MAX_DETAIL_CITATIONS).map((c) => `- ${citationMarkdown(c)}`),
    '',
  ];
}

function footer(ctx: RenderContext): string[] {
  const m = ctx.assessment.model;
  const app = ctx.appLaunchUrl
    ? ` Open "${REASONING_LINK_LABEL}" for every finding, likelihood ratio and source.`
    : '';
  return [
    `_${escapeMarkdown(`${m.name} ${m.version}`)}, assessed ${isoDate(ctx.assessment.assessedAt) ?? ctx.assessment.assessedAt}._${app}`,
  ];
}

function joinDetail(lines: readonly string[]): string {
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function diagnosisDetail(h: Hypothesis, ctx: RenderContext): string {
  const findings = diagnosisFindings(h, ctx);
  const criteria = h.criteria
    ? [
        `**Criteria ${h.criteria.met ? 'met' : 'not yet met'}:** ${escapeMarkdown(h.criteria.description)}`,
        '',
      ]
    : [];
  const nextTests = ctx.assessment.nextBestTests
    .filter((t) => t.conditionIds.includes(h.conditionId))
    .slice(0, 2)
    .map((t) => `- ${escapeMarkdown(t.label)}: ${escapeMarkdown(t.rationale)}`);
  const citationIds = [
    ...(h.criteria?.citationIds ?? []),
    ...h.citationIds,
    ...h.contributions.flatMap((c) => c.citationIds),
  ];
  return joinDetail([
    `**Possible ${escapeMarkdown(diagnosisName(h))}**, not on the problem list. Estimated probability ${formatPercent(h.posterior)} (prior ${formatPercent(h.prior)}).`,
    '',
    escapeMarkdown(h.rationale),
    '',
    ...criteria,
    ...findingsSection('Findings', findings),
    ...scoresSection(relevantScores(h.conditionId, ctx.assessment.scores)),
    ...(nextTests.length > 0 ? ['**Next best test**', '', ...nextTests, ''] : []),
    ...citationsSection(citationIds, ctx),
    ...footer(ctx),
  ]);
}

function strengthText(r: Recommendation): string {
  const s = r.strength;
  const level = s.level ? `, level ${s.level}` : '';
  const words = s.text ? ` (${s.text})` : '';
  return escapeMarkdown(`${s.scheme} class ${s.class}${level}${words}`);
}

export function recommendationDetail(r: Recommendation, ctx: RenderContext): string {
  const findings = findingsOf(r.findingIds, ctx);
  const checked = r.contraindicationsChecked.map(
    (c) => `- ${escapeMarkdown(c.label)}: ${c.present ? '**present**' : 'not found'}`,
  );
  const gaps = r.dataComplete
    ? ['**Data:** every input the rule needs is present and recent.', '']
    : [
        '**Data incomplete:** some inputs are missing or older than the recency window; check them before acting.',
        '',
        ...ctx.assessment.dataGaps.slice(0, 3).map((g) => `- ${escapeMarkdown(g)}`),
        '',
      ];
  const orders = r.proposedOrders.map((o) => `- ${escapeMarkdown(orderDescription(o))}`);
  return joinDetail([
    `**Gap: ${escapeMarkdown(r.title)}.** ${escapeMarkdown(r.rationale)}`,
    '',
    `**Strength:** ${strengthText(r)}`,
    '',
    ...findingsSection('Inputs', findings),
    ...scoresSection(relevantScores(r.ruleId, ctx.assessment.scores)),
    ...(checked.length > 0 ? ['**Contraindications checked**', '', ...checked, ''] : []),
    ...gaps,
    ...(orders.length > 0
      ? [`**Proposed order${orders.length > 1 ? 's (choose one)' : ''}**`, '', ...orders, '']
      : []),
    ...citationsSection(r.citationIds, ctx),
    ...footer(ctx),
  ]);
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
  const findings = findingsOf(a.findingIds, ctx);
  const kind = a.contraindicated ? 'Contraindicated' : 'Caution';
  const alternative = a.alternative
    ? [`**Safer alternative:** ${escapeMarkdown(orderDescription(a.alternative).replace(/^Order /, ''))}`, '']
    : [];
  return joinDetail([
    `**${escapeMarkdown(a.title)}.** ${kind}; ${a.severity} severity (${SAFETY_TYPE_TEXT[a.type]}).`,
    '',
    escapeMarkdown(a.detail),
    '',
    `**Draft order:** ${escapeMarkdown(a.order.label)} (\`${a.order.reference.replace(/`/g, '')}\`)`,
    '',
    ...findingsSection('Patient data checked', findings),
    ...scoresSection(relevantScores(a.ruleId, ctx.assessment.scores)),
    ...alternative,
    ...citationsSection(a.citationIds, ctx),
    ...footer(ctx),
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
