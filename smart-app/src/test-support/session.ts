/** A real fhirclient Client (no OAuth round trip) wrapped as the app's SmartSession, for tests with msw. */
import FHIR from 'fhirclient';
import { sessionFromClient, type SmartSession } from '../launch/smart-session';
import type { SmartTokenResponse } from '../launch/token-response';
import { FHIR_BASE } from './fixtures';

export const ACCESS_TOKEN = 'token-abc';

export function makeSession(
  tokenResponse: Partial<SmartTokenResponse> = {},
  extra: { expiresAt?: number; now?: () => number } = {},
): SmartSession {
  const client = FHIR.client({
    serverUrl: FHIR_BASE,
    clientId: 'rationale-app',
    tokenResponse: {
      access_token: ACCESS_TOKEN,
      token_type: 'Bearer',
      scope:
        'launch openid fhirUser patient/Patient.rs patient/Observation.rs patient/Condition.rs patient/MedicationRequest.rs patient/AllergyIntolerance.rs patient/Encounter.rs',
      patient: 'p1',
      need_patient_banner: true,
      ...tokenResponse,
    },
    ...(extra.expiresAt !== undefined ? { expiresAt: extra.expiresAt } : {}),
  });
  return sessionFromClient(client, extra.now ? { now: extra.now } : {});
}
