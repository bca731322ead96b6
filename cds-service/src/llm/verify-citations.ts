/**
 * Verification of the LLM's claims against the record and the evidence library (DESIGN.md §5):
 * a claim survives only if every finding id it cites exists, every evidence id it cites is in the
 * library, it cites at least one finding, and every value it states matches the cited finding.
 * What is dropped is counted by reason, so the app and monitoring can show how often it happens.
 */
import type { Hypothesis, Recommendation } from '@rationale/shared-types';
import type { Deidentified } from './deidentify';
import { shiftDatesIn } from './deidentify';
import type { LlmOutput } from './prompt';
import type { ReasoningStep } from './reasoner';

export type DropReason = 'unknown-finding' | 'unknown-citation' | 'uncited' | 'contradicted-value';

export interface VerifiedClaims {
  hypotheses: Hypothesis[];
  recommendations: Recommendation[];
  reasoning: ReasoningStep[];
  dropped: Partial<Record<DropReason, number>>;
}

interface Claim {
  findingIds: string[];
  evidenceIds: string[];
  statedValues?: Array<{ findingId: string; value: number; unit: string }>;
}

/** Relative tolerance for a stated value against the recorded one (rounding, not disagreement). */
const VALUE_TOLERANCE = 0.01;

function normalizeUnit(unit: string): string {
  return unit.replace(/\s+/g, '').toLowerCase();
}

function valueMatches(stated: number, actual: number): boolean {
  return Math.abs(stated - actual) <= Math.max(Math.abs(actual) * VALUE_TOLERANCE, 0.05);
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/** Verifies and converts the LLM's output into Assessment items marked `origin: 'llm'`. */
export function verifyClaims(output: LlmOutput, context: Deidentified): VerifiedClaims {
  const dropped: Partial<Record<DropReason, number>> = {};
  const drop = (reason: DropReason) => {
    dropped[reason] = (dropped[reason] ?? 0) + 1;
  };

  /** The reason a claim fails, or undefined when it holds. */
  const check = (claim: Claim): DropReason | undefined => {
    if (claim.findingIds.length === 0) return 'uncited';
    if (claim.findingIds.some((id) => !context.findingsByAlias.has(id))) return 'unknown-finding';
    if (claim.evidenceIds.some((id) => !context.evidenceIds.has(id))) return 'unknown-citation';
    for (const sv of claim.statedValues ?? []) {
      const finding = context.findingsByAlias.get(sv.findingId);
      if (!finding) return 'unknown-finding';
      if (finding.value === undefined || !valueMatches(sv.value, finding.value)) return 'contradicted-value';
      if (finding.unit && normalizeUnit(sv.unit) !== normalizeUnit(finding.unit)) return 'contradicted-value';
    }
    return undefined;
  };

  const realIds = (aliases: string[]) => aliases.map((a) => context.findingsByAlias.get(a)!.id);
  // The LLM saw shifted dates; any date it wrote is shifted back before a clinician reads it.
  const unshift = (text: string) => shiftDatesIn(text, -context.shiftDays);

  const hypotheses: Hypothesis[] = [];
  output.hypotheses.forEach((h, i) => {
    const failure = check(h);
    if (failure) return drop(failure);
    const findingIds = realIds(h.findingIds);
    hypotheses.push({
      id: `llm-h${i + 1}`,
      conditionId: `llm-${slug(h.condition)}`,
      label: h.condition,
      status: 'suggested',
      // The LLM states no prior; its probability is shown as stated, never combined with LRs.
      prior: h.probability,
      posterior: h.probability,
      codes: h.snomedCode
        ? [{ system: 'http://snomed.info/sct', code: h.snomedCode, display: h.condition }]
        : [],
      contributions: [],
      criteria: {
        met: false,
        description: 'Findings the AI reasoner cited (verified against the record)',
        findingIds,
        citationIds: h.evidenceIds,
      },
      rationale: unshift(h.rationale),
      citationIds: h.evidenceIds,
      origin: 'llm',
    });
  });

  const recommendations: Recommendation[] = [];
  output.recommendations.forEach((r, i) => {
    const failure = check(r);
    if (failure) return drop(failure);
    recommendations.push({
      id: `llm-r${i + 1}`,
      ruleId: `llm-${slug(r.title)}`,
      kind: r.kind,
      title: r.title,
      rationale: unshift(r.rationale),
      strength: {
        scheme: 'AI reasoner',
        class: 'unrated',
        text: 'Not a guideline grade: verified citations only',
      },
      priority: 'weak',
      dataComplete: false,
      findingIds: realIds(r.findingIds),
      conditionIds: [],
      contraindicationsChecked: [],
      proposedOrders: [],
      citationIds: r.evidenceIds,
      origin: 'llm',
    });
  });

  const reasoning: ReasoningStep[] = [];
  for (const step of output.reasoning) {
    const failure = check(step);
    if (failure) {
      drop(failure);
      continue;
    }
    reasoning.push({
      text: unshift(step.text),
      findingIds: realIds(step.findingIds),
      citationIds: step.evidenceIds,
    });
  }

  return { hypotheses, recommendations, reasoning, dropped };
}
