/**
 * The services this CDS service offers (CDS Hooks STU2 §Discovery) and their prefetch templates:
 * exactly the data the model reads. The CLI prints these templates for Epic analysts (Epic does
 * not call discovery and takes prefetch entered by hand).
 *
 * Prefetch templates stay inside the STU2 recommended query subset (L324-334) and use only the
 * `{{context.patientId}}` token: no `{{today()}}` date arithmetic, which is CDS Hooks 3.0 ballot
 * only. Date limits are expressed as `_sort=-date&_count=N` (newest first, N per page), which every
 * 2.0 client and FHIR R4 server understands; the model applies its own recency rules on top.
 */
import type { CdsService } from '@rationale/shared-types';
import { SERVICE_HOOKS, type ServiceHook } from '../config';

/**
 * LOINC codes of the Observations the model reads (labs, vitals, smoking and pregnancy status).
 * One list, so a new analyte in the model is one edit here. Sources: the model's analytes
 * (model/facts.ts), ../shared/reference/clinical-sources.md §1, Synthea R4 codes.
 */
export const PREFETCH_LOINC_CODES: readonly string[] = Object.freeze([
  // kidney
  '33914-3', // eGFR (MDRD, Synthea)
  '62238-1', // eGFR CKD-EPI
  '98979-8', // eGFR CKD-EPI 2021
  '2160-0', // creatinine, serum
  '38483-4', // creatinine, blood
  '14959-1', // urine albumin/creatinine ratio
  '9318-7', // urine albumin/creatinine ratio (mass ratio)
  // electrolytes, glucose
  '6298-4', // potassium, blood
  '2823-3', // potassium, serum/plasma
  '2951-2', // sodium
  '2345-7', // glucose, serum/plasma
  '2339-0', // glucose, blood
  '4548-4', // hemoglobin A1c
  // lipids
  '2093-3', // total cholesterol
  '2085-9', // HDL cholesterol
  '18262-6', // LDL cholesterol, direct
  '13457-7', // LDL cholesterol, calculated
  '2571-8', // triglycerides
  // vitals
  '85354-9', // blood pressure panel
  '55284-4', // blood pressure panel (Synthea)
  '8480-6', // systolic BP
  '8462-4', // diastolic BP
  '8867-4', // heart rate
  '9279-1', // respiratory rate
  '8310-5', // body temperature
  '59408-5', // SpO2 by pulse oximetry
  '2708-6', // oxygen saturation, arterial
  '39156-5', // BMI
  '29463-7', // body weight
  '8302-2', // body height
  // heart
  '10230-1', // LVEF
  '33762-6', // NT-proBNP
  '30934-4', // BNP
  // blood, liver, thyroid, coagulation
  '718-7', // hemoglobin
  '787-2', // MCV
  '2276-4', // ferritin
  '777-3', // platelets
  '6690-2', // leukocytes
  '1742-6', // ALT
  '1920-8', // AST
  '1751-7', // albumin
  '3016-3', // TSH
  '3024-7', // free T4
  '6301-6', // INR
  // status observations
  '72166-2', // tobacco smoking status
  '82810-3', // pregnancy status
  '9269-2', // Glasgow coma score total
]);

/** Newest-first page sizes: how far back each search reaches in practice. */
export const PREFETCH_COUNTS = { observations: 500, encounters: 20, conditions: 200, medications: 200 } as const;

export interface ServiceDefinition {
  id: string;
  hook: ServiceHook;
  title: string;
  description: string;
  prefetch: Readonly<Record<string, string>>;
}

const loincTokens = PREFETCH_LOINC_CODES.map((c) => `http://loinc.org|${c}`).join(',');

/** The prefetch templates of a hook. Order hooks also read draft MedicationRequests. */
export function prefetchTemplates(hook: ServiceHook): Record<string, string> {
  const isOrderHook = hook === 'order-select' || hook === 'order-sign';
  const medStatus = isOrderHook ? 'active,on-hold,draft' : 'active,on-hold';
  return {
    patient: 'Patient/{{context.patientId}}',
    // All clinical statuses: a resolved myocardial infarction or stroke still counts as history
    // (Synthea records them with abatement), so no clinical-status filter here.
    conditions: `Condition?patient={{context.patientId}}&_count=${PREFETCH_COUNTS.conditions}`,
    observations: `Observation?patient={{context.patientId}}&code=${loincTokens}&_sort=-date&_count=${PREFETCH_COUNTS.observations}`,
    medications: `MedicationRequest?patient={{context.patientId}}&status=${medStatus}&_count=${PREFETCH_COUNTS.medications}`,
    allergies: 'AllergyIntolerance?patient={{context.patientId}}',
    encounters: `Encounter?patient={{context.patientId}}&_sort=-date&_count=${PREFETCH_COUNTS.encounters}`,
  };
}

const TEXT: Record<ServiceHook, { title: string; description: string }> = {
  'patient-view': {
    title: 'Rationale: possible diagnoses and guideline gaps',
    description:
      'When a chart opens, reads conditions, labs, vitals, medications and allergies, and suggests possibly undiagnosed conditions and guideline-recommended treatment not yet in place, each with its reasoning and evidence.',
  },
  'order-select': {
    title: 'Rationale: order safety while ordering',
    description:
      'As orders are selected, checks them against allergies, kidney function, interactions, conditions, duplicate therapy and pregnancy, with a safer alternative where one exists.',
  },
  'order-sign': {
    title: 'Rationale: order safety at signing',
    description:
      'Before orders are signed, checks them against allergies, kidney function, interactions, conditions, duplicate therapy and pregnancy, with a safer alternative where one exists.',
  },
  'encounter-start': {
    title: 'Rationale: care gaps at the start of an encounter',
    description:
      'When an encounter starts, lists the guideline gaps and possibly undiagnosed conditions worth addressing during the visit.',
  },
  'encounter-discharge': {
    title: 'Rationale: care gaps before discharge',
    description:
      'At discharge, lists guideline-recommended treatment not yet in place (for example statins, anticoagulation, heart-failure therapy) so it can be started or documented.',
  },
};

/** Every service the model supports, whether or not the configuration enables it. */
export const SERVICES: readonly ServiceDefinition[] = Object.freeze(
  SERVICE_HOOKS.map((hook) =>
    Object.freeze({
      id: `rationale-${hook}`,
      hook,
      ...TEXT[hook],
      prefetch: Object.freeze(prefetchTemplates(hook)),
    }),
  ),
);

/** The service with this id, or undefined. */
export function serviceById(id: string): ServiceDefinition | undefined {
  return SERVICES.find((s) => s.id === id);
}

/** The CDS Hooks version this service implements, sent as the 3.0 ballot's discovery `version`. */
export const CDS_HOOKS_VERSION = '2.0.1';

/** The discovery entry of a service (STU2 §Discovery, plus the 3.0 `version` and `hookVersion`). */
export function discoveryEntry(service: ServiceDefinition): CdsService {
  return {
    hook: service.hook,
    title: service.title,
    description: service.description,
    id: service.id,
    prefetch: { ...service.prefetch },
    hookVersion: '1.0',
    version: CDS_HOOKS_VERSION,
  };
}
