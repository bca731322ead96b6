import type { MedicationRequest, PatientRecord } from '@rationale/shared-types';
import { bp, NOW, patientRecord } from '../model/testing/fixtures';
import { REFERENCE_CRITERIA } from './reference';

const htn = (record: PatientRecord) => REFERENCE_CRITERIA.htn?.(record, NOW);

function rx(text: string, status: MedicationRequest['status'] = 'active'): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: `mr-${text.length}-${status}`,
    status,
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { text },
    authoredOn: '2024-01-10',
  };
}

describe('eval reference: hypertension as the model defines it (≥ 140/90 mmHg or treated)', () => {
  it('counts an office average of 140/90 mmHg or more on two days', () => {
    expect(htn(patientRecord(60, 'male', { observations: [bp(146, 88, 10), bp(142, 92, 80)] }))).toBe(true);
  });

  it('does not count an ACC/AHA stage 1 average (130-139/80-89 mmHg) untreated', () => {
    expect(htn(patientRecord(60, 'male', { observations: [bp(136, 86, 10), bp(134, 84, 80)] }))).toBe(false);
  });

  it('does not count a single day at 140/90 mmHg', () => {
    expect(htn(patientRecord(60, 'male', { observations: [bp(150, 95, 10)] }))).toBe(false);
  });

  it('counts an active first-line blood-pressure-lowering drug whatever the readings', () => {
    const record = patientRecord(60, 'male', {
      observations: [bp(124, 78, 10), bp(122, 76, 80)],
      medicationRequests: [rx('Hydrochlorothiazide 25 MG')],
    });
    expect(htn(record)).toBe(true);
  });

  it('does not count a stopped one, or a drug outside the first-line classes', () => {
    const stopped = patientRecord(60, 'male', {
      medicationRequests: [rx('lisinopril 10 MG Oral Tablet', 'stopped')],
    });
    const other = patientRecord(60, 'male', { medicationRequests: [rx('Verapamil Hydrochloride 40 MG')] });
    expect(htn(stopped)).toBe(false);
    expect(htn(other)).toBe(false);
  });

  it('does not count a child on a blood-pressure-lowering drug', () => {
    expect(
      htn(patientRecord(12, 'female', { medicationRequests: [rx('Amlodipine 5 MG Oral Tablet')] })),
    ).toBe(false);
  });
});
