import type { AppFeedbackRequest, Assessment, Citation, Finding } from '@rationale/shared-types';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RationaleApi } from '../api/rationale-api';
import { AssessmentHeader } from '../components/AssessmentHeader';
import { DataQuality } from '../components/DataQuality';
import { Differential } from '../components/Differential';
import { ErrorScreen } from '../components/ErrorScreen';
import { Evidence } from '../components/Evidence';
import { FeedbackControl } from '../components/FeedbackControl';
import { ImportantToConsider, UnmetPremises } from '../components/ImportantToConsider';
import { focusItem } from '../components/item-focus';
import type { OpenFinding } from '../components/FindingButton';
import { LlmAdditions } from '../components/LlmAdditions';
import { SiteModels } from '../components/SiteModels';
import { ModelCardView } from '../components/ModelCardView';
import { NextBestTests } from '../components/NextBestTests';
import { bannerPatient, PatientBanner, type BannerState } from '../components/PatientBanner';
import { Recommendations } from '../components/Recommendations';
import { ResourceDialog, type ResourceResult } from '../components/ResourceDialog';
import { isOrderHook, SafetyAlerts } from '../components/SafetyAlerts';
import { classifyHttpError, type AppError } from '../errors';
import type { VerifiedIdentity } from '../launch/id-token';
import type { SmartSession } from '../launch/smart-session';
import { assessmentQuery, fhirResourceQuery, LLM_MAX_POLLS, modelCardQuery } from '../queries/queries';

export interface AssessmentPageProps {
  api: RationaleApi;
  session: Pick<SmartSession, 'read' | 'patientId' | 'tokenResponse'>;
  assessmentId: string;
  /** The assessment already in hand (found or computed during launch), shown without a second fetch. */
  initialAssessment?: Assessment | undefined;
  user?: VerifiedIdentity | null;
  /** Resource types the granted scopes do not let the app read. */
  unreadableTypes?: readonly string[];
  /** The item the launching card is about (from appContext): the page opens on it. */
  focusItemId?: string | undefined;
}

type FeedbackTarget = AppFeedbackRequest['target'];

function toAppError(error: unknown): AppError {
  return classifyHttpError(error);
}

