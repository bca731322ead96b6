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
import { isOrderHook, type CdsService } from '@rationale/shared-types';
import { SERVICE_HOOKS, type ServiceHook } from '../config';
import {
  ECG_LOINC,
  HCG_LOINC,
  LOINC_ANALYTES,
  PREGNANCY_STATUS_LOINC,
  SNOMED_OBSERVATION_CODES,
} from '../model/findings/codes';
import { groupCodesReadFrom, observationRuleTokens } from '../model/terminology';

/**
 * Observations the model reads that are not numeric analytes: blood-pressure panels (the model
 * reads their components, and FHIR `code` search matches the panel code only), smoking status,
 * Glasgow coma score.
 */
const STATUS_AND_PANEL_LOINC = ['85354-9', '55284-4', '72166-2', '9269-2'];

/**
 * LOINC codes of the Observations the model reads, derived from the model's own code tables
 * (model/findings/codes.ts: analytes, pregnancy status, hCG), so a new analyte there reaches the
 * prefetch templates without an edit here. The one list the templates and the CLI print.
 */
export const PREFETCH_LOINC_CODES: readonly string[] = Object.freeze([
  ...new Set([
    ...Object.keys(LOINC_ANALYTES),
    ...STATUS_AND_PANEL_LOINC,
    PREGNANCY_STATUS_LOINC,
    ...HCG_LOINC,
    ...ECG_LOINC,
  ]),
]);

/** Newest-first page sizes: how far back each search reaches in practice. */
export const PREFETCH_COUNTS = {
  observations: 500,
  encounters: 20,
  conditions: 200,
  medications: 200,
} as const;

export interface ServiceDefinition {
  id: string;
  hook: ServiceHook;
  title: string;
  description: string;
  prefetch: Readonly<Record<string, string>>;
}

const loincTokens = PREFETCH_LOINC_CODES.map((c) => `http://loinc.org|${c}`).join(',');
/** Symptoms and ECG findings recorded as SNOMED CT-coded Observations. */
const snomedTokens = SNOMED_OBSERVATION_CODES.map((c) => `http://snomed.info/sct|${c}`).join(',');
/**
 * Assessments the eCQM Hospice and PalliativeCare libraries count (Hospice care [Minimum Data
 * Set], FACIT-Pal), from the terminology layer's generated rules: searched with the analytes.
 */
const careObservationTokens = observationRuleTokens()
  .filter((t) => !PREFETCH_LOINC_CODES.includes(t.replace('http://loinc.org|', '')))
  .join(',');

/**
 * Hospice, palliative and comfort care, and dialysis, as Procedures and ServiceRequests: searched
 * by the member codes of the terminology layer's groups read from each type (bare codes, so a
 * site's CPT or HCPCS system URI matches whichever spelling it uses). Care plans are few per
 * patient and coded in category or activity, which a token search cannot reach: read by status.
 */
const procedureCodes = groupCodesReadFrom('Procedure').join(',');
const serviceRequestCodes = groupCodesReadFrom('ServiceRequest').join(',');

/**
 * Keys an assessment goes ahead without, saying so in its data quality, when neither prefetch nor
 * fhirServer supplies them: added after EHRs had entered the others by hand (Epic), and what they
 * hold (hospice and dialysis care beyond the problem list and encounters) only withholds
 * recommendations, so a 412 for their absence would also silence the order-safety alerts.
 */
export const SUPPLEMENTARY_PREFETCH_KEYS: ReadonlySet<string> = new Set([
  'procedures',
  'serviceRequests',
  'carePlans',
]);

/** The prefetch templates of a hook. Order hooks also read draft MedicationRequests. */
export function prefetchTemplates(hook: ServiceHook): Record<string, string> {
  const medStatus = isOrderHook(hook) ? 'active,on-hold,draft' : 'active,on-hold';
  return {
    patient: 'Patient/{{context.patientId}}',
    // All clinical statuses: a resolved myocardial infarction or stroke still counts as history
    // (Synthea records them with abatement), so no clinical-status filter here.
    conditions: `Condition?patient={{context.patientId}}&_count=${PREFETCH_COUNTS.conditions}`,
    observations: `Observation?patient={{context.patientId}}&code=${loincTokens},${snomedTokens}${careObservationTokens ? `,${careObservationTokens}` : ''}&_sort=-date&_count=${PREFETCH_COUNTS.observations}`,
    medications: `MedicationRequest?patient={{context.patientId}}&status=${medStatus}&_count=${PREFETCH_COUNTS.medications}`,
    allergies: 'AllergyIntolerance?patient={{context.patientId}}',
    encounters: `Encounter?patient={{context.patientId}}&_sort=-date&_count=${PREFETCH_COUNTS.encounters}`,
    procedures: `Procedure?patient={{context.patientId}}&code=${procedureCodes}`,
    serviceRequests: `ServiceRequest?patient={{context.patientId}}&code=${serviceRequestCodes}&status=active,completed`,
    carePlans: 'CarePlan?patient={{context.patientId}}&status=active,on-hold,completed',
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
