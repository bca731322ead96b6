/**
 * Scope enforcement for the FHIR server. A token's SMART scopes decide, per resource type and
 * interaction, whether a request may proceed at all (else 403) and which resources it may touch.
 *
 * Patient scopes (`patient/...`) reach only the launch patient's compartment (R4 Patient
 * CompartmentDefinition): reading another patient's resource is 403; a search that names another
 * patient is 403; a search that names no patient is filtered to the launch patient (SMART allows
 * a 200 with filtered results). Resource types outside the compartment (Medication, Practitioner,
 * Organization, Location, ...) hold no patient data and are reachable with a patient scope on
 * that type. User and system scopes reach every patient. Fine-grained scopes (`?category=...`)
 * restrict to resources matching their query.
 */
import { evalFhirPathTyped, matchesSearchRequest, parseSearchRequest, toTypedValue } from '@medplum/core';
import type { Reference, Resource } from '@medplum/fhirtypes';
import { scopesGranting, type Permission, type ResourceScope } from '../auth-server/scopes';
import { patientCompartment, searchParameter } from './definitions';

export type Interaction = 'read' | 'search' | 'create' | 'update' | 'delete';

const PERMISSION: Record<Interaction, Permission> = {
  read: 'r',
  search: 's',
  create: 'c',
  update: 'u',
  delete: 'd',
};

/** Who is calling: the scopes of their token and its launch patient. */
export interface AccessContext {
  scopes: readonly ResourceScope[];
  /** Bare Patient id bound to the token's patient scopes. */
  patient?: string;
}

export interface AccessRule {
  /** True when the caller may touch this resource. */
  allows(resource: Resource): boolean;
  /** Set when only patient scopes grant this: searches must stay in this patient's compartment. */
  patientOnly?: string;
}

/** The access rule for one interaction on one type; undefined when no scope grants it (403). */
export function accessRule(
  ctx: AccessContext,
  resourceType: string,
  interaction: Interaction,
): AccessRule | undefined {
  const granting = scopesGranting(ctx.scopes, resourceType, PERMISSION[interaction]).filter(
    (s) => s.context !== 'patient' || ctx.patient !== undefined || !isCompartmentType(resourceType),
  );
  if (granting.length === 0) return undefined;
  const unrestricted = granting.some((s) => s.context !== 'patient' && !s.query);
  if (unrestricted) return { allows: () => true };
  const onlyPatient = granting.every((s) => s.context === 'patient') && isCompartmentType(resourceType);
  return {
    allows: (resource) => granting.some((s) => scopeAllows(s, resource, ctx.patient)),
    ...(onlyPatient && ctx.patient ? { patientOnly: ctx.patient } : {}),
  };
}

function scopeAllows(scope: ResourceScope, resource: Resource, patient: string | undefined): boolean {
  if (scope.context === 'patient' && !inPatientCompartment(resource, patient)) return false;
  if (scope.query) {
    const request = parseSearchRequest(resource.resourceType, Object.fromEntries(groupQuery(scope.query)));
    if (!matchesSearchRequest(resource, request)) return false;
  }
  return true;
}

function groupQuery(query: readonly [string, string][]): [string, string[]][] {
  const map = new Map<string, string[]>();
  for (const [k, v] of query) map.set(k, [...(map.get(k) ?? []), v]);
  return [...map.entries()];
}

/** True for types listed in the R4 Patient compartment (and Patient itself). */
export function isCompartmentType(resourceType: string): boolean {
  return resourceType === 'Patient' || patientCompartment().paramsOf(resourceType) !== undefined;
}

/** True when the resource belongs to `patient`'s compartment, or is of a non-compartment type. */
export function inPatientCompartment(resource: Resource, patient: string | undefined): boolean {
  if (!isCompartmentType(resource.resourceType)) return true;
  if (!patient) return false;
  if (resource.resourceType === 'Patient') return resource.id === patient;
  return patientsOf(resource).includes(patient);
}

/** Bare ids of the patients whose compartment a resource belongs to. */
export function patientsOf(resource: Resource): string[] {
  const params = patientCompartment().paramsOf(resource.resourceType) ?? [];
  const ids = new Set<string>();
  for (const code of params) {
    const expression = searchParameter(resource.resourceType, code)?.expression;
    if (!expression) continue;
    for (const tv of evalFhirPathTyped(expression, [toTypedValue(resource)])) {
      const ref = (tv.value as Reference | undefined)?.reference;
      const m = ref ? /(?:^|\/)Patient\/([^/]+)$/.exec(ref) : null;
      if (m?.[1]) ids.add(m[1]);
    }
  }
  return [...ids];
}