/** Joins the assessment, the patient, the model card and feedback into the reasoning view. */
export function AssessmentPage({
  api,
  session,
  assessmentId,
  initialAssessment,
  user,
  unreadableTypes = [],
  focusItemId,
}: AssessmentPageProps) {
  const [pollLimit, setPollLimit] = useState(LLM_MAX_POLLS);
  const queryClient = useQueryClient();
  const assessmentOptions = assessmentQuery(api, assessmentId, pollLimit);
  const assessment = useQuery({
    ...assessmentOptions,
    ...(initialAssessment ? { initialData: initialAssessment } : {}),
  });
  const showBanner = session.tokenResponse.need_patient_banner !== false && session.patientId !== undefined;
  const patient = useQuery({
    ...fhirResourceQuery(session, `Patient/${session.patientId ?? ''}`),
    enabled: showBanner,
  });
  const modelCard = useQuery(modelCardQuery(api));
  const feedback = useMutation({ mutationFn: (request: AppFeedbackRequest) => api.postFeedback(request) });

  const [open, setOpen] = useState<{ finding: Finding; reference: string } | null>(null);
  const resource = useQuery({ ...fhirResourceQuery(session, open?.reference ?? ''), enabled: open !== null });

  const onOpenFinding: OpenFinding = useCallback((finding) => {
    const first = finding.sources[0];
    if (first) setOpen({ finding, reference: first.reference });
  }, []);

  const data = assessment.data;
  const index = useMemo(() => {
    const findings = new Map<string, Finding>((data?.findings ?? []).map((f) => [f.id, f]));
    const citations = new Map<string, Citation>();
    for (const c of [...(data?.citations ?? []), ...(data?.llm?.citations ?? [])]) citations.set(c.id, c);
    return { findings, citations };
  }, [data]);

  // Once, when the assessment is first on screen: open on the card's item.
  const focused = useRef(false);
  const hasData = data !== undefined;
  useEffect(() => {
    if (!hasData || !focusItemId || focused.current) return;
    focused.current = true;
    focusItem(document, focusItemId);
  }, [hasData, focusItemId]);

  if (assessment.isPending) {
    return (
      <main id="main" className="loading">
        <p role="status">Loading the assessment…</p>
      </main>
    );
  }
  if (assessment.isError || !data)
    return <ErrorScreen error={assessment.error} onRetry={() => void assessment.refetch()} />;

  const renderFeedback = (target: FeedbackTarget, label: string) => (
    <FeedbackControl
      itemLabel={label}
      onSubmit={(input) => feedback.mutateAsync({ assessmentId: data.id, target, ...input })}
    />
  );

  const bannerState: BannerState = patient.isSuccess
    ? { status: 'success', patient: bannerPatient(patient.data) }
    : patient.isError
      ? { status: 'error', message: toAppError(patient.error).message }
      : { status: 'pending' };

  const resourceResult: ResourceResult = resource.isSuccess
    ? { status: 'success', resource: resource.data }
    : resource.isError
      ? { status: 'error', error: toAppError(resource.error) }
      : { status: 'pending' };

  const llm = data.llm;
  const fetchCount = queryClient.getQueryState(assessmentOptions.queryKey)?.dataUpdateCount ?? 0;
  const pollingStopped =
    llm?.status === 'pending' && assessment.fetchStatus === 'idle' && fetchCount > pollLimit;

  return (
    <>
      <a className="skip-link" href="#differential-heading">
        Skip to the differential
      </a>
      <AssessmentHeader
        assessment={data}
        user={user ?? null}
        banner={showBanner ? <PatientBanner state={bannerState} /> : undefined}
      />
      <nav aria-label="Sections" className="section-nav">
        <ul>
          {isOrderHook(data.hook) ? (
            <li>
              <a href="#safety-heading">Order safety</a>
            </li>
          ) : null}
          <li>
            <a href="#differential-heading">Differential</a>
          </li>
          <li>
            <a href="#next-tests-heading">Next tests</a>
          </li>
          <li>
            <a href="#recommendations-heading">Recommendations</a>
          </li>
          {llm ? (
            <li>
              <a href="#llm-heading">AI reasoner</a>
            </li>
          ) : null}
          {data.siteModels?.length ? (
            <li>
              <a href="#site-models-heading">Site models</a>
            </li>
          ) : null}
          <li>
            <a href="#evidence-heading">Evidence</a>
          </li>
          <li>
            <a href="#model-card-heading">Model card</a>
          </li>
        </ul>
      </nav>
      <main id="main">
        {unreadableTypes.length > 0 ? (
          <p className="notice" role="note">
            This launch did not grant reading {unreadableTypes.join(', ')}: findings from those resources are
            listed, but their source records cannot be opened here.
          </p>
        ) : null}
        {isOrderHook(data.hook) ? (
          <SafetyAlerts
            alerts={data.safety}
            findings={index.findings}
            citations={index.citations}
            onOpenFinding={onOpenFinding}
            renderFeedback={(alert) =>
              renderFeedback({ type: 'safety', id: alert.id, key: alert.ruleId }, alert.title)
            }
          />
        ) : null}
        <ImportantToConsider items={data.cantMiss ?? []} citations={index.citations} />
        <Differential
          hypotheses={data.hypotheses}
          findings={index.findings}
          citations={index.citations}
          onOpenFinding={onOpenFinding}
          renderFeedback={(h) =>
            renderFeedback({ type: 'hypothesis', id: h.id, key: h.conditionId }, h.label)
          }
        />
        <NextBestTests
          tests={data.nextBestTests}
          hypotheses={data.hypotheses}
          citations={index.citations}
          dataGaps={data.dataGaps}
        />
        <Recommendations
          recommendations={data.recommendations}
          suppressed={data.suppressedRecommendations ?? []}
          findings={index.findings}
          citations={index.citations}
          onOpenFinding={onOpenFinding}
          renderFeedback={(r) => renderFeedback({ type: 'recommendation', id: r.id, key: r.ruleId }, r.title)}
        />
        <UnmetPremises items={data.unmetPremises ?? []} />
        {data.siteModels?.length ? (
          <SiteModels results={data.siteModels} onOpenFinding={onOpenFinding} />
        ) : null}
        {llm ? (
          <LlmAdditions
            llm={llm}
            findings={index.findings}
            citations={index.citations}
            onOpenFinding={onOpenFinding}
            pollingStopped={pollingStopped}
            onCheckAgain={() => {
              setPollLimit(fetchCount + LLM_MAX_POLLS);
              void assessment.refetch();
            }}
            renderHypothesisFeedback={(h) =>
              renderFeedback({ type: 'llm-hypothesis', id: h.id, key: h.conditionId }, h.label)
            }
            renderRecommendationFeedback={(r) =>
              renderFeedback({ type: 'llm-recommendation', id: r.id, key: r.ruleId }, r.title)
            }
          />
        ) : null}
        <DataQuality issues={data.dataQuality ?? []} />
        <Evidence citations={[...index.citations.values()]} />
        <section aria-labelledby="model-card-heading" className="panel">
          <h2 id="model-card-heading">Model card</h2>
          {modelCard.isSuccess ? (
            <ModelCardView card={modelCard.data} />
          ) : modelCard.isError ? (
            <p role="alert">The model card could not be loaded: {toAppError(modelCard.error).message}</p>
          ) : (
            <p role="status">Loading the model card…</p>
          )}
        </section>
      </main>
      <footer className="app-footer muted">
        Assessment <code>{data.id}</code>. Rationale supports, and does not replace, clinical judgement.
      </footer>
      {open ? (
        <ResourceDialog
          finding={open.finding}
          reference={open.reference}
          result={resourceResult}
          onSelectSource={(reference) => setOpen({ finding: open.finding, reference })}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </>
  );
}
