/**
 * The token response as SMART App Launch 2.2 defines it (§scopes-and-launch-context, launch
 * context), including the fields fhirclient's `TokenResponse` does not name.
 */
import type { fhirclient } from 'fhirclient/lib/types';

/** One entry of `fhirContext` (experimental in 2.2): at least one of reference, canonical, identifier. */
export interface FhirContextItem {
  reference?: string;
  canonical?: string;
  identifier?: { system?: string; value?: string };
  type?: string;
  role?: string;
}

export interface SmartTokenResponse extends fhirclient.TokenResponse {
  access_token?: string;
  scope?: string;
  id_token?: string;
  patient?: string;
  encounter?: string;
  need_patient_banner?: boolean;
  smart_style_url?: string;
  fhirContext?: FhirContextItem[];
  /** Opaque id of the launching organization. */
  tenant?: string;
  /** App-specific hint; an unknown or absent intent gets the default view. */
  intent?: string;
  /** The CDS Hooks card link's `appContext`: for Rationale, the assessment id. */
  appContext?: string;
}

/**
 * The item (hypothesis, recommendation or safety alert id) the card link's appContext names, so
 * the app opens on it: `{"assessmentId": …, "item": …}`. Undefined for a bare id or no item.
 */
export function itemFromAppContext(appContext: unknown): string | undefined {
  if (typeof appContext !== 'string' || !appContext.trim().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(appContext);
    if (typeof parsed === 'object' && parsed !== null && 'item' in parsed) {
      const item = parsed.item;
      return typeof item === 'string' && item !== '' ? item : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * The assessment a launch names through the card link's appContext. The service sends the bare
 * assessment id; a JSON object with `assessmentId` is accepted too, since some EHRs wrap context.
 */
export function assessmentIdFromAppContext(appContext: unknown): string | undefined {
  if (typeof appContext !== 'string') return undefined;
  const text = appContext.trim();
  if (text === '') return undefined;
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && 'assessmentId' in parsed) {
        const id = parsed.assessmentId;
        return typeof id === 'string' && id !== '' ? id : undefined;
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  return text;
}
