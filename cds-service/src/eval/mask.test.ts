import type { Resource } from '@rationale/shared-types';
import { maskTargets } from './run';

const SCT = 'http://snomed.info/sct';
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';

const resources = [
  { resourceType: 'Patient', id: 'p1' },
  {
    resourceType: 'Condition',
    id: 'dm',
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: { coding: [{ system: SCT, code: '44054006' }] },
  },
  {
    resourceType: 'Condition',
    id: 'sinus',
    clinicalStatus: { coding: [{ code: 'resolved' }] },
    code: { coding: [{ system: SCT, code: '444814009' }] },
  },
  {
    resourceType: 'Encounter',
    id: 'e1',
    status: 'finished',
    reasonCode: [
      { coding: [{ system: SCT, code: '44054006' }] },
      { coding: [{ system: SCT, code: '444814009' }] },
    ],
    reasonReference: [{ reference: 'Condition/dm' }],
    diagnosis: [{ condition: { reference: 'dm' } }, { condition: { reference: 'Condition/sinus' } }],
  },
  {
    resourceType: 'MedicationRequest',
    id: 'm1',
    status: 'active',
    medicationCodeableConcept: { text: 'Metformin 500 MG Oral Tablet' },
    reasonReference: [{ reference: 'dm' }],
    reasonCode: [{ coding: [{ system: ICD, code: 'E11.9' }] }],
  },
  { resourceType: 'CarePlan', id: 'cp', status: 'active', addresses: [{ reference: 'Condition/dm' }] },
  {
    resourceType: 'Claim',
    id: 'c1',
    diagnosis: [
      { sequence: 1, diagnosisCodeableConcept: { coding: [{ system: ICD, code: 'E11.65' }] } },
      { sequence: 2, diagnosisReference: { reference: 'Condition/sinus' } },
    ],
  },
] as unknown as Resource[];

describe('eval masking', () => {
  const { stripped, recorded } = maskTargets(resources);
  const byId = (id: string) => stripped.find((r) => r.id === id) as unknown as Record<string, unknown>;

  it('removes the masked Condition and reports it as recorded', () => {
    expect(recorded).toEqual(new Set(['t2d']));
    expect(byId('dm')).toBeUndefined();
    expect(byId('sinus')).toBeDefined();
  });

  it('removes every reason, address and diagnosis that names the masked condition, and nothing else', () => {
    expect(byId('e1').reasonCode).toEqual([{ coding: [{ system: SCT, code: '444814009' }] }]);
    expect(byId('e1').reasonReference).toBeUndefined();
    expect(byId('e1').diagnosis).toEqual([{ condition: { reference: 'Condition/sinus' } }]);
    expect(byId('m1').reasonReference).toBeUndefined();
    expect(byId('m1').reasonCode).toBeUndefined();
    expect(byId('cp').addresses).toBeUndefined();
    expect(byId('c1').diagnosis).toEqual([
      { sequence: 2, diagnosisReference: { reference: 'Condition/sinus' } },
    ]);
  });

  it('keeps the rest of the record: the medication stays for the model to read', () => {
    expect((byId('m1').medicationCodeableConcept as { text: string }).text).toBe(
      'Metformin 500 MG Oral Tablet',
    );
    expect(stripped).toHaveLength(resources.length - 1);
    // The input is not mutated.
    expect((resources[3] as unknown as Record<string, unknown[]>).reasonCode).toHaveLength(2);
  });
});
