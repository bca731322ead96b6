/**
 * The declarative mapping from a patient's FHIR record to a site model's input tensor (issue 16):
 * per feature, the resources of its code or value set within its window, aggregated to one number
 * in the model's unit, or its declared missing value. Pure: time arrives as `now`; the resources
 * behind each value are kept for the evidence view.
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type {
  Coding,
  Condition,
  MedicationRequest,
  Observation,
  PatientRecord,
  ResourceRef,
} from '@rationale/shared-types';
import { CANONICAL_UNITS, toCanonical } from '../model/findings/units';
import { GROUP_RESOURCES, groupsOfConcept, LOINC_GROUP_ANALYTES, systemKey } from '../model/terminology';
import { ANALYTE_IDS, NUMERIC_AGGREGATIONS, type FeatureSpec } from './registry';
import { isRefuted } from '../model/verification';

/** One feature's value as given to the model, and what it rests on. */
export interface FeatureValue {
  name: string;
  value: number;
  unit?: string;
  /** True when the record had nothing in the window and the declared missing value was used. */
  missing: boolean;
  /** The resources the value was computed from (the latest, the minimum, or every one counted). */
  sources: ResourceRef[];
  /** Matching results left out because their unit could not be converted to the feature's. */
  unitMismatches: number;
}

export interface FeatureVector {
  values: number[];
  features: FeatureValue[];
}

const DAY_MS = 86_400_000;

/**
 * Computes the model's input, in the order its features are declared. Resources dated after `now`
 * are not read (a replay as of a past date sees what was known then).
 */
export function featureVector(
  record: PatientRecord,
  model: { features: readonly FeatureSpec[] },
  now: Date,
): FeatureVector {
  const features = model.features.map((f) => featureValue(record, f, now));
  return { values: features.map((f) => f.value), features };
}

interface Dated {
  ref: ResourceRef;
  date: number | undefined;
  value?: number;
}

function featureValue(record: PatientRecord, f: FeatureSpec, now: Date): FeatureValue {
  const base = { name: f.name, ...(f.unit ? { unit: f.unit } : {}) };
  if (f.demographic) return demographic(record, f, now, base);
  const from = f.window === undefined ? -Infinity : now.getTime() - f.window * DAY_MS;
  // An undated resource counts only for a feature over the whole record.
  const inWindow = (d: Dated) =>
    d.date === undefined ? f.window === undefined : d.date >= from && d.date <= now.getTime();
  const needsValue = NUMERIC_AGGREGATIONS.has(f.aggregation);
  let unitMismatches = 0;
  const items: Dated[] = [];
  for (const o of record.observations) {
    const analyte = matchObservation(o, f);
    if (analyte === undefined) continue;
    if (isVoided(o.status)) continue;
    const item: Dated = { ref: refOf('Observation', o.id), date: observationDate(o) };
    if (!inWindow(item)) continue;
    if (needsValue) {
      const value = valueIn(o, f.unit, analyte || undefined);
      if (value === undefined) {
        if (typeof o.valueQuantity?.value === 'number') unitMismatches++;
        continue;
      }
      item.value = value;
    }
    items.push(item);
  }
  if (!needsValue && f.valueSet && !ANALYTE_IDS.has(f.valueSet)) {
    const reads = GROUP_RESOURCES.get(f.valueSet) ?? [];
    if (reads.includes('Condition'))
      for (const c of record.conditions) {
        if (!inGroupByCode(c.code, f.valueSet) || isRefuted(c)) continue;
        const item: Dated = { ref: refOf('Condition', c.id), date: conditionDate(c) };
        if (inWindow(item)) items.push(item);
      }
    if (reads.includes('MedicationRequest'))
      for (const m of record.medicationRequests) {
        if (!inGroupByCode(m.medicationCodeableConcept, f.valueSet) || isVoided(m.status)) continue;
        const item: Dated = { ref: refOf('MedicationRequest', m.id), date: parseDate(m.authoredOn) };
        if (inWindow(item)) items.push(item);
      }
  }
  const result = aggregate(f, items);
  if (result === undefined) return { ...base, value: f.missing, missing: true, sources: [], unitMismatches };
  return { ...base, value: result.value, missing: false, sources: result.sources, unitMismatches };
}

