/**
 * A Reasoner turns a patient record into diagnostic and treatment claims. The embedded knowledge
 * model is one (it answers alone when no LLM is configured); the LLM reasoner is another, whose
 * claims are only kept after they are verified against the record and the evidence library.
 */
import type { Assessment, Hypothesis, PatientRecord, Recommendation } from '@rationale/shared-types';

export interface ReasoningStep {
  text: string;
  findingIds: string[];
  citationIds: string[];
}

export interface ReasonerResult {
  hypotheses: Hypothesis[];
  recommendations: Recommendation[];
  reasoning: ReasoningStep[];
}

export interface ReasonerContext {
  now: Date;
  /** The knowledge model's assessment: the findings an LLM may cite, by id. */
  assessment?: Assessment;
  signal?: AbortSignal;
}

export interface Reasoner {
  readonly name: string;
  reason(record: PatientRecord, context: ReasonerContext): Promise<ReasonerResult>;
}

/** The embedded knowledge model as a Reasoner: deterministic, offline, no network. */
export function knowledgeModelReasoner(
  assess: (record: PatientRecord, now: Date) => Assessment,
  name = 'rationale-knowledge-model',
): Reasoner {
  return {
    name,
    reason(record, context) {
      const assessment = assess(record, context.now);
      return Promise.resolve({
        hypotheses: assessment.hypotheses,
        recommendations: assessment.recommendations,
        reasoning: [],
      });
    },
  };
}
