import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { RationaleApi } from '../api/rationale-api';
import { ErrorScreen } from '../components/ErrorScreen';
import { AppError } from '../errors';
import { READ_RESOURCE_TYPES } from '../launch/config';
import type { FetchJson } from '../launch/id-token';
import { missingReads } from '../launch/scopes';
import type { SmartSession } from '../launch/smart-session';
import { identityQuery, launchAssessmentQuery, smartSessionQuery } from '../queries/queries';
import { applyStyleVariables, isFetchableStyleUrl, styleVariables } from '../style/smart-style';
import { itemFromAppContext } from '../launch/token-response';
import { AssessmentPage } from './AssessmentPage';

export interface AppProps {
  /** The completed launch: in production the module-scope `ready()` promise (launch/ready.ts). */
  loadSession: () => Promise<SmartSession>;
  createApi: (session: SmartSession) => RationaleApi;
  /** Fetches the EHR's smart-style JSON. */
  fetchJson: FetchJson;
}

export function Loading({ text }: { text: string }) {
  return (
    <main id="main" className="loading">
      <p role="status">{text}</p>
    </main>
  );
}

/** The redirect page: completes the launch, verifies the user, finds the assessment, then shows it. */
export function App({ loadSession, createApi, fetchJson }: AppProps) {
  const session = useQuery(smartSessionQuery(loadSession));
  if (session.isPending) return <Loading text="Completing sign-in with your EHR…" />;
  if (session.isError) return <ErrorScreen error={session.error} />;
  return <LaunchedApp session={session.data} createApi={createApi} fetchJson={fetchJson} />;
}

function LaunchedApp({
  session,
  createApi,
  fetchJson,
}: {
  session: SmartSession;
  createApi: AppProps['createApi'];
  fetchJson: FetchJson;
}) {
  const api = useMemo(() => createApi(session), [createApi, session]);
  // A server that sends no scope at all leaves nothing to check; a scope that omits Patient read means the service cannot authorize us.
  const missing =
    session.grantedScope.trim() === '' ? [] : missingReads(session.grantedScope, READ_RESOURCE_TYPES);
  const canReadPatient = !missing.includes('Patient');
  const identity = useQuery({ ...identityQuery(session), enabled: canReadPatient });
  const launch = useQuery({
    ...launchAssessmentQuery(api, session),
    enabled: canReadPatient && identity.isSuccess,
  });
  const styleUrl = session.tokenResponse.smart_style_url;

  useEffect(() => {
    if (!isFetchableStyleUrl(styleUrl)) return;
    let current = true;
    fetchJson(styleUrl).then(
      (style) => current && applyStyleVariables(styleVariables(style)),
      // The EHR's style is optional: without it the app keeps its own accessible defaults.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [styleUrl, fetchJson]);

  if (!canReadPatient) {
    return (
      <ErrorScreen
        error={
          new AppError(
            'scope-denied',
            `Granted scopes: "${session.grantedScope}" (no read access to Patient).`,
          )
        }
      />
    );
  }
  if (identity.isPending) return <Loading text="Verifying your identity…" />;
  if (identity.isError) return <ErrorScreen error={identity.error} />;
  if (launch.isPending) return <Loading text="Loading the assessment…" />;
  if (launch.isError) return <ErrorScreen error={launch.error} onRetry={() => void launch.refetch()} />;
  return (
    <AssessmentPage
      api={api}
      session={session}
      assessmentId={launch.data.assessmentId}
      focusItemId={itemFromAppContext(session.tokenResponse.appContext)}
      initialAssessment={launch.data.assessment}
      user={identity.data}
      unreadableTypes={missing}
    />
  );
}
