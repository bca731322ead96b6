/**
 * The shape step of the pipeline: the patient's resources as they arrived (prefetch, FHIR reads, a
 * bundle, an export) become the PatientRecord the model reads. One call, so a change to how
 * resources are read (fhir/shape.ts, fhir/record.ts) is live on every path at once.
 */
import type { DataQualityIssue, PatientRecord, Resource } from '@rationale/shared-types';
import type { BundleJson } from '../fhir/fhir-gateway';
import { recordFromResources, withDraftOrders } from '../fhir/record';
import { capIssues, readPatientRecord } from '../fhir/shape';

/** Everything read about one patient, before any check. */
export interface PatientData {
  /** The patient's id (a `Patient/` prefix is tolerated). */
  patientId: string;
  /** The patient's FHIR resources as read: not yet checked, so typed as unknown. */
  resources: readonly unknown[];
  /** order-select / order-sign: the draft orders as the EHR sent them. */
  draftOrders?: BundleJson;
  /** order-select: the draft orders the clinician selected (`Type/id`). */
  selections?: readonly string[];
  /** What the reading already knows it could not read in full (a response cut at its size cap). */
  dataQuality?: readonly DataQualityIssue[];
}

/** What the shape step hands the model. */
export interface ReadRecord {
  record: PatientRecord;
  /** What could not be read (fhir/shape.ts): listed in the Assessment's `dataQuality`. */
  issues: DataQualityIssue[];
}

/**
 * Groups the resources into a PatientRecord and reads it liberally (fhir/shape.ts): an element the
 * model reads that breaks its R4 datatype is ignored and a resource it cannot read is skipped, each
 * an issue; never a 400. Throws `fhir-unavailable` (412) when the named Patient is not among the
 * resources.
 */
export function readRecord(data: PatientData): ReadRecord {
  const base = recordFromResources(data.resources as Resource[], data.patientId);
  const grouped = withDraftOrders(base, data.draftOrders, data.selections ? [...data.selections] : undefined);
  const read = readPatientRecord(grouped);
  return { record: read.record, issues: capIssues([...(data.dataQuality ?? []), ...read.issues]) };
}
