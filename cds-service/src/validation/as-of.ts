/**
 * The record as it stood on a past day, for as-of replay: only what had been recorded by then,
 * with conditions resolved later shown as still active and a later death not yet known.
 */
import type { Condition, PatientRecord, Resource } from '@rationale/shared-types';

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
 * The record as of instant `t`: resources dated after `t` removed (undated ones kept), a condition
 * abated after `t` restored to active, a death after `t` removed.
 */
export function recordAsOf(record: PatientRecord, t: number): PatientRecord {
  const keep = <T extends Resource>(list: T[]) =>
    list.filter((r) => {
      const at = recordedAt(r);
      return at === undefined || at <= t;
    });
  const conditions = keep(record.conditions).map((c): Condition => {
    const abated = time(c.abatementDateTime);
    if (abated === undefined || abated <= t) return c;
    const { abatementDateTime: _abated, ...rest } = c;
    return { ...rest, clinicalStatus: ACTIVE };
  });
  const patient = { ...record.patient };
  const died = time((patient as Dated)['deceasedDateTime']);
  if (died !== undefined && died > t) delete (patient as Dated)['deceasedDateTime'];
  return {
    ...record,
    patient,
    conditions,
    observations: keep(record.observations),
    medicationRequests: keep(record.medicationRequests),
    medicationStatements: keep(record.medicationStatements),
    allergies: keep(record.allergies),
    encounters: keep(record.encounters),
    procedures: keep(record.procedures),
  };
}

/**
 * Index dates for replay: encounter start instants within the last `lookbackYears` before `end`,
 * thinned so consecutive dates are at least `everyDays` apart (0: every encounter).
 */
export function indexDates(
  record: PatientRecord,
  end: number,
  everyDays: number,
  lookbackYears: number,
): number[] {
  const from = end - lookbackYears * 365.25 * DAY_MS;
  const starts = record.encounters
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

/** The latest clinical date in the record, plus one day: the evaluation's "now" for a history. */
export function recordEnd(record: PatientRecord): number {
  let latest = 0;
  for (const list of [record.observations, record.encounters, record.conditions, record.medicationRequests])
    for (const r of list) {
      const t = recordedAt(r);
      if (t !== undefined && t > latest) latest = t;
    }
  return latest + DAY_MS;
}
