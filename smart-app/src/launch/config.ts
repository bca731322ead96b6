/**
 * Launch configuration: the client id registered with each EHR, and the scopes the app asks for.
 * SMART App Launch 2.2 §scopes-and-launch-context: request v2 scopes, accept v1 in the grant.
 */

/** The client id registered in the sandbox and the default everywhere else. */
export const DEFAULT_CLIENT_ID = 'rationale-app';

/**
 * Client ids per issuer, for EHRs that assign their own (Epic and Oracle Health issue one per
 * registration). Keys are FHIR base URLs, compared without a trailing slash; a key ending in `*`
 * matches every base that starts with it (one Oracle Health registration covers all its tenants).
 * Deployments extend this at build time with `VITE_RATIONALE_CLIENT_IDS` (a JSON object of the same shape).
 */
export type ClientIdMap = Readonly<Record<string, string>>;

/** Built-in entries; deployment-specific ids arrive through `VITE_RATIONALE_CLIENT_IDS`. */
export const CLIENT_IDS: ClientIdMap = {};

/** The FHIR resource types the app reads with the user's token (patient compartment, read + search). */
export const READ_RESOURCE_TYPES = [
  'Patient',
  'Condition',
  'Observation',
  'MedicationRequest',
  'AllergyIntolerance',
  'Encounter',
] as const;

const BASE_SCOPES = [
  'launch',
  'openid',
  'fhirUser',
  ...READ_RESOURCE_TYPES.map((type) => `patient/${type}.rs`),
];

/**
 * The scope string for a launch. An EHR launch carries `launch` (the EHR supplies the patient);
 * a standalone launch asks for `launch/patient` so the server shows a patient picker, and drops
 * `launch`, which is meaningless without a launch handle.
 */
export function scopesFor(kind: 'ehr' | 'standalone'): string {
  const scopes =
    kind === 'ehr' ? BASE_SCOPES : [...BASE_SCOPES.filter((s) => s !== 'launch'), 'launch/patient'];
  return scopes.join(' ');
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The client id to present to `iss`: an exact entry, then the longest matching prefix entry, then the default. */
export function resolveClientId(iss: string, overrides: ClientIdMap = {}): string {
  const map: ClientIdMap = { ...CLIENT_IDS, ...overrides };
  const target = stripSlash(iss);
  let best: { length: number; clientId: string } | undefined;
  for (const [key, clientId] of Object.entries(map)) {
    if (key.endsWith('*')) {
      const prefix = key.slice(0, -1);
      if (target.startsWith(prefix) && (!best || prefix.length > best.length))
        best = { length: prefix.length, clientId };
    } else if (stripSlash(key) === target) {
      return clientId;
    }
  }
  return best?.clientId ?? DEFAULT_CLIENT_ID;
}

/**
 * Parses the build-time `VITE_RATIONALE_CLIENT_IDS` value. A malformed value fails loudly at launch
 * rather than silently sending the wrong client id to an EHR.
 */
export function parseClientIdMap(json: string | undefined): ClientIdMap {
  if (!json || json.trim() === '') return {};
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('VITE_RATIONALE_CLIENT_IDS must be a JSON object of FHIR base URL → client id');
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' || value === '') {
      throw new Error(`VITE_RATIONALE_CLIENT_IDS: the client id for ${key} must be a non-empty string`);
    }
    out[key] = value;
  }
  return out;
}
