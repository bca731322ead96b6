/**
 * The Rationale service API (shared-types/src/api.ts; DESIGN.md §1) as plain functions. Every call
 * carries the app's SMART access token as a bearer token; the service proves the user may see the
 * patient by reading the Patient with it. Responses are validated against the shared schemas, so a
 * contract drift shows as an error screen rather than a half-rendered assessment.
 */
import axios, { isAxiosError, type AxiosInstance } from 'axios';
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

function toAppError(error: unknown, what: string): AppError {
  if (isAppError(error)) return error;
  if (isAxiosError(error)) {
    const status = error.response?.status;
    const detail = outcomeText(error.response?.data);
    const message =
      status === undefined
        ? `${what}: the Rationale service could not be reached.`
        : `${what}: the service answered ${status}${detail ? ` (${detail})` : ''}.`;
    return new AppError(codeForStatus(status, detail), message, { cause: error });
  }
  return new AppError('unavailable', `${what}: the service sent a response the app does not understand.`, {
    cause: error,
  });
}

export function createRationaleApi(options: ApiOptions): RationaleApi {
  const http: AxiosInstance = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    adapter: 'fetch',
    timeout: 30_000,
    headers: { Accept: 'application/json' },
  });
  http.interceptors.request.use((config) => {
    config.headers.set('Authorization', `Bearer ${options.accessToken()}`);
    return config;
  });

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toAppError(error, what);
    }
  }

  return {
    getAssessment: (id, signal) =>
      call('Loading the assessment', async () => {
        const response = await http.get(`/assessments/${encodeURIComponent(id)}`, { signal });
        return assessmentSchema.parse(response.data);
      }),
    findLatestAssessment: (patientId, fhirServer, signal) =>
      call('Looking up the latest assessment', async () => {
        const response = await http.get('/assessments', {
          params: { patient: patientId, fhirServer },
          signal,
          validateStatus: (status) => (status >= 200 && status < 300) || status === 404,
        });
        return response.status === 404 ? null : assessmentSchema.parse(response.data);
      }),
    createAssessment: (request) =>
      call('Computing an assessment', async () => {
        const response = await http.post('/assessments', request);
        return assessmentSchema.parse(response.data);
      }),
    postFeedback: (feedback) =>
      call('Sending feedback', async () => {
        const response = await http.post('/feedback', feedback);
        return appFeedbackResponseSchema.parse(response.data);
      }),
    getModelCard: (signal) =>
      call('Loading the model card', async () => {
        const response = await http.get('/model-card', { signal });
        return modelCardSchema.parse(response.data);
      }),
  };
}
