/**
 * React Query as a thin binding over plain functions (STYLE.md, smart-app): each factory names a
 * query key and the plain function that answers it.
 */
import type { Assessment } from '@rationale/shared-types';
import { queryOptions } from '@tanstack/react-query';
import type { RationaleApi } from '../api/rationale-api';
import { AppError } from '../errors';
import type { FhirReader, SmartSession } from '../launch/smart-session';
import { assessmentIdFromAppContext } from '../launch/token-response';

/** LLM additions are polled every 2 s while pending… */
export const LLM_POLL_INTERVAL_MS = 2000;
/** …for at most 30 polls (about a minute), then the user may ask again. */
export const LLM_MAX_POLLS = 30;

/**
 * The refetch interval for an assessment: poll while the LLM reasoner is pending and the poll
 * budget lasts. Counting fetches rather than reading a clock keeps the rule deterministic.
 */
export function llmPollInterval(
  assessment: Assessment | undefined,
  fetchCount: number,
  pollLimit: number = LLM_MAX_POLLS,
): number | false {
  if (assessment?.llm?.status !== 'pending') return false;
  return fetchCount <= pollLimit ? LLM_POLL_INTERVAL_MS : false;
}

/**
 * The completed SMART launch. `load` returns the one module-scope `ready()` promise, so however
 * often React mounts, the authorization code is exchanged once; never stale, never retried.
 */
export const smartSessionQuery = (load: () => Promise<SmartSession>) =>
  queryOptions({ queryKey: ['smart'], queryFn: load, staleTime: Infinity, gcTime: Infinity, retry: false });

export const identityQuery = (session: SmartSession) =>
  queryOptions({
    queryKey: ['identity'],
    queryFn: () => session.verifyIdentity(),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });

export interface LaunchAssessment {
  assessmentId: string;
  /** Present when the assessment was found or computed rather than named by appContext. */
  assessment?: Assessment;
}

/**
 * Which assessment this launch shows: the card link's appContext names it; without one (a
 * standalone launch, or an EHR that drops appContext) the patient's latest stored assessment;
 * failing that, a fresh one computed from the FHIR server.
 */
export async function resolveLaunchAssessment(
  api: RationaleApi,
  session: SmartSession,
): Promise<LaunchAssessment> {
  const named = assessmentIdFromAppContext(session.tokenResponse.appContext);
  if (named) return { assessmentId: named };
  const patient = session.patientId;
  if (!patient) throw new AppError('no-patient', 'The token response names no patient and no assessment.');
  const latest = await api.findLatestAssessment(patient, session.fhirServer);
  const assessment = latest ?? (await api.createAssessment({ fhirServer: session.fhirServer, patient }));
  return { assessmentId: assessment.id, assessment };
}

export const launchAssessmentQuery = (api: RationaleApi, session: SmartSession) =>
  queryOptions({
    queryKey: ['launch-assessment'],
    queryFn: () => resolveLaunchAssessment(api, session),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });

export const assessmentQuery = (api: RationaleApi, id: string, pollLimit: number = LLM_MAX_POLLS) =>
  queryOptions({
    queryKey: ['assessment', id],
    queryFn: ({ signal }) => api.getAssessment(id, signal),
    staleTime: Infinity,
    retry: false,
    refetchInterval: (query) => llmPollInterval(query.state.data, query.state.dataUpdateCount, pollLimit),
  });

export const modelCardQuery = (api: RationaleApi) =>
  queryOptions({
    queryKey: ['model-card'],
    queryFn: ({ signal }) => api.getModelCard(signal),
    staleTime: Infinity,
    retry: false,
  });

export const fhirResourceQuery = (reader: FhirReader, reference: string) =>
  queryOptions({
    queryKey: ['fhir', reference],
    queryFn: ({ signal }) => reader.read(reference, signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
