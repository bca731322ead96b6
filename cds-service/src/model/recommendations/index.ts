/**
 * Guideline recommendations (DESIGN.md §3): statins, AF anticoagulation, CKD, type 2 diabetes,
 * HFrEF four pillars, hypertension, opioids. Pure and deterministic: same facts, same output in
 * the same order with the same ids. Nothing is recommended that the facts show is contraindicated,
 * already active, or declined in the last 12 months.
 */
import type { Hypothesis, Recommendation, Score, StaleInput, UnmetPremise } from '@rationale/shared-types';
import { displayUnit } from '@rationale/shared-types';
import { applyExclusions, type ExclusionOutcome } from '../exclusions/apply';
import type { PatientFacts } from '../facts';
import type { StaleScore } from '../scores';
import { RECOMMENDATION_RULES } from '../knowledge/treatment/rules';
import type { ModelSettings } from '../settings';
import { afRecommendations } from './af';
import { withStaleInputs, type Candidate } from './build';
import { ckdRecommendations } from './ckd';
import type { RuleContext } from './context';
import { day, fmt, unique } from './context';
import { diabetesRecommendations } from './diabetes';
import { hfRecommendations } from './hf';
import { htnRecommendations } from './htn';
import { lipidRecommendations } from './lipids';
import { opioidRecommendations } from './opioids';
import { checkPremises } from './premises';

export { findDeclinedTherapies } from './declined';

const PRIORITY_ORDER: Record<Recommendation['priority'], number> = { strong: 0, moderate: 1, weak: 2 };
const RULE_ORDER = new Map(RECOMMENDATION_RULES.map((r, i) => [r.id, i]));

/** What the rules produced: kept, suppressed by an exclusion, or withheld for an unmet premise. */
export interface RecommendationOutcome extends ExclusionOutcome {
  /** Rules that did not fire because a declared premise (knowledge/treatment/premises.ts) was not met. */
  unmetPremises: UnmetPremise[];
}

/**
 * Recommendations for one patient: each rule's declared premises checked first (a rule whose
 * premise is unmet does not fire and is listed with the premise missing), then the exclusion
 * framework (exclusions/apply.ts), with the withheld ones and their reasons.
 */
export function recommendWithExclusions(
  facts: PatientFacts,
  scores: Score[],
  hypotheses: Hypothesis[],
  settings: ModelSettings,
  staleScores: ReadonlyMap<string, StaleScore> = new Map(),
): RecommendationOutcome {
  const { recommendations, unmetPremises, staleIndications } = candidateRecommendations(
    facts,
    scores,
    hypotheses,
    settings,
    staleScores,
  );
  const outcome = applyExclusions(recommendations, facts);
  const fired = new Set([
    ...outcome.recommendations.map((r) => r.ruleId),
    ...outcome.suppressed.map((x) => x.recommendation.ruleId),
    ...unmetPremises.map((u) => u.ruleId),
  ]);
  const missed = [...staleIndications].filter(([ruleId]) => !fired.has(ruleId));
  return {
    ...outcome,
    unmetPremises: [
      ...unmetPremises,
      ...withheldForStaleIndication(
        missed,
        outcome.recommendations,
        facts,
        scores,
        hypotheses,
        settings,
        staleScores,
      ),
    ],
  };
}

/**
 * Rules that did not fire because the value they act on is older than their look-back (an LDL-C
 * of 195 from three years ago): the rules run once more reading old values as current, and each
 * that would then fire, not excluded and not proposing a therapy already recommended, is listed
 * with the old value as the premise not met, so the app says why it was withheld.
 */
function withheldForStaleIndication(
  missed: ReadonlyArray<readonly [string, StaleInput[]]>,
  kept: readonly Recommendation[],
  facts: PatientFacts,
  scores: Score[],
  hypotheses: Hypothesis[],
  settings: ModelSettings,
  staleScores: ReadonlyMap<string, StaleScore>,
): UnmetPremise[] {
  if (missed.length === 0) return [];
  const stale = new Map(missed);
  const ctx: RuleContext = { facts, scores, hypotheses, settings, acceptStale: true, staleScores };
  const candidates = allCandidates(ctx).filter((c) => stale.has(c.recommendation.ruleId));
  const wouldKeep = applyExclusions(
    candidates.map((c) => c.recommendation),
    facts,
  ).recommendations;
  const keptTherapies = new Set(kept.map((r) => therapyOf(r)));
  const realCtx: RuleContext = { facts, scores, hypotheses, settings };
  const out: UnmetPremise[] = [];
  for (const r of wouldKeep) {
    if (keptTherapies.has(therapyOf(r)) || out.some((u) => u.ruleId === r.ruleId)) continue;
    const inputs = stale.get(r.ruleId) ?? [];
    // A premise unmet for the same old value (its recency, BP readings in the window) is this
    // reason; any other unmet premise would withhold the rule anyway, so it is not listed here.
    const sameCause = (id: string) =>
      inputs.some((x) => id === `recent-lab:${x.analyte}` || (id === 'bp-readings' && /bp$/.test(x.analyte)));
    const premises = checkPremises(r.ruleId, realCtx);
    if (premises.some((p) => !p.met && !sameCause(p.id))) continue;
    out.push({
      ruleId: r.ruleId,
      title: r.title,
      premises: inputs.map((x) => ({
        id: `look-back:${x.analyte}`,
        label: `${x.label} within the ${x.lookBackMonths}-month look-back`,
        met: false,
        detail: `last ${x.label} ${fmt(x.value)}${x.unit ? ` ${displayUnit(x.unit)}` : ''} on ${day(x.date)}, treated as missing`,
        findingIds: [x.findingId],
        citationIds: x.citationIds,
      })),
    });
  }
  return out;
}

