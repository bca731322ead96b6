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

/**
 * Where the walk is: the resource's label, then element names and array indices. Kept as a stack
 * and only turned into a string when something is wrong, so a walk of a valid record allocates
 * nothing per element.
 */
interface Location {
  label: string;
  parts: (string | number)[];
}

function where(at: Location, ...more: (string | number)[]): string {
  return [...at.parts, ...more].reduce<string>(
    (out, p) => (typeof p === 'number' ? `${out}[${p}]` : `${out}.${p}`),
    at.label,
  );
}

/** What the object being walked is, for the elements whose type depends on it. */
const enum Owner {
  /** The resource itself: `code` is a CodeableConcept. */
  Resource,
  /** An Observation.component: `code` is a CodeableConcept. */
  Component,
  /** A Coding: `code` is a string. */
  Coding,
  /** Anything else: `code` is a string or a CodeableConcept. */
  Other,
}

function checkValue(
  key: string,
  value: unknown,
  at: Location,
  depth: number,
  owner: Owner,
): MalformedElement | undefined {
  if (value === undefined || value === null) return undefined;
  at.parts.push(key);
  const found = checkElement(key, value, at, depth, owner);
  at.parts.pop();
  return found;
}

/** Each named element's datatype rules in one lookup (an element can be in more than one set). */
const ARRAY = 1;
const DATE = 2;
const STRING = 4;
const CONCEPT = 8;
const QUANTITY = 16;
const RULES = new Map<string, number>();
for (const [set, flag] of [
  [ARRAY_ELEMENTS, ARRAY],
  [DATE_ELEMENTS, DATE],
  [STRING_ELEMENTS, STRING],
  [CONCEPT_ELEMENTS, CONCEPT],
  [QUANTITY_ELEMENTS, QUANTITY],
] as const)
  for (const key of set) RULES.set(key, (RULES.get(key) ?? 0) | flag);

function checkElement(
  key: string,
  value: unknown,
  at: Location,
  depth: number,
  owner: Owner,
): MalformedElement | undefined {
  const rules = RULES.get(key) ?? 0;
  if (rules & ARRAY && !Array.isArray(value)) return { where: where(at), problem: 'must be an array' };
  if (rules & DATE && typeof value !== 'string')
    return { where: where(at), problem: 'must be a date string' };
  if (rules & STRING && typeof value !== 'string') return { where: where(at), problem: 'must be a string' };
  if (key === 'code') {
    // `code` is a CodeableConcept on the resource and on Observation.component; in a Coding (such as
    // Encounter.class or meta.tag) or a Quantity it is a string.
    if (owner === Owner.Coding && typeof value !== 'string')
      return { where: where(at), problem: 'must be a string' };
    if ((owner === Owner.Resource || owner === Owner.Component) && !isObject(value))
      return { where: where(at), problem: 'must be a CodeableConcept' };
    if (owner === Owner.Other && typeof value !== 'string' && !isObject(value))
      return { where: where(at), problem: 'must be a string or a CodeableConcept' };
  }
  if (rules & CONCEPT && !isObject(value)) return { where: where(at), problem: 'must be a CodeableConcept' };
  if (rules & QUANTITY) {
    if (!isObject(value)) return { where: where(at), problem: 'must be a Quantity' };
    if (value.value !== undefined && (typeof value.value !== 'number' || !Number.isFinite(value.value)))
      return { where: where(at, 'value'), problem: 'must be a number' };
    for (const k of QUANTITY_STRINGS)
      if (value[k] !== undefined && typeof value[k] !== 'string')
        return { where: where(at, k), problem: 'must be a string' };
    return undefined;
  }
  if (Array.isArray(value)) {
    const itemOwner = key === 'coding' ? Owner.Coding : key === 'component' ? Owner.Component : Owner.Other;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (isObject(item)) {
        at.parts.push(i);
        const inner = walk(item, at, depth + 1, itemOwner);
        at.parts.pop();
        if (inner) return inner;
      } else if (key === 'coding') return { where: where(at, i), problem: 'must be a Coding' };
      else if (Array.isArray(item)) return { where: where(at, i), problem: 'nested arrays are not FHIR' };
    }
    return undefined;
  }
  if (isObject(value)) return walk(value, at, depth + 1, Owner.Other);
  return undefined;
}

const QUANTITY_STRINGS = ['unit', 'code', 'system', 'comparator'];

function walk(
  node: Record<string, unknown>,
  at: Location,
  depth: number,
  owner: Owner,
): MalformedElement | undefined {
  if (depth > MAX_DEPTH) return { where: where(at), problem: 'is nested too deeply' };
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    const found = checkValue(key, node[key], at, depth, owner);
    if (found) return found;
  }
  return undefined;
}

/** The first element of `resources` that breaks a FHIR datatype rule the model relies on, if any. */
export function findMalformed(resources: readonly unknown[]): MalformedElement | undefined {
  for (const r of resources) {
    if (!isObject(r)) return { where: '(resource)', problem: 'must be a JSON object' };
    const label = `${typeof r.resourceType === 'string' ? r.resourceType : 'Resource'}/${typeof r.id === 'string' ? r.id : '?'}`;
    const found = walk(r, { label, parts: [] }, 0, Owner.Resource);
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
