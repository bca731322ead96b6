import type { Resource } from '@rationale/shared-types';
import { evaluate, maskTargets, toMarkdown } from './run';

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

describe('eval --explain', () => {
  const patient = (id: string, extra: unknown[]) => ({
    patientId: id,
    resources: [
      { resourceType: 'Patient', id, birthDate: '1960-01-01', gender: 'male' },
      {
        resourceType: 'Encounter',
        id: `${id}-e`,
        status: 'finished',
        period: { start: '2024-01-01', end: '2024-01-01' },
      },
      ...extra,
    ] as unknown as Resource[],
  });
  const anemia = {
    resourceType: 'Condition',
    id: 'an',
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: { coding: [{ system: SCT, code: '271737000' }] },
    onsetDateTime: '2010-01-01',
  };
  const metformin = {
    resourceType: 'MedicationRequest',
    id: 'mf',
    status: 'active',
    authoredOn: '2020-01-01',
    medicationCodeableConcept: { text: 'Metformin 500 MG Oral Tablet' },
  };

  it('lists a miss and a false positive of the named conditions with the evidence, and nothing else', async () => {
    const result = await evaluate(
      [patient('p-miss', [anemia]), patient('p-fp', [metformin])],
      new Set(['anemia', 't2d']),
    );
    expect(result.explained).toEqual([
      expect.objectContaining({ conditionId: 'anemia', patientId: 'p-miss', kind: 'missed' }),
      expect.objectContaining({
        conditionId: 't2d',
        patientId: 'p-fp',
        kind: 'false-positive',
        status: 'suggested',
        contributions: [expect.stringMatching(/metformin/i)],
      }),
    ]);
    expect(toMarkdown(result)).toContain('| t2d | p-fp | false-positive | suggested |');
  });

  it('lists nothing unless asked', async () => {
    expect((await evaluate([patient('p-miss', [anemia])])).explained).toBeUndefined();
  });
});