/** What a recommendation proposes, to tell whether another already proposes the same. */
const therapyOf = (r: Recommendation): string => r.proposedOrders[0]?.code?.code ?? `${r.kind}:${r.ruleId}`;

/** Recommendations for one patient: what recommendWithExclusions keeps. */
export function recommend(
  facts: PatientFacts,
  scores: Score[],
  hypotheses: Hypothesis[],
  settings: ModelSettings,
): Recommendation[] {
  return recommendWithExclusions(facts, scores, hypotheses, settings).recommendations;
}

/**
 * Every rule's recommendations before exclusions. Domains run in a fixed order (HF before CKD before diabetes, so
 * the strongest indication for a shared therapy such as an SGLT2 inhibitor is the one kept; the
 * others' citations, conditions and findings are merged into it).
 */
function candidateRecommendations(
  facts: PatientFacts,
  scores: Score[],
  hypotheses: Hypothesis[],
  settings: ModelSettings,
  staleScores: ReadonlyMap<string, StaleScore>,
): {
  recommendations: Recommendation[];
  unmetPremises: UnmetPremise[];
  staleIndications: Map<string, StaleInput[]>;
} {
  const staleReads = new Map<string, StaleInput[]>();
  const staleIndications = new Map<string, StaleInput[]>();
  const ctx: RuleContext = { facts, scores, hypotheses, settings, staleReads, staleIndications, staleScores };
  const candidates = allCandidates(ctx);
  const kept: Recommendation[] = [];
  const unmetPremises: UnmetPremise[] = [];
  const byTherapy = new Map<string, Recommendation>();
  for (const { recommendation: built, therapyKey, staleReadsOf } of candidates) {
    const proposed = withStaleInputs(built, staleReads.get(staleReadsOf ?? built.ruleId) ?? []);
    const premises = checkPremises(proposed.ruleId, ctx);
    if (premises.some((p) => !p.met)) {
      unmetPremises.push({ ruleId: proposed.ruleId, title: proposed.title, premises });
      continue;
    }
    const recommendation: Recommendation = premises.length > 0 ? { ...proposed, premises } : proposed;
    const first = therapyKey && recommendation.kind === 'start' ? byTherapy.get(therapyKey) : undefined;
    if (first) {
      first.citationIds = unique([...first.citationIds, ...recommendation.citationIds]);
      first.conditionIds = unique([...first.conditionIds, ...recommendation.conditionIds]);
      first.findingIds = unique([...first.findingIds, ...recommendation.findingIds]);
      const stale = [...(first.staleInputs ?? []), ...(recommendation.staleInputs ?? [])].filter(
        (x, i, all) => all.findIndex((y) => y.findingId === x.findingId) === i,
      );
      if (stale.length > 0) first.staleInputs = stale;
      first.rationale = `${first.rationale} Also indicated by ${recommendation.ruleId}.`;
      continue;
    }
    if (therapyKey && recommendation.kind === 'start') byTherapy.set(therapyKey, recommendation);
    kept.push(recommendation);
  }
  const recommendations = kept.sort(
    (a, b) =>
      PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] ||
      (RULE_ORDER.get(a.ruleId) ?? 0) - (RULE_ORDER.get(b.ruleId) ?? 0) ||
      a.id.localeCompare(b.id),
  );
  return { recommendations, unmetPremises, staleIndications };
}

/** Every rule family's candidates, in the fixed order (HF before CKD before diabetes). */
function allCandidates(ctx: RuleContext): Candidate[] {
  return [
    ...hfRecommendations(ctx),
    ...afRecommendations(ctx),
    ...lipidRecommendations(ctx),
    ...ckdRecommendations(ctx),
    ...diabetesRecommendations(ctx),
    ...htnRecommendations(ctx),
    ...opioidRecommendations(ctx),
  ];
}
