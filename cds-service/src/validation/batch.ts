/**
 * One batch of patients, start to finish: each unit's data is parsed into a PatientRecord (the
 * same grouping the hooks use) and replayed. Runs in a lane process, a queue worker process, or
 * inline; the result is plain JSON.
 */
import { readFileSync } from 'node:fs';
import type { Bundle, Patient, Resource } from '@rationale/shared-types';
import { CdsError } from '../errors';
import { readSpillUnit, unitLines, type PatientUnit } from './export-reader';
import { replayPatient, type PatientResult, type ReplayDeps, type ReplayOptions } from './replay';

export interface BatchOutcome {
  results: PatientResult[];
  /** Units that held no usable record (no Patient, unreadable JSON): counted, not fatal. */
  unreadable: number;
  /** Patients the pipeline refused (a malformed element: a hook would answer 400): counted. */
  rejected: number;
}

/** Bundle references read `urn:uuid:…`; a FHIR server's read `Type/id`. */
function normalizeRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeRefs);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = k === 'reference' && typeof v === 'string' ? v.replace(/^urn:uuid:/, '') : normalizeRefs(v);
    return out;
  }
  return value;
}

/** The resources of one unit. */
export function unitResources(unit: PatientUnit): Resource[] {
  if (unit.kind === 'spill') return unitResources(readSpillUnit(unit));
  if (unit.kind === 'ndjson') return unitLines(unit).map((l) => JSON.parse(l) as Resource);
  const bundle = normalizeRefs(JSON.parse(readFileSync(unit.path, 'utf8'))) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
}

/** Replays every unit of a batch, in order. */
export async function processBatch(
  units: readonly PatientUnit[],
  options: ReplayOptions,
  deps: ReplayDeps,
): Promise<BatchOutcome> {
  const results: PatientResult[] = [];
  let unreadable = 0;
  let rejected = 0;
  for (const unit of units) {
    let resources: Resource[];
    try {
      resources = unitResources(unit);
    } catch {
      unreadable++;
      continue;
    }
    const patient = resources.find((r): r is Patient => r.resourceType === 'Patient');
    if (!patient?.id) {
      unreadable++;
      continue;
    }
    try {
      results.push(await replayPatient({ ...patient, id: patient.id }, resources, deps, options));
    } catch (e) {
      if (e instanceof CdsError) rejected++;
      else throw e;
    }
  }
  return { results, unreadable, rejected };
}
