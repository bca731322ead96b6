/**
 * Draft orders as the safety checks see them: each MedicationRequest in record.draftOrders,
 * its drug resolved from medicationCodeableConcept or a medicationReference (to record.medications
 * or a contained Medication) and classified by the drug table. ServiceRequests are read but no
 * safety rule applies to them yet.
 */
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import type { Medication, MedicationRequest, PatientRecord } from '@rationale/shared-types';
import { classifyMedication, RXNORM_SYSTEM, type DrugClassification } from '../knowledge/drugs';
import { dailyDoseMg } from '../scores/mme';

export interface DraftDrug {
  /** `MedicationRequest/draft-1`. */
  reference: string;
  label: string;
  code?: Coding;
  classes: string[];
  ingredients: string[];
  dailyDoseMg?: number;
}

function resolveConcept(request: MedicationRequest, record: PatientRecord): CodeableConcept | undefined {
  if (request.medicationCodeableConcept) return request.medicationCodeableConcept;
  const ref = request.medicationReference?.reference;
  if (!ref) return undefined;
  const contained = ref.startsWith('#')
    ? request.contained?.find(
        (r): r is Medication => r.resourceType === 'Medication' && r.id === ref.slice(1),
      )
    : undefined;
  const referenced = record.medications.find((m) => `Medication/${m.id}` === ref);
  const concept = (contained ?? referenced)?.code;
  if (!concept && request.medicationReference?.display) return { text: request.medicationReference.display };
  return concept;
}

function ingredientsOf(c: DrugClassification): string[] {
  return c.ingredients ?? [c.ingredient];
}

/** The classified medication drafts, in draftOrders order; drafts of drugs the table does not know are skipped. */
export function draftDrugs(record: PatientRecord): DraftDrug[] {
  const out: DraftDrug[] = [];
  for (const [index, resource] of record.draftOrders.entries()) {
    if (resource.resourceType !== 'MedicationRequest') continue;
    const request = resource;
    const concept = resolveConcept(request, record);
    const codings = concept?.coding ?? [];
    const text = concept?.text ?? codings.find((c) => c.display)?.display;
    const classification = classifyMedication(codings, text);
    if (!classification) continue;
    const dose = dailyDoseMg(request, { unitStrengthMg: classification.strengthMg });
    const code = codings.find((c) => c.system === RXNORM_SYSTEM) ?? codings[0];
    out.push({
      reference: `MedicationRequest/${request.id ?? `draft-${index}`}`,
      label: text ?? classification.ingredient,
      ...(code ? { code } : {}),
      classes: classification.classes,
      ingredients: ingredientsOf(classification),
      ...(dose !== undefined ? { dailyDoseMg: dose } : {}),
    });
  }
  return out;
}
