/**
 * PatientFacts: the record normalized once, read by every part of the model (differential,
 * scores, recommendations, order safety). Built by `extractFacts(record, now)` in `findings/`.
 * Pure data: no I/O, no clock (now is passed in).
 */
import type { Finding, ResourceRef } from '@rationale/shared-types';
import type { MedicationUse, NamedReason, ProcedureUse } from './findings/record-evidence';

/**
 * Analyte ids and the canonical unit each value is converted to (UCUM conversions in findings/):
 * egfr mL/min/{1.73_m2}; creatinine mg/dL; uacr mg/g; potassium mmol/L; sodium mmol/L;
 * glucose mg/dL; a1c %; total-cholesterol, ldl, hdl, triglycerides mg/dL; sbp, dbp mm[Hg];
 * heart-rate /min; resp-rate /min; temperature Cel; spo2 %; bmi kg/m2; weight kg; height cm;
 * lvef %; nt-probnp pg/mL; bnp pg/mL; hemoglobin g/dL; mcv fL; ferritin ng/mL; tsh m[IU]/L;
 * free-t4 ng/dL; alt U/L; ast U/L; platelets 10*3/uL; wbc 10*3/uL; albumin g/dL; inr {INR}.
 */
export type AnalyteId = string;

export interface LabValue {
  findingId: string;
  analyte: AnalyteId;
  value: number;
  /** Canonical unit for the analyte (see AnalyteId). */
  unit: string;
  /** ISO date or dateTime of the observation. */
  date: string;
  /** `Date.parse(date)`, parsed once when the value is read (NaN when the date does not parse). */
  time: number;
  source: ResourceRef;
}

export interface MedicationFact {
  findingId: string;
  /** RxNorm ingredient code when known. */
  rxnorm?: string;
  /** Lower-case ingredient name: "atorvastatin". */
  ingredient: string;
  /** Drug classes from knowledge/drugs: "statin", "statin-high-intensity", "acei", "arb", "sglt2i", ... */
  classes: string[];
  display: string;
  status: string;
  date?: string;
  /** Daily dose in mg when the dosage instruction states it (opioid MME, renal dose limits). */
  dailyDoseMg?: number;
  source: ResourceRef;
}

export interface AllergyFact {
  findingId: string;
  substance: string;
  /** Drug classes the allergy covers ("penicillin", "sulfonamide-antibiotic", ...). */
  classes: string[];
  /** Ingredient names the allergy names directly. */
  ingredients: string[];
  criticality?: 'low' | 'high' | 'unable-to-assess';
  source: ResourceRef;
}

/**
 * A therapy declined by the patient or stopped by a clinician with a reason (a MedicationRequest
 * with status cancelled/stopped and a statusReason/reasonCode, or doNotPerform). Built by
 * `findDeclinedTherapies(record, now)` in recommendations/declined.ts; recommendations are
 * suppressed for a class declined within the last 12 months.
 */
export interface DeclinedTherapyFact {
  /** Drug classes of the declined therapy (knowledge/drugs). */
  classes: string[];
  ingredient?: string;
  reason?: string;
  /** ISO date the therapy was declined or stopped. */
  date: string;
  source: ResourceRef;
}

export interface PatientFacts {
  now: Date;
  patientRef: string;
  ageYears?: number;
  sex?: 'female' | 'male' | 'other' | 'unknown';
  pregnant: boolean;
  /** Every finding extracted; Assessment.findings is built from this list. */
  findings: Finding[];
  /** Active recorded conditions by knowledge-base condition id ("t2d", "htn", "ckd", "af", ...). */
  recordedConditions: Map<string, Finding[]>;
  /** Lab and vital values by analyte, newest first. */
  labs: Map<AnalyteId, LabValue[]>;
  /** Active medications (status active or on-hold; not the draft orders). */
  medications: MedicationFact[];
  allergies: AllergyFact[];
  /** Current smoker per the latest tobacco-smoking-status observation (LOINC 72166-2). */
  currentSmoker?: boolean;
  /** Optional: therapies declined or stopped with a reason (recommendations/declined.ts). */
  declinedTherapies?: DeclinedTherapyFact[];
  /**
   * Optional: OMB race category codes from the US Core race extension (e.g. 2054-5 Black or
   * African American). Read only by the race-specific Pooled Cohort Equations.
   */
  usCoreRace?: string[];
  /** Optional: every ingredient prescribed or taken, active or past, with its dates (findings/record-evidence.ts). */
  medicationUse?: MedicationUse[];
  /** Optional: procedures performed, one entry per code. */
  procedures?: ProcedureUse[];
  /** Optional: conditions named as the reason for encounters or prescriptions. */
  reasons?: NamedReason[];
}
