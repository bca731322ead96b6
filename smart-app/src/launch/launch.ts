/**
 * The launch page's logic (SMART App Launch 2.2 §app-launch): decide between an EHR launch
 * (`iss` + `launch`), a standalone launch (`iss` only) and asking the user for a FHIR base, then
 * hand fhirclient the authorize options. Only `launch/` touches fhirclient.
 */
import type { fhirclient } from 'fhirclient/lib/types';
import { resolveClientId, scopesFor, type ClientIdMap } from './config';

export type LaunchPlan =
  | { kind: 'ehr'; iss: string; launch: string }
  | { kind: 'standalone'; iss: string }
  | { kind: 'ask-issuer'; error?: string };

/** Reads the launch URL's query: `iss` and `launch` (EHR), `iss` alone (standalone), or neither. */
export function planLaunch(search: URLSearchParams): LaunchPlan {
  const iss = search.get('iss')?.trim() ?? '';
  const launch = search.get('launch')?.trim() ?? '';
  if (iss === '') {
    return launch === ''
      ? { kind: 'ask-issuer' }
      : { kind: 'ask-issuer', error: 'The EHR sent a launch handle without its FHIR server address (iss).' };
  }
  const problem = validateIssuer(iss);
  if (problem) return { kind: 'ask-issuer', error: problem };
  return launch === '' ? { kind: 'standalone', iss } : { kind: 'ehr', iss, launch };
}

/**
 * Checks a FHIR base URL typed by a user or sent as `iss`: absolute, http(s), no credentials or
 * fragment. Plain http is accepted only for loopback hosts (the offline sandbox). Returns the
 * problem in words, or undefined when the URL is usable.
 */
export function validateIssuer(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter the full address of the FHIR server, starting with https://';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'The FHIR server address must start with https://';
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return 'Use https:// for the FHIR server (plain http is allowed only for localhost).';
  }
  if (url.username || url.password)
    return 'The FHIR server address must not contain a user name or password.';
  if (url.hash) return 'The FHIR server address must not contain a # fragment.';
  return undefined;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '127.0.0.1' ||
    hostname === '[::1]' ||
    hostname.endsWith('.localhost')
  );
}

export interface LaunchEnvironment {
  /** The redirect URI registered for the app: the app's index page (`/app/`). */
  redirectUri: string;
  /** True when the app runs inside an EHR frame. */
  inFrame: boolean;
  /** A fresh 122-bit random value: the OAuth `state` and the session storage key. */
  newStateKey: () => string;
  clientIds?: ClientIdMap;
}

/**
 * The options passed to `FHIR.oauth2.authorize`.
 *
 * - `pkceMode: 'ifSupported'`: send an S256 challenge whenever the server advertises S256. Not
 *   `'required'`, because Oracle Health's authorization server does not implement PKCE and
 *   advertises no `code_challenge_methods_supported`; `'required'` would make the app unusable
 *   there. The sandbox requires PKCE, so a silently skipped challenge fails its tests.
 * - `stateKey`: a UUID (122 random bits from the platform CSPRNG), as the spec asks; fhirclient's
 *   default is a Math.random string.
 * - `completeInTarget: true` in a frame: finish the code exchange in the frame itself rather than
 *   posting to a parent that is not a fhirclient page (which would hang).
 */
export function authorizeOptions(
  plan: Exclude<LaunchPlan, { kind: 'ask-issuer' }>,
  env: LaunchEnvironment,
): fhirclient.AuthorizeParams {
  const options: fhirclient.AuthorizeParams = {
    iss: plan.iss,
    clientId: resolveClientId(plan.iss, env.clientIds),
    scope: scopesFor(plan.kind),
    redirectUri: env.redirectUri,
    pkceMode: 'ifSupported',
    stateKey: env.newStateKey(),
  };
  if (plan.kind === 'ehr') options.launch = plan.launch;
  if (env.inFrame) options.completeInTarget = true;
  return options;
}

/** True when this window is inside a frame (an EHR side panel). A cross-origin parent throws on access. */
export function isInFrame(win: Window): boolean {
  try {
    return win.self !== win.top;
  } catch {
    return true;
  }
}

/** The app's redirect URI: the directory of the launch page (`/app/launch.html` → `/app/`). */
export function redirectUriFor(launchPageHref: string): string {
  const url = new URL('./', launchPageHref);
  return url.origin + url.pathname;
}
