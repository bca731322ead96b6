/**
 * The patient record the model reads: what the service gathered from prefetch or the FHIR server,
 * grouped by resource type. FHIR R4 types come from @medplum/fhirtypes.
 */
import type {
  AllergyIntolerance,
  Bundle,
  CarePlan,
  Condition,
  Encounter,
  Medication,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Procedure,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';

export type {
  AllergyIntolerance,
  Bundle,
  CarePlan,
  Condition,
  Encounter,
  Medication,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Procedure,
  Resource,
  ServiceRequest,
};

export interface PatientRecord {
  patient: Patient;
  conditions: Condition[];
  observations: Observation[];
  medicationRequests: MedicationRequest[];
  medicationStatements: MedicationStatement[];
  /** Medication resources referenced by requests (Epic sends them inside draftOrders). */
  medications: Medication[];
  allergies: AllergyIntolerance[];
  encounters: Encounter[];
  procedures: Procedure[];
  /** Orders and referrals on record (a hospice referral, a dialysis order); not the hook's draft orders. */
  serviceRequests: ServiceRequest[];
  /** Care plans (a hospice, palliative or comfort-care plan). */
  carePlans: CarePlan[];
  /** order-select / order-sign: the draft orders (MedicationRequest, ServiceRequest, ...). */
  draftOrders: Resource[];
  /** order-select: the `Type/id` references of the orders just selected. */
  selections: string[];
}

/** An empty record for one patient: the starting point for gathering and for test fixtures. */
export function emptyRecord(patient: Patient): PatientRecord {
  return {
    patient,
    conditions: [],
    observations: [],
    medicationRequests: [],
    medicationStatements: [],
    medications: [],
    allergies: [],
    encounters: [],
    procedures: [],
    serviceRequests: [],
    carePlans: [],
    draftOrders: [],
    selections: [],
  };
}
