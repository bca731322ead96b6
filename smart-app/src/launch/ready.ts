/**
 * The redirect page's one call to `FHIR.oauth2.ready()`, at module scope and outside React: the
 * authorization code is single-use, and a second exchange (React StrictMode runs effects twice)
 * fails with invalid_grant. React reads this promise through React Query with an infinite
 * staleTime (pages/App.tsx).
 */
import FHIR from 'fhirclient';
import { classifyReadyError } from '../errors';
import { sessionFromClient, type SmartSession } from './smart-session';

export const smartClient = FHIR.oauth2.ready();

export const smartSession: Promise<SmartSession> = smartClient.then(
  (client) => sessionFromClient(client),
  (error: unknown) => {
    throw classifyReadyError(error);
  },
);
// The rejection is observed by React Query; this handler only keeps it from being reported as unhandled first.
smartSession.catch(() => undefined);
