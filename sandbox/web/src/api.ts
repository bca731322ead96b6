/**
 * The page's client of the EHR API (`/ehr/api`, served by the sandbox). The page never holds a key
 * or an access token: the server signs, issues tokens and calls the CDS services.
 */
import type { Action, Card, CdsService, FeedbackEntry, HookName, Resource } from '@rationale/shared-types';
import type { Chart, PatientListItem } from '../../src/ehr/chart';
import type { ConformanceIssue, EhrProfile } from '../../src/ehr/conformance';
import type { PrefetchMode, PrefetchNote } from '../../src/ehr/prefetch';

export type { Chart, ConformanceIssue, EhrProfile, PatientListItem, PrefetchMode, PrefetchNote };

export interface EhrConfig {
  fhirBaseUrl: string;
  userId: string;
  defaultCdsServices: string[];
  app: { launchUrl: string };
  profiles: EhrProfile[];
  profileHooks: Record<EhrProfile, HookName[]>;
  prefetchModes: PrefetchMode[];
}

export interface DiscoveryResult {
  url: string;
  status: number;
  durationMs: number;
  services: CdsService[];
}

export type HookResult =
  | { skipped: true; reason: string; serviceUrl: string; hook: HookName; profile: EhrProfile }
  | {
      skipped: false;
      serviceUrl: string;
      serviceId: string;
      hook: HookName;
      hookInstance: string;
      profile: EhrProfile;
      prefetchMode: PrefetchMode;
      request: unknown;
      jwt: { header: unknown; claims: unknown };
      prefetchNotes: PrefetchNote[];
      status: number;
      response: unknown;
      durationMs: number;
      cards: Card[];
      systemActions: Action[];
      conformance: {
        issues: ConformanceIssue[];
        rejected: Array<{ index: number; summary?: string; reasons: string[] }>;
      };
    };

export interface FeedbackResult {
  url: string;
  request: unknown;
  status: number;
  response: unknown;
  durationMs: number;
  jwt: { header: unknown; claims: unknown };
}

export interface HookCall {
  serviceBase: string;
  serviceId: string;
  hook: HookName;
  patientId: string;
  userId: string;
  draftOrders?: unknown;
  selections?: string[];
  prefetchMode: PrefetchMode;
  sendFhirAuthorization: boolean;
  profile: EhrProfile;
}

/** An EHR API failure, with the OperationOutcome's diagnostics as the message. */
export class EhrApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/ehr/api${path}`, {
    method,
    headers:
      body === undefined
        ? { Accept: 'application/json' }
        : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) {
    const diagnostics = (json as { issue?: Array<{ diagnostics?: string }> } | undefined)?.issue?.[0]
      ?.diagnostics;
    throw new EhrApiError(response.status, diagnostics ?? `HTTP ${response.status}`);
  }
  return json as T;
}

export const ehrApi = {
  config: () => call<EhrConfig>('GET', '/config'),
  patients: () => call<{ patients: PatientListItem[] }>('GET', '/patients').then((r) => r.patients),
  chart: (patientId: string) => call<Chart>('GET', `/patients/${encodeURIComponent(patientId)}/chart`),
  discover: (url: string) => call<DiscoveryResult>('GET', `/services?url=${encodeURIComponent(url)}`),
  fireHook: (hookCall: HookCall) => call<HookResult>('POST', '/hooks', hookCall),
  sendFeedback: (serviceBase: string, serviceId: string, feedback: FeedbackEntry[]) =>
    call<FeedbackResult>('POST', '/feedback', { serviceBase, serviceId, feedback }),
  apply: (patientId: string, actions: Action[]) =>
    call<{ created: string[]; updated: string[]; deleted: string[] }>('POST', '/apply', {
      patientId,
      actions,
    }),
  launch: (body: { patientId: string; userId: string; appContext?: string; url?: string }) =>
    call<{ url: string; registered: boolean }>('POST', '/launch', body),
};

export type { Action, Card, CdsService, FeedbackEntry, HookName, Resource };
