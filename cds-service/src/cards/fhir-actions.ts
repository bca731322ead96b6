/**
 * The FHIR R4 resources a card's suggestions create or delete: a draft MedicationRequest or
 * ServiceRequest for a proposed order, a provisional problem-list Condition for a suggested
 * diagnosis, and a delete of a draft order by `resourceId` (CDS Hooks 2.0 §Action; the EHR fills
 * in ids and order details, Epic from its own defaults).
 */
import type { Action, Coding, FhirResourceJson, Hypothesis, ProposedOrder } from '@rationale/shared-types';

export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const LOINC = 'http://loinc.org';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** `Patient/123` from `Patient/123` or a bare `123`. */
export function patientReference(reference: string): string {
  return reference.startsWith('Patient/') ? reference : `Patient/${reference}`;
}

/** A draft MedicationRequest or ServiceRequest for a proposed order, ready for the clinician to sign. */
export function draftOrderResource(order: ProposedOrder, patientRef: string): FhirResourceJson {
  const concept = {
    coding: [{ system: order.code.system, code: order.code.code, display: order.code.display }],
    text: order.code.display,
  };
  const subject = { reference: patientReference(patientRef) };
  if (order.resourceType === 'MedicationRequest') {
    return {
      resourceType: 'MedicationRequest',
      status: 'draft',
      intent: 'order',
      medicationCodeableConcept: concept,
      subject,
      ...(order.instruction ? { dosageInstruction: [{ text: order.instruction }] } : {}),
    };
  }
  return {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'order',
    code: concept,
    subject,
    ...(order.instruction ? { note: [{ text: order.instruction }] } : {}),
  };
}

/** "Order atorvastatin 20 mg orally once daily": what accepting the order does, in words. */
export function orderDescription(order: ProposedOrder): string {
  return order.instruction ? `Order ${order.instruction}` : `Order ${order.code.display}`;
}

export function createOrderAction(order: ProposedOrder, patientRef: string): Action {
  return {
    type: 'create',
    description: orderDescription(order),
    resource: draftOrderResource(order, patientRef),
  };
}

export function deleteOrderAction(reference: string, label: string): Action {
  return { type: 'delete', description: `Remove the draft order: ${label}`, resourceId: reference };
}

/** The hypothesis's codes ordered SNOMED CT first, then ICD-10-CM, then any other. */
function conditionCodings(h: Hypothesis): Coding[] {
  const rank = (c: Coding) => (c.system === SNOMED ? 0 : c.system === ICD10CM ? 1 : 2);
  return h.codes.filter((c) => c.system && c.code).sort((a, b) => rank(a) - rank(b));
}

/** True when the hypothesis carries a SNOMED CT code a problem-list entry can use. */
export function hasProblemListCode(h: Hypothesis): boolean {
  return h.codes.some((c) => c.system === SNOMED && c.code);
}

/**
 * A problem-list Condition for a suggested diagnosis: `provisional` when the guideline's criteria
 * are met, `unconfirmed` when only the posterior suggests it; the clinician confirms it.
 */
export function problemListCondition(
  h: Hypothesis,
  patientRef: string,
  recordedDate: string | undefined,
): FhirResourceJson {
  const label = h.stage ? `${h.label} ${h.stage}` : h.label;
  const verification = h.criteria?.met ? 'provisional' : 'unconfirmed';
  return {
    resourceType: 'Condition',
    clinicalStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
          code: 'active',
          display: 'Active',
        },
      ],
    },
    verificationStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
          code: verification,
          display: verification === 'provisional' ? 'Provisional' : 'Unconfirmed',
        },
      ],
    },
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'problem-list-item',
            display: 'Problem List Item',
          },
        ],
      },
    ],
    code: { coding: conditionCodings(h), text: label },
    subject: { reference: patientReference(patientRef) },
    ...(recordedDate ? { recordedDate } : {}),
  };
}

export function addProblemAction(
  h: Hypothesis,
  patientRef: string,
  recordedDate: string | undefined,
): Action {
  const label = h.stage ? `${h.label} (${h.stage})` : h.label;
  return {
    type: 'create',
    description: `Add ${label} to the problem list as ${h.criteria?.met ? 'provisional' : 'unconfirmed'}`,
    resource: problemListCondition(h, patientRef, recordedDate),
  };
}
