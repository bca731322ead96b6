/**
 * The app's view of a completed SMART launch: who the FHIR server is, which patient, what the
 * token grants, and reads of the patient's resources with the app's own token. Wraps a fhirclient
 * Client so nothing outside `launch/` depends on fhirclient.
 */
import type Client from 'fhirclient/lib/Client';
import { AppError, classifyHttpError } from '../errors';
import { verifyIdToken, type FetchJson, type VerifiedIdentity } from './id-token';
import type { SmartTokenResponse } from './token-response';

/** Reads FHIR resources of the launch's patient with the app's access token. */
export interface FhirReader {
  /** Reads a relative reference (`Observation/123`). Throws AppError (not-found, scope-denied, session-expired, unavailable). */
  read<T = unknown>(reference: string, signal?: AbortSignal): Promise<T>;
}

export interface SmartSession extends FhirReader {
  fhirServer: string;
  clientId: string;
  patientId: string | undefined;
  tokenResponse: SmartTokenResponse;
  /** The scopes actually granted (may be fewer than requested). */
  grantedScope: string;
  /** The current access token. Throws AppError('session-expired') once it has expired. */
  accessToken(): string;
  /** Verifies the id_token; null when the server issued none (openid not granted). */
  verifyIdentity(): Promise<VerifiedIdentity | null>;
}

/** `Type/id` or `Type/id/_history/vid`, as FHIR defines ids: never an absolute URL, so the token stays with its server. */
const RELATIVE_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export function isRelativeReference(reference: string): boolean {
  return RELATIVE_REFERENCE.test(reference);
}

/** GETs JSON without credentials (discovery documents are public). */
export const fetchJson: FetchJson = async (url) => {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
};

export interface SessionDeps {
  fetchJson?: FetchJson;
  /** Milliseconds since the epoch; the clock for token expiry. */
  now?: () => number;
}

export function sessionFromClient(client: Client, deps: SessionDeps = {}): SmartSession {
  const state = client.state;
  const tokenResponse = (state.tokenResponse ?? {}) as SmartTokenResponse;
  const getJson = deps.fetchJson ?? fetchJson;
  const now = deps.now ?? (() => Date.now());
  const fhirServer = state.serverUrl.replace(/\/+$/, '');

  const accessToken = () => {
    const token = tokenResponse.access_token;
    if (!token) throw new AppError('session-expired', 'The launch produced no access token.');
    // fhirclient stores expiresAt in seconds since the epoch.
    if (typeof state.expiresAt === 'number' && state.expiresAt * 1000 <= now()) {
      throw new AppError('session-expired', 'The access token has expired.');
    }
    return token;
  };

  return {
    fhirServer,
    clientId: state.clientId ?? '',
    patientId: tokenResponse.patient ?? undefined,
    tokenResponse,
    grantedScope: tokenResponse.scope ?? '',
    accessToken,
    async read<T>(reference: string, signal?: AbortSignal): Promise<T> {
      if (!isRelativeReference(reference)) {
        throw new AppError(
          'not-found',
          `The app reads only relative references on its FHIR server, not ${reference}.`,
        );
      }
      accessToken();
      try {
        return await client.request<T>(signal ? { url: reference, signal } : reference);
      } catch (error) {
        throw classifyHttpError(error);
      }
    },
    async verifyIdentity() {
      const idToken = tokenResponse.id_token;
      if (!idToken) return null;
      const trustedIssuers = [fhirServer];
      try {
        const config = (await getJson(`${fhirServer}/.well-known/smart-configuration`)) as {
          issuer?: unknown;
        };
        if (typeof config.issuer === 'string') trustedIssuers.push(config.issuer);
      } catch {
        // Without a smart-configuration issuer, only the FHIR base itself is trusted as issuer.
      }
      return verifyIdToken({ idToken, clientId: state.clientId ?? '', trustedIssuers, fetchJson: getJson });
    },
  };
}
