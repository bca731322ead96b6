/**
 * OpenID Connect id_token verification (SMART App Launch 2.2 §scopes-and-launch-context, "the
 * id_token must be validated according to the OIDC specification"). fhirclient only decodes the
 * token, so the app checks it before `fhirUser` is trusted or shown: the issuer must be the FHIR
 * server's authorization server, the signature must verify against that issuer's JWKS (found
 * through `{iss}/.well-known/openid-configuration`), `aud` must be this app's client id, and `exp`
 * must lie in the future.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { AppError } from '../errors';

/** Asymmetric algorithms only: `none` and HMAC (a shared secret a public client cannot hold) are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  /** The user's FHIR resource (`Practitioner/123`, possibly absolute as Epic sends it). */
  fhirUser?: string;
  /** A display name, when the token carries one. */
  name?: string;
}

export type FetchJson = (url: string) => Promise<unknown>;

export interface IdTokenCheck {
  idToken: string;
  clientId: string;
  /** Issuers accepted for this launch: the FHIR base and the issuer its smart-configuration names. */
  trustedIssuers: readonly string[];
  fetchJson: FetchJson;
  /** Clock for `exp`/`nbf`; the current time when omitted. */
  currentDate?: Date;
}

const normalize = (url: string) => url.replace(/\/+$/, '');

function invalid(message: string, cause?: unknown): AppError {
  return new AppError('id-token-invalid', message, cause === undefined ? undefined : { cause });
}

/** Verifies an id_token and returns the identity it proves. Throws AppError('id-token-invalid'). */
export async function verifyIdToken(check: IdTokenCheck): Promise<VerifiedIdentity> {
  let claimedIssuer: string;
  try {
    const claims = decodeJwt(check.idToken);
    if (typeof claims.iss !== 'string' || claims.iss === '') throw new Error('no iss claim');
    claimedIssuer = claims.iss;
  } catch (error) {
    throw invalid('The sign-in token is malformed.', error);
  }
  const trusted = check.trustedIssuers.map(normalize);
  if (!trusted.includes(normalize(claimedIssuer))) {
    throw invalid(
      `The sign-in token was issued by ${claimedIssuer}, which is not this FHIR server's authorization server.`,
    );
  }

  let jwksUri: URL;
  try {
    const config = await check.fetchJson(`${normalize(claimedIssuer)}/.well-known/openid-configuration`);
    const { issuer, jwks_uri: uri } = (config ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery §4.3: the configuration's issuer must be the one the token names.
    if (typeof issuer !== 'string' || normalize(issuer) !== normalize(claimedIssuer)) {
      throw new Error(`openid-configuration names issuer ${String(issuer)}`);
    }
    if (typeof uri !== 'string') throw new Error('openid-configuration has no jwks_uri');
    jwksUri = new URL(uri, claimedIssuer);
  } catch (error) {
    throw invalid('The authorization server’s signing keys could not be found.', error);
  }

  try {
    const { payload } = await jwtVerify(check.idToken, createRemoteJWKSet(jwksUri), {
      issuer: claimedIssuer,
      audience: check.clientId,
      algorithms: ALGORITHMS,
      requiredClaims: ['exp', 'sub'],
      ...(check.currentDate ? { currentDate: check.currentDate } : {}),
    });
    const identity: VerifiedIdentity = { issuer: claimedIssuer, subject: String(payload.sub) };
    if (typeof payload.fhirUser === 'string') identity.fhirUser = payload.fhirUser;
    if (typeof payload.name === 'string') identity.name = payload.name;
    return identity;
  } catch (error) {
    throw invalid('The sign-in token’s signature, audience or expiry did not verify.', error);
  }
}

/** Reduces an absolute or relative fhirUser to `Type/id` for display. */
export function fhirUserReference(fhirUser: string): string {
  const parts = fhirUser.split('/').filter(Boolean);
  return parts.slice(-2).join('/');
}
