/**
 * Small FHIR builders for the safety cases, coded the ways EHRs code: SNOMED CT or ICD-10-CM
 * (with or without the dot, with or without a display), RxNorm clinical-drug codes only,
 * quantities in the units a laboratory reports. Dates are days before the suite's fixed clock.
 */
import type { Resource } from '@rationale/shared-types';

/** The suite's clock: the service's own (JWT times are checked against it); every date is relative to it. */
export const NOW = new Date();
export const SCT = 'http://snomed.info/sct';
export const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
export const LOINC = 'http://loinc.org';
export const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const CPT = 'http://www.ama-assn.org/go/cpt';
export const HCPCS = 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';

export interface Code {
  system: string;
  code: string;
  display?: string;
}
export const sct = (code: string, display?: string): Code => ({
  system: SCT,
  code,
  ...(display ? { display } : {}),
});
export const icd = (code: string, display?: string): Code => ({
  system: ICD,
  code,
  ...(display ? { display } : {}),
});
export const rx = (code: string, display?: string): Code => ({
  system: RX,
  code,
  ...(display ? { display } : {}),
});

export const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const birthDate = (age: number): string => `${NOW.getUTCFullYear() - age - 1}-06-15`;

let n = 0;
const id = (prefix: string): string => `${prefix}${++n}`;

export function patient(age: number, gender: 'female' | 'male'): Resource {
  return { resourceType: 'Patient', id: 'p1', gender, birthDate: birthDate(age) };
}

/** A Condition, active unless `clinicalStatus` says otherwise; text-only when `codes` is empty. */
export function condition(
  codes: Code[],
  opts: { text?: string; days?: number; clinicalStatus?: string } = {},
): Resource {
  return {
    resourceType: 'Condition',
    id: id('c'),
    subject: { reference: 'Patient/p1' },
    clinicalStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
          code: opts.clinicalStatus ?? 'active',
        },
      ],
    },
    code: { ...(codes.length ? { coding: codes } : {}), ...(opts.text ? { text: opts.text } : {}) },
    recordedDate: daysAgo(opts.days ?? 30),
  };
}

export function quantity(loinc: string, value: number, unit: string, days = 7): Resource {
  return {
    resourceType: 'Observation',
    id: id('o'),
    status: 'final',
    subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: LOINC, code: loinc }] },
    effectiveDateTime: daysAgo(days),
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
}

export function coded(
  loinc: string,
  answer: Code | undefined,
  extra: Record<string, unknown> = {},
  days = 7,
): Resource {
  return {
    resourceType: 'Observation',
    id: id('o'),
    status: 'final',
    subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: LOINC, code: loinc }] },
    effectiveDateTime: daysAgo(days),
    ...(answer ? { valueCodeableConcept: { coding: [answer] } } : {}),
    ...extra,
  };
}

export function bp(sbp: number, dbp: number, days: number): Resource {
  return {
    resourceType: 'Observation',
    id: id('bp'),
    status: 'final',
    subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: LOINC, code: '85354-9' }] },
    effectiveDateTime: daysAgo(days),
    component: [
      {
        code: { coding: [{ system: LOINC, code: '8480-6' }] },
        valueQuantity: { value: sbp, unit: 'mm[Hg]', code: 'mm[Hg]' },
      },
      {
        code: { coding: [{ system: LOINC, code: '8462-4' }] },
        valueQuantity: { value: dbp, unit: 'mm[Hg]', code: 'mm[Hg]' },
      },
    ],
  };
}

/** An active MedicationRequest (or a draft, for order-sign) coded only as given. */
export function medication(code: Code, opts: { draft?: boolean; text?: string } = {}): Resource {
  return {
    resourceType: 'MedicationRequest',
    id: id(opts.draft ? 'draft' : 'm'),
    status: opts.draft ? 'draft' : 'active',
    intent: opts.draft ? 'proposal' : 'order',
    subject: { reference: 'Patient/p1' },
    authoredOn: daysAgo(opts.draft ? 0 : 60),
    medicationCodeableConcept: { coding: [code], ...(opts.text ? { text: opts.text } : {}) },
  };
}

export function intolerance(code: Code | undefined, text?: string, type = 'intolerance'): Resource {
  return {
    resourceType: 'AllergyIntolerance',
    id: id('ai'),
    patient: { reference: 'Patient/p1' },
    type,
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
      ],
    },
    code: { ...(code ? { coding: [code] } : {}), ...(text ? { text } : {}) },
  } as Resource;
}

export function encounter(
  type: Code[],
  opts: { days?: number; status?: string; reason?: Code[]; disposition?: Code } = {},
): Resource {
  return {
    resourceType: 'Encounter',
    id: id('e'),
    status: opts.status ?? 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: 'Patient/p1' },
    type: [{ coding: type }],
    ...(opts.reason ? { reasonCode: [{ coding: opts.reason }] } : {}),
    ...(opts.disposition
      ? { hospitalization: { dischargeDisposition: { coding: [opts.disposition] } } }
      : {}),
    period: { start: daysAgo(opts.days ?? 20), end: daysAgo((opts.days ?? 20) - 1) },
  } as Resource;
}

/** A Procedure, completed `days` ago unless `status` says otherwise. */
export function procedure(code: Code[], opts: { days?: number; status?: string } = {}): Resource {
  return {
    resourceType: 'Procedure',
    id: id('pr'),
    status: opts.status ?? 'completed',
    subject: { reference: 'Patient/p1' },
    code: { coding: code },
    performedDateTime: daysAgo(opts.days ?? 20),
  } as Resource;
}

/** An order or referral (intent `order`, active unless `status` says otherwise), authored `days` ago. */
export function serviceRequest(
  code: Code[],
  opts: { days?: number; status?: string; intent?: string } = {},
): Resource {
  return {
    resourceType: 'ServiceRequest',
    id: id('sr'),
    status: opts.status ?? 'active',
    intent: opts.intent ?? 'order',
    subject: { reference: 'Patient/p1' },
    code: { coding: code },
    authoredOn: daysAgo(opts.days ?? 20),
  } as Resource;
}

/**
 * A care plan (active unless `status` says otherwise) coded in its category, or only in an
 * activity when `where` is `activity` (the category then the US Core `assess-plan`).
 */
export function carePlan(
  code: Code[],
  opts: { where?: 'category' | 'activity'; status?: string; startDays?: number; endDays?: number } = {},
): Resource {
  const usCore = {
    system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category',
    code: 'assess-plan',
  };
  return {
    resourceType: 'CarePlan',
    id: id('cp'),
    status: opts.status ?? 'active',
    intent: 'plan',
    subject: { reference: 'Patient/p1' },
    category: [{ coding: opts.where === 'activity' ? [usCore] : code }],
    ...(opts.where === 'activity'
      ? { activity: [{ detail: { status: 'in-progress', code: { coding: code } } }] }
      : {}),
    period: {
      start: daysAgo(opts.startDays ?? 60),
      ...(opts.endDays !== undefined ? { end: daysAgo(opts.endDays) } : {}),
    },
  } as Resource;
}
