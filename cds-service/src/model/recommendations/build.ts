/**
 * Builds a Recommendation from a rule in the knowledge table, so strength, priority and citations
 * always come from the table, never from the rule code.
 */
import type { ProposedOrder, Recommendation, StaleInput, Strength } from '@rationale/shared-types';
import { rule } from '../knowledge/treatment/rules';
import { conditionState, unique, type RuleContext } from './context';

export interface Contraindication {
  label: string;
  present: boolean;
  findingIds: string[];
  /**
   * Set when the exclusion framework (exclusions/apply.ts) owns this check: the rule does not
   * drop its candidate for it; the framework withholds it and keeps the reason in the Assessment.
   */
  exclusion?: string;
}

/** Context conditions whose check the exclusion framework owns, by its exclusion id. */
const FRAMEWORK_CONDITIONS: Readonly<Record<string, string>> = {
  hospice: 'hospice',
  breastfeeding: 'lactation',
  'esrd-dialysis': 'dialysis',
  rhabdomyolysis: 'intolerance',
};

export interface RecommendationParts {
  title: string;
  rationale: string;
  dataComplete: boolean;
  findingIds: string[];
  conditionIds: string[];
  contraindicationsChecked: Contraindication[];
  proposedOrders: ProposedOrder[];
  citationIds?: string[];
  /**
   * The rule whose stale reads (context.ts readLab) this recommendation reports, when not its own:
   * a statin intensification reports what its indicating rule read.
   */
  staleReadsOf?: string;
  /** Overrides for rules that inherit the indicating rule's strength (statin intensify) or change kind. */
  strength?: Strength;
  priority?: Recommendation['priority'];
  kind?: Recommendation['kind'];
  /** Distinguishes two recommendations of one rule (e.g. `sglt2i`, `glp1ra`). */
  idSuffix?: string;
  /** Recommendations with the same key propose the same therapy; the strongest is kept. */
  therapyKey?: string;
}

export interface Candidate {
  recommendation: Recommendation;
  therapyKey?: string;
  staleReadsOf?: string;
}

export function candidate(ruleId: string, parts: RecommendationParts): Candidate {
  const r = rule(ruleId);
  const recommendation: Recommendation = {
    id: `rec-${ruleId}${parts.idSuffix ? `-${parts.idSuffix}` : ''}`,
    ruleId,
    kind: parts.kind ?? r.kind,
    title: parts.title,
    rationale: parts.rationale,
    strength: parts.strength ?? r.strength,
    priority: parts.priority ?? r.priority,
    dataComplete: parts.dataComplete,
    findingIds: unique(parts.findingIds),
    conditionIds: unique(parts.conditionIds),
    contraindicationsChecked: parts.contraindicationsChecked.map(({ label, present, findingIds }) => ({
      label,
      present,
      findingIds,
    })),
    proposedOrders: parts.proposedOrders,
    citationIds: unique([...r.citationIds, ...(parts.citationIds ?? [])]),
    origin: 'knowledge-model',
  };
  const therapyKey = parts.therapyKey ?? r.therapyKey;
  return {
    recommendation,
    ...(therapyKey ? { therapyKey } : {}),
    ...(parts.staleReadsOf ? { staleReadsOf: parts.staleReadsOf } : {}),
  };
}

/**
 * The recommendation with the values its rule set aside as older than their look-back: listed
 * (so the card and the app say so), their findings linked and the look-backs' sources cited.
 */
export function withStaleInputs(
  recommendation: Recommendation,
  stale: readonly StaleInput[],
): Recommendation {
  const all = [...(recommendation.staleInputs ?? [])];
  for (const x of stale) if (!all.some((y) => y.findingId === x.findingId)) all.push(x);
  if (all.length === 0) return recommendation;
  // The replaced fields are left out of the copy, not overwritten in it: a copy whose fields are
  // then overwritten makes V8 change the shape of every recommendation, on every call.
  const { staleInputs: _stale, findingIds, citationIds, ...rest } = recommendation;
  return {
    ...rest,
    staleInputs: all,
    findingIds: unique([...findingIds, ...all.map((x) => x.findingId)]),
    citationIds: unique([...citationIds, ...all.flatMap((x) => x.citationIds)]),
  };
}

/** Shared contraindication checks: pregnancy and recorded context conditions. */
export function pregnancyCheck(pregnant: boolean, findingIds: string[]): Contraindication {
  return {
    label: 'Pregnancy',
    present: pregnant,
    findingIds: pregnant ? findingIds : [],
    exclusion: 'pregnancy',
  };
}

/** True when a rule-owned contraindication is present (framework-owned ones are applied later). */
export const anyPresent = (checks: Contraindication[]): boolean =>
  checks.some((c) => c.present && c.exclusion === undefined);

/** Finding ids that record a pregnancy. */
export function pregnancyFindingIds(ctx: RuleContext): string[] {
  return ctx.facts.findings.filter((f) => f.kind === 'pregnancy').map((f) => f.id);
}

/** A contraindication that is a recorded (or suggested) condition. */
export function conditionCheck(ctx: RuleContext, conditionId: string, label: string): Contraindication {
  const state = conditionState(ctx, conditionId);
  const exclusion = FRAMEWORK_CONDITIONS[conditionId];
  return { label, present: state.present, findingIds: state.findingIds, ...(exclusion ? { exclusion } : {}) };
}

export function pregnancy(ctx: RuleContext): Contraindication {
  return pregnancyCheck(ctx.facts.pregnant, pregnancyFindingIds(ctx));
}
