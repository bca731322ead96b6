import { medicationRequestSchema } from './test-support/medication-request-shape';
import { PATIENT_SCENARIOS } from '../patients';
import { draftMedicationRequest, ORDER_CATALOG } from './order-catalog';

describe('order catalog', () => {
  it('offers every medication a synthetic scenario asks to order, by the same RxNorm code', () => {
    const codes = new Set(ORDER_CATALOG.map((m) => m.rxnorm));
    const hints = PATIENT_SCENARIOS.flatMap((s) => (s.draftOrder ? [{ id: s.id, ...s.draftOrder }] : []));
    expect(hints.length).toBeGreaterThan(0);
    expect(hints.filter((h) => !codes.has(h.rxnorm))).toEqual([]);
  });

  it('has unique keys and codes', () => {
    expect(new Set(ORDER_CATALOG.map((m) => m.key)).size).toBe(ORDER_CATALOG.length);
    expect(new Set(ORDER_CATALOG.map((m) => m.rxnorm)).size).toBe(ORDER_CATALOG.length);
  });

  it('builds a draft MedicationRequest for the patient, coded in RxNorm, as draftOrders carry it', () => {
    const medication = ORDER_CATALOG.find((m) => m.key === 'ibuprofen');
    if (!medication) throw new Error('ibuprofen missing');
    const draft = draftMedicationRequest(
      medication,
      { id: 'draft-1', patientId: 'rat-020', userId: 'Practitioner/rat-pr-001' },
      new Date('2026-11-24T10:00:00Z'),
    );
    expect(medicationRequestSchema.parse(draft)).toMatchObject({
      id: 'draft-1',
      status: 'draft',
      intent: 'order',
      subject: { reference: 'Patient/rat-020' },
      requester: { reference: 'Practitioner/rat-pr-001' },
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '5640' }],
      },
    });
  });
});
