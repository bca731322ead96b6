/**
 * The shape step of the pipeline: the patient's resources as they arrived (prefetch, FHIR reads, a
 * bundle, an export) become the PatientRecord the model reads. One call, so a change to how
 * resources are read (fhir/shape.ts, fhir/record.ts) is live on every path at once.
 */
import type { PatientRecord, Resource } from '@rationale/shared-types';
import { CdsError } from '../errors';
import type { BundleJson } from '../fhir/fhir-gateway';
import { recordFromResources, withDraftOrders } from '../fhir/record';
import { draftOrderResources, findMalformed } from '../fhir/shape';

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
}

/** What the shape step hands the model. */
export interface ReadRecord {
  record: PatientRecord;
}

/**
 * Checks the resources' datatypes the model relies on and groups them into a PatientRecord.
 * Throws `invalid-request` (400, naming the element) for a malformed resource, and
 * `fhir-unavailable` (412) when the named Patient is not among the resources.
 */
export function readRecord(data: PatientData): ReadRecord {
  const malformed = findMalformed([...data.resources, ...draftOrderResources(data.draftOrders)]);
  if (malformed) {
    throw new CdsError('invalid-request', `${malformed.where} ${malformed.problem} (FHIR R4)`, {
      expression: [malformed.where],
    });
  }
  // Every element the model reads has now been checked, so the resources can be typed as such.
  const base = recordFromResources(data.resources as Resource[], data.patientId);
  const record = withDraftOrders(base, data.draftOrders, data.selections ? [...data.selections] : undefined);
  return { record };
}
