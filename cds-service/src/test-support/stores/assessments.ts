/** AssessmentStore in memory: assessments by id, LLM additions beside them. */
import type { LlmAdditions } from '@rationale/shared-types';
import type { AssessmentStore, AuditLog, FeedbackStore, StoredAssessment } from '../../store/store';
import { whileUp, type Outage } from './outage';

export interface MemoryAssessmentStore extends AssessmentStore {
  /**
   * Every assessment stored, as made, for tests to read, including those of hook calls that kept
   * no snapshot (listed in `withoutSnapshot`): the reads below answer for those as the database
   * does, with nothing.
   */
  readonly assessments: Map<string, StoredAssessment>;
  readonly withoutSnapshot: ReadonlySet<string>;
  readonly llmAdditions: Map<string, LlmAdditions>;
}

/** `recordHook` files the call's cards and audit event with the stores given, as one hook record. */
export function memoryAssessmentStore(
  outage: Outage,
  others: { cards: Pick<FeedbackStore, 'recordIssuedCards'>; audit: AuditLog },
): MemoryAssessmentStore {
  const assessments = new Map<string, StoredAssessment>();
  const withoutSnapshot = new Set<string>();
  const llmAdditions = new Map<string, LlmAdditions>();
  const save = async (stored: StoredAssessment) => {
    await whileUp(outage);
    assessments.set(stored.assessment.id, structuredClone(stored));
  };
  const withLlm = (stored: StoredAssessment | undefined) => {
    if (stored && withoutSnapshot.has(stored.assessment.id)) return undefined;
    const llm = stored && llmAdditions.get(stored.assessment.id);
    return llm && stored ? { ...stored, assessment: { ...stored.assessment, llm } } : stored;
  };
  return {
    assessments,
    withoutSnapshot,
    llmAdditions,
    saveAssessment: save,
    async recordHook(record) {
      await save(record.assessment);
      if (record.keepSnapshot) withoutSnapshot.delete(record.assessment.assessment.id);
      else withoutSnapshot.add(record.assessment.assessment.id);
      await others.cards.recordIssuedCards(record.cards);
      await others.audit.audit(record.audit);
    },
    async getAssessment(id) {
      await whileUp(outage);
      return withLlm(assessments.get(id));
    },
    async latestAssessmentFor(patientId, fhirServer) {
      await whileUp(outage);
      const mine = [...assessments.values()].filter(
        (a) => a.patientId === patientId && (!fhirServer || a.fhirServer === fhirServer),
      );
      return withLlm(mine.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]);
    },
    async saveLlmAdditions(assessmentId, additions) {
      await whileUp(outage);
      llmAdditions.set(assessmentId, additions);
    },
    async purgeAssessments(olderThan) {
      await whileUp(outage);
      const old = [...assessments.values()].filter((a) => a.createdAt < olderThan);
      for (const a of old) assessments.delete(a.assessment.id);
      return old.length;
    },
  };
}
