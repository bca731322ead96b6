/**
 * The LLM enricher the hooks use (llm/types.ts): de-identify, call within a deadline with retries,
 * verify, and resolve with LlmAdditions. It never rejects: every failure resolves to status
 * `failed` or `timeout`, and the knowledge model's cards go out regardless.
 */
import type { Assessment, Citation, LlmAdditions, PatientRecord } from '@rationale/shared-types';
import { CircuitBreaker } from './circuit-breaker';
import { deidentify } from './deidentify';
import { LlmCallError, OpenAiChatReasoner, type LlmEndpoint } from './openai-reasoner';
import { PROMPT_VERSION, type LlmOutput } from './prompt';
import type { LlmEnricher } from './types';
import { verifyClaims } from './verify-citations';

export interface LlmSettings {
  endpoint: LlmEndpoint;
  /** How long a hook waits for the reasoner (default 300 ms). */
  budgetMs: number;
  /** How long the reasoner may take in all, retries included, before its additions are given up. */
  deadlineMs: number;
  /** Keys the per-patient date shift; keep it secret and stable across replicas. */
  dateShiftSecret: string;
  /** Consecutive failures that open the circuit, and how long it stays open. */
  circuitFailureThreshold: number;
  circuitOpenMs: number;
}

export const DEFAULT_LLM_TIMINGS = Object.freeze({
  budgetMs: 300,
  deadlineMs: 20_000,
  circuitFailureThreshold: 5,
  circuitOpenMs: 30_000,
});

/** Counts only: the enricher logs no content, no ids of patients, no payloads. */
export interface LlmLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface LlmDeps {
  /** The evidence library the LLM may cite. */
  evidence: readonly Citation[];
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  fetch?: typeof fetch;
  logger?: LlmLogger;
}

const BACKOFF_BASE_MS = 50;

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Builds the enricher for a configured endpoint. */
export function createLlmEnricher(settings: LlmSettings, deps: LlmDeps): LlmEnricher {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const reasoner = new OpenAiChatReasoner(settings.endpoint, deps.fetch ? { fetch: deps.fetch } : {});
  const breaker = new CircuitBreaker({
    failureThreshold: settings.circuitFailureThreshold,
    openMs: settings.circuitOpenMs,
    now,
  });

  const result = (status: LlmAdditions['status'], extra: Partial<LlmAdditions> = {}): LlmAdditions => ({
    status,
    model: reasoner.model,
    promptVersion: PROMPT_VERSION,
    hypotheses: [],
    recommendations: [],
    reasoning: [],
    dropped: {},
    completedAt: new Date(now()).toISOString(),
    ...extra,
  });

  /** Calls until an answer, a non-retryable failure, or the deadline. */
  async function callWithinDeadline(
    summary: Parameters<OpenAiChatReasoner['complete']>[0],
    signal: AbortSignal | undefined,
  ): Promise<LlmOutput | LlmCallError> {
    const deadline = now() + settings.deadlineMs;
    let lastError = new LlmCallError('timeout', false, 'deadline passed before a call');
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - now();
      if (remaining <= 0 || signal?.aborted) return new LlmCallError('timeout', false, lastError.message);
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      signal?.addEventListener('abort', onAbort);
      const timer = setTimeout(() => controller.abort(), remaining);
      try {
        return await reasoner.complete(summary, controller.signal, remaining);
      } catch (error) {
        lastError = error instanceof LlmCallError ? error : new LlmCallError('network', true, 'call failed');
        if (!lastError.retryable) return lastError;
        const wait = lastError.retryAfterMs ?? BACKOFF_BASE_MS * 2 ** attempt;
        if (now() + wait >= deadline) {
          return new LlmCallError(
            lastError.kind === 'timeout' ? 'timeout' : lastError.kind,
            false,
            lastError.message,
          );
        }
        deps.logger?.warn({ attempt: attempt + 1, kind: lastError.kind, waitMs: wait }, 'llm call retry');
        await sleep(wait, signal);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  return {
    budgetMs: settings.budgetMs,
    describe: () => ({ model: reasoner.model, promptVersion: PROMPT_VERSION }),
    async enrich(assessment: Assessment, record: PatientRecord, signal?: AbortSignal): Promise<LlmAdditions> {
      if (!breaker.tryAcquire()) {
        deps.logger?.warn({ circuit: breaker.state }, 'llm circuit open: not called');
        return result('failed', { dropped: {} });
      }
      try {
        const deid = deidentify(record, assessment, deps.evidence, settings.dateShiftSecret);
        const outcome = await callWithinDeadline(deid.summary, signal);
        if (outcome instanceof LlmCallError) {
          breaker.recordFailure();
          deps.logger?.warn({ kind: outcome.kind, circuit: breaker.state }, 'llm reasoner fell back');
          return result(outcome.kind === 'timeout' ? 'timeout' : 'failed');
        }
        breaker.recordSuccess();
        const verified = verifyClaims(outcome, deid);
        const cited = new Set(
          [...verified.hypotheses, ...verified.recommendations, ...verified.reasoning].flatMap(
            (c) => c.citationIds,
          ),
        );
        deps.logger?.info(
          {
            kept: verified.hypotheses.length + verified.recommendations.length + verified.reasoning.length,
            dropped: verified.dropped,
          },
          'llm additions verified',
        );
        return result('complete', {
          hypotheses: verified.hypotheses,
          recommendations: verified.recommendations,
          reasoning: verified.reasoning,
          dropped: verified.dropped,
          citations: deps.evidence.filter((c) => cited.has(c.id)),
        });
      } catch {
        // Anything unexpected (a bug, not the endpoint) still falls back to the knowledge model.
        breaker.recordFailure();
        return result('failed');
      }
    },
  };
}
