/**
 * The record as it stood on a past day, for as-of replay: only what had been recorded by then,
 * with conditions resolved later shown as still active and a later death not yet known.
 */
import type { Resource } from '@rationale/shared-types';

const DAY_MS = 86_400_000;

type Dated = Resource & Record<string, unknown>;

function time(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

function period(value: unknown): number | undefined {
  return value && typeof value === 'object' ? time((value as { start?: unknown }).start) : undefined;
}

/** When a resource entered the record: the clinical date it carries (onset, effective, authored…). */
export function recordedAt(resource: Resource): number | undefined {
  const r = resource as Dated;
  switch (resource.resourceType) {
    case 'Condition':
      return time(r['onsetDateTime']) ?? period(r['onsetPeriod']) ?? time(r['recordedDate']);
    case 'Observation':
      return time(r['effectiveDateTime']) ?? period(r['effectivePeriod']) ?? time(r['issued']);
    case 'MedicationRequest':
      return time(r['authoredOn']);
    case 'MedicationStatement':
      return time(r['effectiveDateTime']) ?? period(r['effectivePeriod']) ?? time(r['dateAsserted']);
    case 'AllergyIntolerance':
      return time(r['recordedDate']) ?? time(r['onsetDateTime']);
    case 'Encounter':
      return period(r['period']);
    case 'Procedure':
      return time(r['performedDateTime']) ?? period(r['performedPeriod']);
    default:
      return undefined;
  }
}

const ACTIVE = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
};

/**
 * The resources as they stood at instant `t`: those dated after `t` removed (undated ones kept), a
 * condition abated after `t` restored to active, a death after `t` removed from the Patient.
 */
export function resourcesAsOf(resources: readonly Resource[], t: number): Resource[] {
  const out: Resource[] = [];
  for (const r of resources) {
    if (r.resourceType === 'Patient') {
      const died = time((r as Dated)['deceasedDateTime']);
      if (died !== undefined && died > t) {
        const { deceasedDateTime: _died, ...alive } = r as Dated;
        out.push(alive);
      } else out.push(r);
      continue;
    }
    const at = recordedAt(r);
    if (at !== undefined && at > t) continue;
    if (r.resourceType === 'Condition') {
      const abated = time(r.abatementDateTime);
      if (abated !== undefined && abated > t) {
        const { abatementDateTime: _abated, ...rest } = r;
        out.push({ ...rest, clinicalStatus: ACTIVE });
        continue;
      }
    }
    out.push(r);
  }
  return out;
}

/**
 * Index dates for replay: encounter start instants within the last `lookbackYears` before `end`,
 * thinned so consecutive dates are at least `everyDays` apart (0: every encounter).
 */
export function indexDates(
  resources: readonly Resource[],
  end: number,
  everyDays: number,
  lookbackYears: number,
): number[] {
  const from = end - lookbackYears * 365.25 * DAY_MS;
  const starts = resources
    .filter((r) => r.resourceType === 'Encounter')
    .map((e) => recordedAt(e))
    .filter((t): t is number => t !== undefined && t >= from && t < end)
    .sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of starts) {
    const last = out.at(-1);
    if (last === undefined ? true : everyDays === 0 ? t > last : t - last >= everyDays * DAY_MS) out.push(t);
  }
  return out;
}

const END_TYPES = new Set(['Observation', 'Encounter', 'Condition', 'MedicationRequest']);

/** The latest clinical date among the resources, plus one day: the evaluation's "now" for a history. */
export function historyEnd(resources: readonly Resource[]): number {
  let latest = 0;
  for (const r of resources) {
    if (!END_TYPES.has(r.resourceType)) continue;
    const t = recordedAt(r);
    if (t !== undefined && t > latest) latest = t;
  }
  return latest + DAY_MS;
}
