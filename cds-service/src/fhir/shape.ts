/**
 * A structural check of FHIR R4 resources at the edge, before the model reads them. The model is
 * pure and typed: it trusts that `coding` is an array of Codings, `valueQuantity.value` a number, a
 * date a string. Prefetch and draft orders come from outside, so a resource that breaks those
 * datatype rules is refused here as invalid input (a 400 naming the element) instead of failing
 * deep inside the model as a 500. Only datatype shapes are checked, never content or codes, so the
 * cost is one walk of the record.
 */
import type { Resource } from '@rationale/shared-types';

/** Elements that are arrays (0..*) in R4 wherever they occur in the resources the model reads. */
const ARRAY_ELEMENTS = new Set([
  'coding',
  'category',
  'component',
  'dosageInstruction',
  'doseAndRate',
  'reaction',
  'manifestation',
  'reasonCode',
  'reasonReference',
  'identifier',
  'given',
  'prefix',
  'suffix',
  'line',
  'extension',
  'modifierExtension',
  'note',
  'telecom',
  'address',
  'interpretation',
  'referenceRange',
  'performer',
  'hasMember',
  'derivedFrom',
  'contained',
  'entry',
  'link',
  'basedOn',
  'partOf',
  'evidence',
  'stage',
  'participant',
  'diagnosis',
  'ingredient',
  'instantiatesCanonical',
  'instantiatesUri',
  'supportingInformation',
  'detailedInstructions',
  'additionalInstruction',
  'insurance',
  'communication',
]);

/** Primitive date/dateTime/instant elements: strings when present. */
const DATE_ELEMENTS = new Set([
  'effectiveDateTime',
  'effectiveInstant',
  'onsetDateTime',
  'abatementDateTime',
  'authoredOn',
  'birthDate',
  'deceasedDateTime',
  'recordedDate',
  'issued',
  'start',
  'end',
  'occurrenceDateTime',
  'lastOccurrence',
  'performedDateTime',
  'assertedDate',
  'dateAsserted',
  'date',
]);

/** Quantity-typed elements: objects whose `value` is a number and unit/code/system strings. */
const QUANTITY_ELEMENTS = new Set([
  'valueQuantity',
  'doseQuantity',
  'rateQuantity',
  'low',
  'high',
  'numerator',
  'denominator',
  'maxDosePerAdministration',
  'maxDosePerLifetime',
  'quantity',
  'strength',
]);

/** CodeableConcept-typed elements of the resources themselves (not of a Coding or a Quantity). */
const CONCEPT_ELEMENTS = new Set([
  'clinicalStatus',
  'verificationStatus',
  'medicationCodeableConcept',
  'valueCodeableConcept',
  'substance',
  'severity',
  'maritalStatus',
  'form',
]);

const STRING_ELEMENTS = new Set([
  'resourceType',
  'id',
  'status',
  'intent',
  'gender',
  'reference',
  'system',
  'display',
  'unit',
  'criticality',
]);

const MAX_DEPTH = 64;

export interface MalformedElement {
  /** FHIRPath-like location, e.g. `Observation/o1.code.coding`. */
  where: string;
  problem: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

function checkValue(
  key: string,
  value: unknown,
  path: string,
  depth: number,
  inCoding: boolean,
): MalformedElement | undefined {
  if (value === undefined || value === null) return undefined;
  const where = `${path}.${key}`;
  if (ARRAY_ELEMENTS.has(key) && !Array.isArray(value)) return { where, problem: 'must be an array' };
  if (DATE_ELEMENTS.has(key) && typeof value !== 'string') return { where, problem: 'must be a date string' };
  if (STRING_ELEMENTS.has(key) && typeof value !== 'string') return { where, problem: 'must be a string' };
  if (key === 'code' && inCoding && typeof value !== 'string') return { where, problem: 'must be a string' };
  // `code` is a CodeableConcept on the resource and on Observation.component; elsewhere (a Coding
  // such as Encounter.class or meta.tag, a Quantity) it is a string.
  const conceptCode = depth === 0 || /\.component\[\d+\]$/.test(path);
  if (key === 'code' && conceptCode && !isObject(value))
    return { where, problem: 'must be a CodeableConcept' };
  if (key === 'code' && !conceptCode && !inCoding && typeof value !== 'string' && !isObject(value))
    return { where, problem: 'must be a string or a CodeableConcept' };
  if (CONCEPT_ELEMENTS.has(key) && !isObject(value)) return { where, problem: 'must be a CodeableConcept' };
  if (QUANTITY_ELEMENTS.has(key)) {
    if (!isObject(value)) return { where, problem: 'must be a Quantity' };
    if (value.value !== undefined && (typeof value.value !== 'number' || !Number.isFinite(value.value)))
      return { where: `${where}.value`, problem: 'must be a number' };
    for (const k of ['unit', 'code', 'system', 'comparator'])
      if (value[k] !== undefined && typeof value[k] !== 'string')
        return { where: `${where}.${k}`, problem: 'must be a string' };
    return undefined;
  }
  if (key === 'coding') {
    for (const [i, c] of (value as unknown[]).entries()) {
      if (!isObject(c)) return { where: `${where}[${i}]`, problem: 'must be a Coding' };
      const inner = walk(c, `${where}[${i}]`, depth + 1, true);
      if (inner) return inner;
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      if (isObject(item)) {
        const inner = walk(item, `${where}[${i}]`, depth + 1, false);
        if (inner) return inner;
      } else if (Array.isArray(item))
        return { where: `${where}[${i}]`, problem: 'nested arrays are not FHIR' };
    }
    return undefined;
  }
  if (isObject(value)) return walk(value, where, depth + 1, false);
  return undefined;
}

function walk(
  node: Record<string, unknown>,
  path: string,
  depth: number,
  inCoding: boolean,
): MalformedElement | undefined {
  if (depth > MAX_DEPTH) return { where: path, problem: 'is nested too deeply' };
  for (const key of Object.keys(node)) {
    const found = checkValue(key, node[key], path, depth, inCoding);
    if (found) return found;
  }
  return undefined;
}

/** The first element of `resources` that breaks a FHIR datatype rule the model relies on, if any. */
export function findMalformed(resources: readonly unknown[]): MalformedElement | undefined {
  for (const r of resources) {
    if (!isObject(r)) return { where: '(resource)', problem: 'must be a JSON object' };
    const label = `${typeof r.resourceType === 'string' ? r.resourceType : 'Resource'}/${typeof r.id === 'string' ? r.id : '?'}`;
    const found = walk(r, label, 0, false);
    if (found) return found;
  }
  return undefined;
}

/** The resources of a draftOrders Bundle, as sent (for the check above). */
export function draftOrderResources(
  draftOrders: { entry?: { resource?: Resource }[] } | undefined,
): unknown[] {
  const entries = draftOrders?.entry;
  return Array.isArray(entries)
    ? entries.map((e) => (isObject(e) ? e.resource : e)).filter((r) => r !== undefined)
    : [];
}
