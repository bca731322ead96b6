/**
 * A synthetic patient (no real person) as prefetch and as FHIR search results, and hook requests
 * built around it. The patient's name is a canary: it must never appear in a log line.
 */
import { randomUUID } from 'node:crypto';
import type { Resource } from '@rationale/shared-types';

export const FHIR_BASE = 'https://fhir.ehr.example/r4';
export const FHIR_TOKEN = 'fhir-access-token-SECRET-7f3c9';
export const CANARY_NAME = 'Zyxwvutsrq-Canary';

export function patient(id = 'p1'): Resource {
  return {
    resourceType: 'Patient',
    id,
    name: [{ family: CANARY_NAME, given: ['Testpatient'] }],
    gender: 'female',
    birthDate: '1961-04-02',
  };
}

export function a1c(id: string, value: number, date: string, patientId = 'p1'): Resource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    subject: { reference: `Patient/${patientId}` },
    code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }] },
    effectiveDateTime: date,
    valueQuantity: { value, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
  };
}

export function searchset(resources: Resource[], next?: string): Resource {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((r) => ({
      fullUrl: `${FHIR_BASE}/${r.resourceType}/${r.id}`,
      resource: r,
      search: { mode: 'match' },
    })),
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
  };
}

/** A complete prefetch for every key of the services (see hooks/registry.ts). */
export function completePrefetch(patientId = 'p1'): Record<string, Resource | null> {
  return {
    patient: patient(patientId),
    conditions: searchset([]),
    observations: searchset([
      a1c('a1', 7.2, '2026-01-10', patientId),
      a1c('a2', 7.4, '2026-04-12', patientId),
    ]),
    medications: searchset([]),
    allergies: null,
    encounters: searchset([]),
    procedures: searchset([]),
    serviceRequests: searchset([]),
    carePlans: searchset([]),
  };
}

export function hookRequest(
  hook: string,
  overrides: {
    prefetch?: Record<string, unknown> | undefined;
    context?: Record<string, unknown>;
    fhirServer?: string | null;
    withAuth?: boolean;
  } = {},
): Record<string, unknown> {
  const fhirServer = overrides.fhirServer === null ? undefined : (overrides.fhirServer ?? FHIR_BASE);
  const req: Record<string, unknown> = {
    hook,
    hookInstance: randomUUID(),
    context: { userId: 'Practitioner/doc1', patientId: 'p1', ...overrides.context },
    prefetch: 'prefetch' in overrides ? overrides.prefetch : completePrefetch(),
  };
  if (fhirServer) req.fhirServer = fhirServer;
  if (overrides.withAuth !== false && fhirServer) {
    req.fhirAuthorization = {
      access_token: FHIR_TOKEN,
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'patient/*.rs',
      subject: 'rationale',
    };
  }
  if (req.prefetch === undefined) delete req.prefetch;
  return req;
}
