/**
 * The optional LLM step of the pipeline (DESIGN.md §5): the reasoner runs for at most its budget;
 * what arrives in time goes into the Assessment, otherwise the Assessment says `pending` and the
 * late additions are handed back for the caller to store.
 */
import type { Assessment, LlmAdditions, PatientRecord } from '@rationale/shared-types';
import type { LlmEnricher } from '../llm/types';
import { errorSummary, type Logger } from '../logger';

/** The LLM's part of an Assessment, and the late additions when the budget ran out first. */
export interface LlmStep {
  additions: LlmAdditions;
  late?: Promise<LlmAdditions>;
}

/** Runs the reasoner within its budget; never rejects (a failure is `status: failed`). */
export async function runLlm(
  llm: LlmEnricher,
  assessment: Assessment,
  record: PatientRecord,
): Promise<LlmStep> {
  const raced = await withinBudget(llm.budgetMs, llm.enrich(assessment, record).catch(failedAdditions));
  if (raced.arrived) return { additions: raced.value };
  return { additions: pendingAdditions(llm.describe()), late: raced.pending };
}

/** Where late LLM additions go: the assessment store. */
export interface LlmAdditionsSink {
  saveLlmAdditions(assessmentId: string, additions: LlmAdditions): Promise<void>;
}

/** Stores LLM additions that arrived after the answer, once the assessment itself is stored. */
export function storeLateLlm(
  store: LlmAdditionsSink,
  assessmentId: string,
  saved: Promise<unknown>,
  late: Promise<LlmAdditions>,
  log: Logger,
): void {
  void Promise.all([saved, late])
    .then(([, additions]) => store.saveLlmAdditions(assessmentId, additions))
    .catch((e: unknown) => log.warn({ err: errorSummary(e), assessmentId }, 'late LLM additions not stored'));
}

type Raced<T> = { arrived: true; value: T } | { arrived: false; pending: Promise<T> };

/** Waits for `promise` at most `ms`; never longer. */
async function withinBudget<T>(ms: number, promise: Promise<T>): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, ms));
    timer.unref?.();
  });
  const winner = await Promise.race([promise.then((value) => ({ value })), timeout]);
  clearTimeout(timer);
  return winner === 'timeout' ? { arrived: false, pending: promise } : { arrived: true, value: winner.value };
}

function emptyAdditions(status: LlmAdditions['status']): LlmAdditions {
  return { status, hypotheses: [], recommendations: [], reasoning: [], dropped: {} };
}

function failedAdditions(): LlmAdditions {
  return emptyAdditions('failed');
}

function pendingAdditions(d: { model: string; promptVersion: string }): LlmAdditions {
  return { ...emptyAdditions('pending'), model: d.model, promptVersion: d.promptVersion };
}
