import { AppError, isAppError, type AppErrorCode } from '../errors';

const SCREENS: Record<AppErrorCode, { title: string; advice: string }> = {
  'not-launched': {
    title: 'Launch this app from your EHR',
    advice:
      'Rationale opens from a card in the patient’s chart: click the card’s “Rationale” link in Epic, Oracle Health or the sandbox. To use it on its own, open launch.html and enter your FHIR server.',
  },
  'state-mismatch': {
    title: 'This sign-in does not match a launch from this window',
    advice:
      'The authorization server returned to Rationale with a state this window did not start (the launch may have been opened in another tab, or the page was reloaded after the session was cleared). Close this window and launch the app again from the EHR.',
  },
  'authorization-denied': {
    title: 'Access was not granted',
    advice:
      'The EHR’s authorization server refused the request. If you declined access, launch the app again and allow it; otherwise ask your EHR administrator whether Rationale is registered for your organization.',
  },
  'token-exchange-failed': {
    title: 'Sign-in could not be completed',
    advice:
      'The authorization code was rejected: it may have expired or been used already. Launch the app again from the EHR; codes are valid for about a minute.',
  },
  'scope-denied': {
    title: 'Rationale lacks permission to read this record',
    advice:
      'The EHR granted fewer permissions than Rationale needs to show the assessment (at least reading the patient). Ask your EHR administrator to grant Rationale read access to Patient, Condition, Observation, MedicationRequest, AllergyIntolerance and Encounter, then launch again.',
  },
  'session-expired': {
    title: 'Your session has expired',
    advice:
      'The EHR’s FHIR server no longer accepts this launch’s access token: for your patient’s safety, access ends after a while. Close the app and launch it again from the EHR; if a fresh launch shows this at once, the EHR is issuing tokens its own FHIR server rejects, so tell your EHR administrator.',
  },
  'id-token-invalid': {
    title: 'Your identity could not be verified',
    advice:
      'The sign-in token from the EHR did not pass verification (signature, issuer, audience or expiry), so Rationale will not show patient data. Launch again; if this persists, tell your EHR administrator.',
  },
  'no-patient': {
    title: 'No patient was selected',
    advice:
      'The launch did not say which patient to show. Launch Rationale from within a patient’s chart, or pick a patient when signing in.',
  },
  'not-found': {
    title: 'This assessment is no longer available',
    advice:
      'Assessments are kept for a limited time. Open the patient’s chart again to get a fresh card, or launch Rationale on its own to compute a new assessment.',
  },
  'storage-blocked': {
    title: 'The browser blocked the app’s storage inside the EHR',
    advice:
      'Rationale keeps its sign-in state in the browser’s session storage, and the EHR’s embedded browser did not allow it for an app framed from another site (third-party storage blocked, or not partitioned by the EHR’s site). This is a browser setting, not a problem with the record or the FHIR server. Use “open in a new tab” if your EHR offers it, or ask your EHR administrator to allow third-party storage partitioning in the embedded browser (see Rationale’s docs/embedded-browser.md).',
  },
  'fhir-not-allowlisted': {
    title: 'This EHR’s FHIR server is not on Rationale’s allowlist',
    advice:
      'The Rationale service reads only from FHIR servers its administrator has allowed, and the server this launch came from is not one of them. Ask the administrator to add this FHIR base URL to FHIR_SERVER_ALLOWLIST; nothing is wrong with your access to the record.',
  },
  unavailable: {
    title: 'Rationale could not load',
    advice:
      'The Rationale service or the FHIR server did not answer. Try again in a moment; if it persists, tell your EHR administrator.',
  },
};

/** One actionable screen per failure: what happened, what to do, and the technical detail for support. */
export function ErrorScreen({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const appError = isAppError(error)
    ? error
    : new AppError('unavailable', error instanceof Error ? error.message : String(error));
  const screen = SCREENS[appError.code];
  return (
    <main className="error-screen" id="main">
      <div role="alert">
        <h1>{screen.title}</h1>
        <p>{screen.advice}</p>
      </div>
      {onRetry && appError.code === 'unavailable' ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
      <details>
        <summary>Technical detail</summary>
        <p>
          <code>{appError.code}</code>: {appError.message}
        </p>
      </details>
    </main>
  );
}
