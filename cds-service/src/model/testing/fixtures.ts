/**
 * Small FHIR fixtures for the model's table-driven tests: a patient of a given age and sex and
 * the resources each case needs, built with stable ids.
 */
import type { Condition, Observation, PatientRecord } from '@rationale/shared-types';
import { emptyRecord } from '@rationale/shared-types';

export const NOW = new Date('2026-03-01T12:00:00Z');

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

export function patientRecord(
  age: number,
  sex: 'female' | 'male',
  extra: Partial<PatientRecord> = {},
): PatientRecord {
  const birthYear = NOW.getUTCFullYear() - age - 1;
  const record = emptyRecord({
    resourceType: 'Patient',
    id: 'p1',
    gender: sex,
    birthDate: `${birthYear}-06-15`,
  });
  return { ...record, ...extra };
}

/** A LOINC observation with a quantity, `daysAgo` before NOW. */
export function lab(
  loinc: string,
  value: number,
  unit: string,
  daysAgo: number,
  id = nextId('obs'),
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    effectiveDateTime: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(),
    valueQuantity: { value, unit, code: unit },
  };
}

/** A blood-pressure panel (LOINC 85354-9) with systolic and diastolic components. */
export function bp(
  sbp: number,
  dbp: number,
  daysAgo: number,
  panel = '85354-9',
  id = nextId('bp'),
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: panel }] },
    effectiveDateTime: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(),
    component: [
      {
        code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
        valueQuantity: { value: sbp, unit: 'mm[Hg]', code: 'mm[Hg]' },
      },
      {
        code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
        valueQuantity: { value: dbp, unit: 'mm[Hg]', code: 'mm[Hg]' },
      },
    ],
  };
}

/** A problem-list Condition coded in SNOMED CT (or ICD-10-CM with `system: 'icd10'`). */
export function condition(
  code: string,
  status: 'active' | 'resolved' = 'active',
  system: 'snomed' | 'icd10' = 'snomed',
  id = nextId('cond'),
): Condition {
  return {
    resourceType: 'Condition',
    id,
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: status }],
    },
    code: {
      coding: [
        {
          system: system === 'snomed' ? 'http://snomed.info/sct' : 'http://hl7.org/fhir/sid/icd-10-cm',
          code,
        },
      ],
    },
    subject: { reference: 'Patient/p1' },
    onsetDateTime: '2020-01-01',
  };
}

/** A symptom recorded as an Observation coded in SNOMED CT (present, or explicitly absent). */
export function symptomObservation(
  snomed: string,
  present = true,
  daysAgo = 0,
  id = nextId('sym'),
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://snomed.info/sct', code: snomed }] },
    effectiveDateTime: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(),
    valueBoolean: present,
  };
}
