/**
 * Builds a CDS Hooks 2.0 request as an EHR does: a fresh `hookInstance`, the hook's context
 * (Hook Library STU1 context tables), `fhirServer` and `fhirAuthorization` carrying a real access
 * token scoped to the patient, and prefetch filled from the service's templates.
 */
import { randomUUID } from 'node:crypto';
import {
  hookContextSchemas,
  HOOKS,
  type CdsRequest,
  type CdsService,
  type HookName,
} from '@rationale/shared-types';
import type { SandboxServices } from '../contracts';
import { EhrError } from './errors';
import { buildPrefetch, resourceTypesOf, type PrefetchMode, type PrefetchNote } from './prefetch';

/** The OAuth client id the sandbox issues CDS service tokens to (fhirAuthorization.subject). */
export const CDS_CLIENT_ID = 'rationale-cds';

/**
 * Resource types a patient-view service reads when it must fall back to `fhirServer`; always
 * granted, so the `omit` prefetch mode exercises the fallback rather than a scope error.
 */
const BASELINE_TYPES = [
  'AllergyIntolerance',
  'Condition',
  'Encounter',
  'Medication',
  'MedicationRequest',
  'MedicationStatement',
  'Observation',
  'Patient',
  'Procedure',
];

export interface HookInput {
  hook: HookName;
  patientId: string;
  /** `Practitioner/id` of the signed-in user. */
  userId: string;
  encounterId?: string;
  /** order-select / order-sign: a Bundle of draft orders. */
  draftOrders?: unknown;
  /** order-select: `Type/id` of the orders just selected. */
  selections?: string[];
  /** appointment-book: a Bundle of proposed Appointments. */
  appointments?: unknown;
  prefetchMode: PrefetchMode;
  /** Send fhirServer and fhirAuthorization (default). Off, with `omit`, the service must answer 412. */
  sendFhirAuthorization: boolean;
}

export interface BuiltHookRequest {
  request: CdsRequest;
  prefetchNotes: PrefetchNote[];
}

/** The hook's context, validated against the Hook Library's table for that hook. */
export function buildContext(input: HookInput): Record<string, unknown> {
  if (!HOOKS.includes(input.hook)) throw new EhrError('invalid-request', `unknown hook ${input.hook}`);
  const context: Record<string, unknown> = { userId: input.userId, patientId: input.patientId };
  if (input.encounterId) context.encounterId = input.encounterId;
  if (input.hook === 'order-select') {
    context.selections = input.selections;
    context.draftOrders = input.draftOrders;
  } else if (input.hook === 'order-sign') {
    context.draftOrders = input.draftOrders;
  } else if (input.hook === 'appointment-book') {
    context.appointments = input.appointments;
  }
  const parsed = hookContextSchemas[input.hook].safeParse(context);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EhrError(
      'invalid-request',
      `${input.hook} context: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim(),
    );
  }
  return context;
}

/** Space-separated SMART v2 patient scopes for the given resource types. */
export function patientScopes(types: Iterable<string>): string {
  return [...new Set(types)]
    .sort()
    .map((t) => `patient/${t}.rs`)
    .join(' ');
}

/** Assembles the full hook request for one service. */
export async function buildHookRequest(
  services: SandboxServices,
  service: Pick<CdsService, 'hook' | 'prefetch'>,
  input: HookInput,
  now: Date,
): Promise<BuiltHookRequest> {
  const context = buildContext(input);
  const templates = service.prefetch ?? {};
  const { prefetch, notes } = await buildPrefetch({
    templates,
    mode: input.prefetchMode,
    ctx: { context, userId: input.userId, now },
    fhir: services.fhir,
    fhirBaseUrl: services.fhirBaseUrl,
  });
  const request: CdsRequest = { hook: input.hook, hookInstance: randomUUID(), context };
  if (input.sendFhirAuthorization) {
    const scope = patientScopes([...BASELINE_TYPES, ...resourceTypesOf(templates)]);
    const token = await services.issueServiceToken({
      clientId: CDS_CLIENT_ID,
      patient: input.patientId,
      user: input.userId,
      scope,
    });
    request.fhirServer = services.fhirBaseUrl;
    request.fhirAuthorization = {
      access_token: token.access_token,
      token_type: 'Bearer',
      expires_in: token.expires_in,
      scope: token.scope,
      subject: CDS_CLIENT_ID,
      patient: input.patientId,
    };
  }
  if (prefetch) request.prefetch = prefetch;
  return { request, prefetchNotes: notes };
}

/** The copy of a request the inspector shows: the access token is replaced by a marker. */
export function redactRequest(request: CdsRequest): CdsRequest {
  if (!request.fhirAuthorization) return request;
  return {
    ...request,
    fhirAuthorization: {
      ...request.fhirAuthorization,
      access_token: `[redacted: ${request.fhirAuthorization.access_token.length} characters]`,
    },
  };
}
