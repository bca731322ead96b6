/**
 * The redirect page's one call to `FHIR.oauth2.ready()`, at module scope and outside React: the
 * authorization code is single-use, and a second exchange (React StrictMode runs effects twice)
 * fails with invalid_grant. React reads this promise through React Query with an infinite
 * staleTime (pages/App.tsx).
 */
import FHIR from 'fhirclient';
import { AppError, classifyReadyError, sessionStorageWorks } from '../errors';
import { isInFrame } from './launch';
import { sessionFromClient, type SmartSession } from './smart-session';

const inFrame = isInFrame(window);

// Without session storage fhirclient cannot find the launch's state; say why before it fails.
export const smartClient = sessionStorageWorks(window)
  ? FHIR.oauth2.ready()
  : Promise.reject(
      new AppError(
        'storage-blocked',
        'sessionStorage is not available to this document (third-party storage blocked)',
      ),
    );

export const smartSession: Promise<SmartSession> = smartClient.then(
  (client) => sessionFromClient(client),
  (error: unknown) => {
    throw classifyReadyError(error, { inFrame });
  },
);
// The rejection is observed by React Query; this handler only keeps it from being reported as unhandled first.
smartSession.catch(() => undefined);
