/**
 * The LLM call itself, on the official `openai` package: any OpenAI-compatible chat endpoint
 * (OpenAI, vLLM, Ollama, llama.cpp server) by base URL, or Azure OpenAI by endpoint and deployment.
 * Structured outputs constrain the answer to OUTPUT_JSON_SCHEMA; the answer is still parsed with
 * zod, because a compatible server may ignore the schema. The package's own retries are off: the
 * enricher retries within its deadline.
 */
import OpenAI, { AzureOpenAI } from 'openai';
import type { DeidentifiedSummary } from './deidentify';
import { llmOutputSchema, OUTPUT_JSON_SCHEMA, SYSTEM_PROMPT, type LlmOutput } from './prompt';

export type LlmEndpoint =
  | { kind: 'openai'; baseUrl: string; apiKey?: string; model: string }
  | { kind: 'azure'; endpoint: string; apiKey: string; apiVersion: string; deployment: string };

/** Why a call failed, and whether another try within the deadline may succeed. */
export class LlmCallError extends Error {
  constructor(
    readonly kind:
      'timeout' | 'rate-limited' | 'server-error' | 'malformed' | 'refused' | 'client-error' | 'network',
    readonly retryable: boolean,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LlmCallError';
  }
}

/** Parses Retry-After: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export class OpenAiChatReasoner {
  private readonly client: OpenAI;
  readonly model: string;

  constructor(endpoint: LlmEndpoint, options: { fetch?: typeof fetch } = {}) {
    const common = { maxRetries: 0, ...(options.fetch ? { fetch: options.fetch } : {}) };
    if (endpoint.kind === 'azure') {
      this.client = new AzureOpenAI({
        endpoint: endpoint.endpoint,
        apiKey: endpoint.apiKey,
        apiVersion: endpoint.apiVersion,
        deployment: endpoint.deployment,
        ...common,
      });
      this.model = endpoint.deployment;
    } else {
      // Local servers (vLLM, Ollama) take any key; the package insists on one.
      this.client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: endpoint.apiKey ?? 'unused', ...common });
      this.model = endpoint.model;
    }
  }

  /** One call: resolves with the parsed output, or throws an LlmCallError. */
  async complete(summary: DeidentifiedSummary, signal: AbortSignal, timeoutMs: number): Promise<LlmOutput> {
    let content: string | null | undefined;
    try {
      const completion = await this.client.chat.completions.create(
        {
          model: this.model,
          temperature: 0,
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: JSON.stringify(summary) },
          ],
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'rationale_claims', strict: true, schema: OUTPUT_JSON_SCHEMA },
          },
        },
        { signal, timeout: Math.max(1, timeoutMs) },
      );
      const message = completion.choices[0]?.message;
      if (message?.refusal) throw new LlmCallError('refused', false, 'the model refused');
      content = message?.content;
    } catch (error) {
      throw classify(error);
    }
    if (!content) throw new LlmCallError('malformed', true, 'empty answer');
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      throw new LlmCallError('malformed', true, 'answer is not JSON');
    }
    const parsed = llmOutputSchema.safeParse(json);
    if (!parsed.success) throw new LlmCallError('malformed', true, 'answer does not match the schema');
    return parsed.data;
  }
}

function classify(error: unknown): LlmCallError {
  if (error instanceof LlmCallError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError || error instanceof OpenAI.APIUserAbortError) {
    return new LlmCallError('timeout', true, 'timed out');
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const status = error.status;
    if (status === 429) {
      const headers = error.headers as Headers | undefined;
      const retryAfter = parseRetryAfter(headers?.get('retry-after'), Date.now());
      return new LlmCallError('rate-limited', true, 'rate limited (429)', retryAfter);
    }
    if (status >= 500) return new LlmCallError('server-error', true, `server error (${status})`);
    return new LlmCallError('client-error', false, `rejected (${status})`);
  }
  if (error instanceof OpenAI.APIConnectionError)
    return new LlmCallError('network', true, 'connection failed');
  if (error instanceof Error && error.name === 'AbortError')
    return new LlmCallError('timeout', true, 'aborted');
  return new LlmCallError('network', true, 'call failed');
}
