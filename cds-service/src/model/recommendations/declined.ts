/**
 * Declined therapies, read from the record: a MedicationRequest with status `cancelled` or
 * `stopped` that gives a reason (statusReason or reasonCode), or one with `doNotPerform: true`.
 * Kept simple on purpose: coded "declined" Conditions and Procedures vary too much across EHRs
 * to match reliably, so they are not read. Recommendations for a declined class are suppressed
 * for 12 months (recommendations/context.ts `declined`).
 */
import type { MedicationRequest, PatientRecord } from '@rationale/shared-types';
import type { DeclinedTherapyFact } from '../facts';
import { classifyMedication } from '../knowledge/drugs';

function medicationConcept(request: MedicationRequest, record: PatientRecord) {
  if (request.medicationCodeableConcept) return request.medicationCodeableConcept;
  const ref = request.medicationReference?.reference;
  if (!ref) return undefined;
  if (ref.startsWith('#')) {
    const contained = request.contained?.find(
      (r) => r.resourceType === 'Medication' && r.id === ref.slice(1),
    );
    return contained && contained.resourceType === 'Medication' ? contained.code : undefined;
  }
  return record.medications.find((m) => `Medication/${m.id}` === ref)?.code;
}

/** Therapies declined or stopped with a reason, as facts for PatientFacts.declinedTherapies. */
export function findDeclinedTherapies(record: PatientRecord, now: Date): DeclinedTherapyFact[] {
  const out: DeclinedTherapyFact[] = [];
  for (const request of record.medicationRequests) {
    const stoppedWithReason =
      (request.status === 'cancelled' || request.status === 'stopped') &&
      Boolean(
        request.statusReason?.coding?.length || request.statusReason?.text || request.reasonCode?.length,
      );
    if (!stoppedWithReason && request.doNotPerform !== true) continue;
    const date = request.authoredOn;
    if (!date || Date.parse(date) > now.getTime()) continue;
    const concept = medicationConcept(request, record);
    const classification = classifyMedication(concept?.coding ?? [], concept?.text);
    if (!classification) continue;
    const reason =
      request.statusReason?.text ??
      request.statusReason?.coding?.[0]?.display ??
      request.reasonCode?.[0]?.text;
    out.push({
      classes: classification.classes,
      ingredient: classification.ingredient,
      ...(reason ? { reason } : {}),
      date,
      source: {
        reference: `MedicationRequest/${request.id ?? 'unknown'}`,
        display: concept?.text ?? classification.ingredient,
      },
    });
  }
  return out.sort((a, b) => a.source.reference.localeCompare(b.source.reference));
}
