/**
 * The Rationale service API (shared-types/src/api.ts; DESIGN.md §1) as plain functions. Every call
 * carries the app's SMART access token as a bearer token; the service proves the user may see the
 * patient by reading the Patient with it. Responses are validated against the shared schemas, so a
 * contract drift shows as an error screen rather than a half-rendered assessment.
 */
import {
  appFeedbackResponseSchema,
  assessmentSchema,
  modelCardSchema,
  type AppFeedbackRequest,
  type Assessment,
  type CreateAssessmentRequest,
  type ModelCard,
} from '@rationale/shared-types';
import { AppError, codeForStatus, isAppError } from '../errors';

export interface FeedbackReceipt {
  id: string;
  recordedAt: string;
}

export interface RationaleApi {
  getAssessment(id: string, signal?: AbortSignal): Promise<Assessment>;
  /**
   * The latest stored assessment for the patient on this FHIR server (patient ids are only unique
   * per server), or null when there is none.
   */
  findLatestAssessment(
    patientId: string,
    fhirServer: string,
    signal?: AbortSignal,
  ): Promise<Assessment | null>;
  /** Computes a fresh assessment from the FHIR server (standalone launch, or no appContext). */
  createAssessment(request: CreateAssessmentRequest): Promise<Assessment>;
  postFeedback(feedback: AppFeedbackRequest): Promise<FeedbackReceipt>;
  getModelCard(signal?: AbortSignal): Promise<ModelCard>;
}

export interface ApiOptions {
  /** Absolute base of the API, e.g. `https://rationale.example.org/api`. */
  baseUrl: string;
  /** The SMART access token; throws AppError('session-expired') when it has expired. */
  accessToken: () => string;
}

/** The diagnostics of an OperationOutcome error body, when the service sent one. */
function outcomeText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const issues = (body as { issue?: unknown }).issue;
  if (!Array.isArray(issues)) return undefined;
  const texts = issues
    .map((issue: unknown) =>
      typeof issue === 'object' && issue !== null
        ? (issue as { diagnostics?: unknown }).diagnostics
        : undefined,
    )
    .filter((text): text is string => typeof text === 'string');
  return texts.length > 0 ? texts.join('; ') : undefined;
}

/** The service answered with an error status. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/** The request never got an answer (network down, refused, timed out or cancelled). */
class UnreachableError extends Error {}

function toAppError(error: unknown, what: string): AppError {
  if (isAppError(error)) return error;
  if (error instanceof UnreachableError)
    return new AppError(codeForStatus(undefined), `${what}: the Rationale service could not be reached.`, {
      cause: error,
    });
  if (error instanceof HttpError) {
    const detail = outcomeText(error.body);
    return new AppError(
      codeForStatus(error.status, detail),
      `${what}: the service answered ${error.status}${detail ? ` (${detail})` : ''}.`,
      { cause: error },
    );
  }
  return new AppError('unavailable', `${what}: the service sent a response the app does not understand.`, {
    cause: error,
  });
}

/** How long any call may take before the app says the service could not be reached. */
const TIMEOUT_MS = 30_000;

export function createRationaleApi(options: ApiOptions): RationaleApi {
  const base = options.baseUrl.replace(/\/+$/, '');

  /**
   * One JSON call with the SMART token (the platform's fetch; the app carries no HTTP library).
   * Resolves with the parsed body, or null for a 404 when `notFoundIsNull`.
   */
  async function request(
    method: 'GET' | 'POST',
    path: string,
    init: {
      params?: Record<string, string>;
      body?: unknown;
      signal?: AbortSignal;
      notFoundIsNull?: boolean;
    } = {},
  ): Promise<unknown> {
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(init.params ?? {})) url.searchParams.set(name, value);
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${options.accessToken()}`,
          ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new UnreachableError(error instanceof Error ? error.message : String(error), { cause: error });
    }
    if (init.notFoundIsNull && response.status === 404) return null;
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    if (!response.ok) throw new HttpError(response.status, data);
    return data;
  }

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toAppError(error, what);
    }
  }

  return {
    getAssessment: (id, signal) =>
      call('Loading the assessment', async () =>
        assessmentSchema.parse(await request('GET', `/assessments/${encodeURIComponent(id)}`, { signal })),
      ),
    findLatestAssessment: (patientId, fhirServer, signal) =>
      call('Looking up the latest assessment', async () => {
        const data = await request('GET', '/assessments', {
          params: { patient: patientId, fhirServer },
          signal,
          notFoundIsNull: true,
        });
        return data === null ? null : assessmentSchema.parse(data);
      }),
    createAssessment: (body) =>
      call('Computing an assessment', async () =>
        assessmentSchema.parse(await request('POST', '/assessments', { body })),
      ),
    postFeedback: (feedback) =>
      call('Sending feedback', async () =>
        appFeedbackResponseSchema.parse(await request('POST', '/feedback', { body: feedback })),
      ),
    getModelCard: (signal) =>
      call('Loading the model card', async () =>
        modelCardSchema.parse(await request('GET', '/model-card', { signal })),
      ),
  };
}