function aggregate(f: FeatureSpec, items: Dated[]): { value: number; sources: ResourceRef[] } | undefined {
  switch (f.aggregation) {
    case 'count':
      return { value: items.length, sources: items.map((i) => i.ref) };
    case 'present':
      return { value: items.length > 0 ? 1 : 0, sources: items.map((i) => i.ref) };
    default:
      break;
  }
  const valued = items.filter((i): i is Dated & { value: number } => i.value !== undefined);
  if (valued.length === 0) return undefined;
  const pick = (better: (a: number, b: number) => boolean, key: (i: (typeof valued)[number]) => number) => {
    let best = valued[0]!;
    for (const i of valued) if (better(key(i), key(best))) best = i;
    return { value: best.value, sources: [best.ref] };
  };
  switch (f.aggregation) {
    case 'latest':
      return pick(
        (a, b) => a > b,
        (i) => i.date ?? -Infinity,
      );
    case 'min':
      return pick(
        (a, b) => a < b,
        (i) => i.value,
      );
    case 'max':
      return pick(
        (a, b) => a > b,
        (i) => i.value,
      );
    case 'mean':
      return {
        value: valued.reduce((s, i) => s + i.value, 0) / valued.length,
        sources: valued.map((i) => i.ref),
      };
    default:
      return undefined;
  }
}

function demographic(
  record: PatientRecord,
  f: FeatureSpec,
  now: Date,
  base: { name: string; unit?: string },
): FeatureValue {
  const p = record.patient;
  const patientRef = [refOf('Patient', p.id)];
  const none = { ...base, value: f.missing, missing: true, sources: [], unitMismatches: 0 };
  if (f.demographic === 'age-years') {
    const born = parseDate(p.birthDate);
    if (born === undefined) return none;
    return {
      ...base,
      value: ageYears(p.birthDate!, now),
      missing: false,
      sources: patientRef,
      unitMismatches: 0,
    };
  }
  if (p.gender !== 'female' && p.gender !== 'male') return none;
  const value = p.gender === f.demographic ? 1 : 0;
  return { ...base, value, missing: false, sources: patientRef, unitMismatches: 0 };
}

/** Whole years from a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD) to `now`. */
function ageYears(birthDate: string, now: Date): number {
  const [y = 0, m = 1, d = 1] = birthDate.split('-').map(Number);
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age--;
  return age;
}

/**
 * Whether an Observation is one this feature reads: '' for a match with no analyte (a bare LOINC
 * list), the analyte id when its unit can be converted, undefined for no match.
 */
function matchObservation(o: Observation, f: FeatureSpec): string | undefined {
  const codings = o.code?.coding ?? [];
  if (f.loinc) {
    const hit = codings.find((c) => systemKey(c.system) === 'loinc' && c.code && f.loinc!.includes(c.code));
    return hit ? (LOINC_GROUP_ANALYTES.get(hit.code!) ?? '') : undefined;
  }
  if (!f.valueSet) return undefined;
  if (ANALYTE_IDS.has(f.valueSet))
    return codings.some((c) => isLoinc(c) && LOINC_GROUP_ANALYTES.get(c.code!) === f.valueSet)
      ? f.valueSet
      : undefined;
  return inGroupByCode(o.code, f.valueSet) ? '' : undefined;
}

const isLoinc = (c: Coding) => systemKey(c.system) === 'loinc' && typeof c.code === 'string';

function inGroupByCode(concept: CodeableConcept | undefined, group: string): boolean {
  return groupsOfConcept(concept, false).some((m) => m.id === group);
}

const normUnit = (u: string | undefined) => (u ?? '').trim().replace(/\s+/g, '').toLowerCase();

/**
 * The Observation's value in the feature's unit: as is when the units agree (or the result gives
 * none), converted through the analyte's UCUM table when it has one, else not read.
 */
function valueIn(o: Observation, unit: string | undefined, analyte: string | undefined): number | undefined {
  const q = o.valueQuantity;
  if (typeof q?.value !== 'number' || !Number.isFinite(q.value)) return undefined;
  const given = q.code ?? q.unit;
  if (
    !unit ||
    normUnit(given) === '' ||
    normUnit(given) === normUnit(unit) ||
    normUnit(q.unit) === normUnit(unit)
  )
    return q.value;
  if (!analyte || normUnit(CANONICAL_UNITS[analyte]) !== normUnit(unit)) return undefined;
  return (
    toCanonical(analyte, q.value, given) ??
    (q.code && q.unit ? toCanonical(analyte, q.value, q.unit) : undefined)
  );
}

function observationDate(o: Observation): number | undefined {
  return parseDate(o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.effectiveInstant ?? o.issued);
}

function conditionDate(c: Condition): number | undefined {
  return parseDate(c.onsetDateTime ?? c.onsetPeriod?.start ?? c.recordedDate);
}

function parseDate(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s.length === 4 ? `${s}-01-01` : s.length === 7 ? `${s}-01` : s);
  return Number.isNaN(t) ? undefined : t;
}

function isVoided(status: Observation['status'] | MedicationRequest['status'] | undefined): boolean {
  return status === 'entered-in-error' || status === 'cancelled';
}

function refOf(type: string, id: string | undefined): ResourceRef {
  return { reference: `${type}/${id ?? 'unknown'}` };
}
