/**
 * Reads FHIR bundles (transaction or collection) into PatientRecords for evaluation and benchmarks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, PatientRecord, Resource } from '@rationale/shared-types';
import { recordFromResources } from '../fhir/record';

/** Strips `urn:uuid:` so references read `Type/id` like a FHIR server's. */
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

/** Groups a bundle's resources into a PatientRecord; undefined when it holds no Patient. */
export function recordFromBundle(bundle: Bundle): PatientRecord | undefined {
  const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
  const patient = resources.find((r) => r.resourceType === 'Patient');
  if (!patient || patient.resourceType !== 'Patient') return undefined;
  // The same grouping the hooks use (fhir/record.ts), so eval reads a bundle as a hook reads prefetch.
  return recordFromResources(resources, patient.id ?? '');
}

/** One patient's bundle: its resources as read (for `assessPatient`) and grouped into a record. */
export interface LoadedBundle {
  file: string;
  patientId: string;
  resources: Resource[];
  record: PatientRecord;
}

/** Every `*.json` bundle in a directory that holds a Patient, sorted by file name. */
export function loadBundles(dir: string): LoadedBundle[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const bundle = normalizeRefs(JSON.parse(readFileSync(join(dir, file), 'utf8'))) as Bundle;
      const record = recordFromBundle(bundle);
      if (!record?.patient.id) return [];
      const resources = (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is Resource => r !== undefined);
      return [{ file, patientId: record.patient.id, resources, record }];
    });
}

/**
 * The evaluation's "now" for a synthetic record: the day after its latest dated clinical resource
 * (Synthea histories end at different dates; some patients died decades ago).
 */
export function recordEnd(record: PatientRecord): Date {
  let latest = 0;
  const consider = (d: string | undefined) => {
    const t = d ? Date.parse(d) : NaN;
    if (Number.isFinite(t) && t > latest) latest = t;
  };
  for (const o of record.observations) consider(o.effectiveDateTime ?? o.issued);
  for (const e of record.encounters) consider(e.period?.end ?? e.period?.start);
  for (const c of record.conditions) consider(c.onsetDateTime ?? c.recordedDate);
  for (const m of record.medicationRequests) consider(m.authoredOn);
  return new Date(latest + 86_400_000);
}
