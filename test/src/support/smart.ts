/**
 * A real SMART EHR launch done over HTTP, as a test client: the EHR API creates the launch, the
 * authorization server redirects with a code (PKCE S256), the token endpoint returns an access
 * token. Tests use the token to read the FHIR server the way the app does.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Stack } from './stack';

export interface SmartToken {
  access_token: string;
  token_type: string;
  scope: string;
  patient?: string;
  appContext?: string;
  [key: string]: unknown;
}

/** EHR-launches the registered app for `patientId` and returns its token response. */
export async function ehrLaunchToken(
  stack: Stack,
  patientId: string,
  options: { userId?: string; scope?: string; appContext?: string } = {},
): Promise<SmartToken> {
  const launchResponse = await fetch(`${stack.sandboxUrl}/ehr/api/launch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      patientId,
      userId: options.userId ?? 'Practitioner/rat-pr-001',
      appContext: options.appContext,
    }),
  });
  if (!launchResponse.ok)
    throw new Error(`launch failed: HTTP ${launchResponse.status} ${await launchResponse.text()}`);
  const launchUrl = new URL(((await launchResponse.json()) as { url: string }).url);
  const launch = launchUrl.searchParams.get('launch') ?? '';
  const redirectUri = `${stack.cdsUrl}/app/`;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('hex');
  const authorize = new URL(`${stack.sandboxUrl}/auth/authorize`);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: 'rationale-app',
    redirect_uri: redirectUri,
    scope: options.scope ?? 'launch openid fhirUser patient/*.rs',
    state,
    aud: stack.fhirUrl,
    launch,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })) {
    authorize.searchParams.set(k, v);
  }
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  if (!location)
    throw new Error(`authorize did not redirect: HTTP ${redirect.status} ${await redirect.text()}`);
  const back = new URL(location, stack.sandboxUrl);
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state)
    throw new Error(`authorize redirected without a code: ${location}`);
  const token = await fetch(`${stack.sandboxUrl}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: 'rationale-app',
      code_verifier: verifier,
    }),
  });
  if (!token.ok) throw new Error(`token request failed: HTTP ${token.status} ${await token.text()}`);
  return (await token.json()) as SmartToken;
}

/** GET a FHIR resource or search with a bearer token; returns status and JSON body. */
export async function fhirGet(
  stack: Stack,
  path: string,
  accessToken: string,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.fhirUrl}/${path.replace(/^\//, '')}`, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/fhir+json' },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}
