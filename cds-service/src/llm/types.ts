/**
 * The optional LLM reasoner as the hooks see it (DESIGN.md §5). `enrich` never rejects: failures,
 * timeouts and an open circuit resolve to additions with status `failed` or `timeout`.
 */
import type { Assessment, LlmAdditions, PatientRecord } from '@rationale/shared-types';

export interface LlmEnricher {
  /** How long a hook may wait for the reasoner before its cards go out without it. */
  readonly budgetMs: number;
  /** Model name and prompt version, for the model card and Assessment.llm. */
  describe(): { model: string; promptVersion: string };
  /**
   * Sends a de-identified summary of the record and the model's findings to the endpoint, verifies
   * every returned claim against them, and resolves with what survived.
   */
  enrich(assessment: Assessment, record: PatientRecord, signal?: AbortSignal): Promise<LlmAdditions>;
}
