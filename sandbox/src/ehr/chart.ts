/**
 * What the EHR page shows: the patient list and a chart (banner, problems, medications, allergies,
 * recent labs and vitals), read from the sandbox FHIR store on the server side.
 */
import type { Patient, Resource } from '@rationale/shared-types';
import type { SandboxFhir } from '../contracts';
import { EhrError } from './errors';

/** A synthetic patient's scenario, as the patients module describes it. */
export interface ScenarioSummary {
  id: string;
  summary: string;
}

export interface PatientListItem {
  id: string;
  name: string;
  birthDate?: string;
  gender?: string;
  summary?: string;
}

export interface Chart {
  patient: Patient;
  conditions: Resource[];
  medicationRequests: Resource[];
  medicationStatements: Resource[];
  allergies: Resource[];
  labs: Resource[];
  vitals: Resource[];
}

/** How many of the most recent labs and vitals the chart lists. */
const RECENT_OBSERVATIONS = 40;

/** Every patient in the store, with its scenario summary where the sandbox generated it. */
export async function listPatients(
  fhir: SandboxFhir,
  scenarios: readonly ScenarioSummary[],
): Promise<PatientListItem[]> {
  const summaries = new Map(scenarios.map((s) => [s.id, s.summary]));
  const patients = (await fhir.search('Patient', {})) as Patient[];
  return patients
    .filter((p): p is Patient & { id: string } => typeof p.id === 'string')
    .map((p) => ({
      id: p.id,
      name: displayName(p),
      birthDate: p.birthDate,
      gender: p.gender,
      summary: summaries.get(p.id),
    }))
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** The chart of one patient; 404 when the patient does not exist. */
export async function getChart(fhir: SandboxFhir, patientId: string): Promise<Chart> {
  const patient = (await fhir.read('Patient', patientId)) as Patient | undefined;
  if (!patient) throw new EhrError('not-found', `Patient/${patientId} does not exist`);
  const ref = `Patient/${patientId}`;
  const [conditions, medicationRequests, medicationStatements, allergies, labs, vitals] = await Promise.all([
    fhir.search('Condition', { patient: ref }),
    fhir.search('MedicationRequest', { patient: ref }),
    fhir.search('MedicationStatement', { patient: ref }),
    fhir.search('AllergyIntolerance', { patient: ref }),
    fhir.search('Observation', { patient: ref, category: 'laboratory', _sort: '-date' }),
    fhir.search('Observation', { patient: ref, category: 'vital-signs', _sort: '-date' }),
  ]);
  return {
    patient,
    conditions,
    medicationRequests,
    medicationStatements,
    allergies,
    labs: newestFirst(labs).slice(0, RECENT_OBSERVATIONS),
    vitals: newestFirst(vitals).slice(0, RECENT_OBSERVATIONS),
  };
}

/** "Given Family", or the text of the first name, or the id. */
export function displayName(patient: Patient): string {
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  if (!name) return patient.id ?? 'Unknown';
  if (name.text) return name.text;
  return [...(name.given ?? []), name.family].filter(Boolean).join(' ') || (patient.id ?? 'Unknown');
}

function effectiveDate(resource: Resource): string {
  const r = resource as { effectiveDateTime?: string; effectivePeriod?: { start?: string }; issued?: string };
  return r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued ?? '';
}

function newestFirst(observations: Resource[]): Resource[] {
  return [...observations].sort((a, b) => effectiveDate(b).localeCompare(effectiveDate(a)));
}
