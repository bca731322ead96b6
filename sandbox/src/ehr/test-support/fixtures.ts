/** A small chart for the EHR router's tests. */
import type { Resource } from '@rationale/shared-types';

const LOINC = 'http://loinc.org';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

function lab(id: string, date: string, value: number): Resource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: OBS_CATEGORY, code: 'laboratory' }] }],
    code: { coding: [{ system: LOINC, code: '2160-0', display: 'Creatinine' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: date,
    valueQuantity: { value, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  };
}

export const FIXTURE: Resource[] = [
  {
    resourceType: 'Patient',
    id: 'p1',
    name: [{ given: ['Ada'], family: 'Lovelace' }],
    gender: 'female',
    birthDate: '1950-12-10',
  },
  {
    resourceType: 'Patient',
    id: 'p2',
    name: [{ text: 'Alan Turing' }],
    gender: 'male',
    birthDate: '1954-06-23',
  },
  { resourceType: 'Practitioner', id: 'dr-1', name: [{ family: 'Osler' }] },
  {
    resourceType: 'Condition',
    id: 'c1',
    subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }] },
  },
  lab('o1', '2026-01-10', 1.1),
  lab('o2', '2026-03-10', 1.3),
  lab('o3', '2026-05-10', 1.5),
  lab('o4', '2026-07-10', 1.6),
  lab('o5', '2026-09-10', 1.8),
  {
    resourceType: 'ServiceRequest',
    id: 'sr-old',
    status: 'draft',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
  },
  {
    resourceType: 'ServiceRequest',
    id: 'sr-other',
    status: 'draft',
    intent: 'order',
    subject: { reference: 'Patient/p2' },
  },
];
