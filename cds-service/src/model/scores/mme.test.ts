import type { MedicationRequest } from '@rationale/shared-types';
import { buildFacts } from '../recommendations/test-facts';
import { administrationsPerDay, dailyDoseMg, mmeScore } from './mme';

function request(text: string, dosage: MedicationRequest['dosageInstruction']): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p' },
    medicationCodeableConcept: { text },
    dosageInstruction: dosage,
  };
}

describe('dailyDoseMg', () => {
  it('multiplies a mg dose by the frequency per period', () => {
    expect(
      dailyDoseMg(
        request('oxycodone 10 MG', [
          {
            timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } },
            doseAndRate: [{ doseQuantity: { value: 10, unit: 'mg' } }],
          },
        ]),
      ),
    ).toBe(40);
  });
  it('uses the strength in the text for a dose in tablets, and frequencyMax when given', () => {
    expect(
      dailyDoseMg(
        request('hydromorphone 2 MG Oral Tablet', [
          {
            timing: { repeat: { frequency: 1, frequencyMax: 2, period: 4, periodUnit: 'h' } },
            doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
          },
        ]),
      ),
    ).toBe(24);
  });
  it('uses the named ingredient strength in a combination product', () => {
    const mr = request('Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet', [
      {
        timing: { code: { coding: [{ code: 'QID' }] } },
        doseAndRate: [{ doseQuantity: { value: 2, unit: '{tbl}' } }],
      },
    ]);
    expect(dailyDoseMg(mr, { ingredient: 'oxycodone hydrochloride' })).toBe(40);
  });
  it('is undefined when timing or dose is missing', () => {
    expect(
      dailyDoseMg(
        request('morphine 15 MG', [{ doseAndRate: [{ doseQuantity: { value: 15, unit: 'mg' } }] }]),
      ),
    ).toBeUndefined();
    expect(dailyDoseMg(request('morphine 15 MG', []))).toBeUndefined();
  });
  it('reads standard timing codes', () => {
    expect(administrationsPerDay({ code: { coding: [{ code: 'BID' }] } })).toBe(2);
    expect(administrationsPerDay({ repeat: { frequency: 3, period: 1, periodUnit: 'd' } })).toBe(3);
  });
});

describe('mmeScore (CDC 2022 factors)', () => {
  it('sums opioids with their conversion factors', () => {
    const s = mmeScore(
      buildFacts({
        meds: [
          { text: 'oxycodone 10 MG', dailyDoseMg: 40 },
          { text: 'hydromorphone 2 MG', dailyDoseMg: 8 },
          { text: 'tramadol 50 MG', dailyDoseMg: 100 },
        ],
      }),
    );
    // 40 × 1.5 + 8 × 5 + 100 × 0.2 = 120
    expect(s?.value).toBe(120);
    expect(s?.id).toBe('mme-daily');
    expect(s?.interpretation).toContain('90 MME/day or more');
    expect(s?.citationIds).toEqual(['cdc-2022-opioids']);
  });
  it('converts transdermal fentanyl from mcg/h (× 2.4)', () => {
    expect(mmeScore(buildFacts({ meds: ['fentanyl 25 MCG/HR Transdermal System'] }))?.value).toBe(60);
  });
  it('uses the opioid strength of a combination product', () => {
    // 8 tablets of acetaminophen 325 / oxycodone 5: the findings report 2600 mg (first ingredient); oxycodone is 40 mg → 60 MME.
    expect(
      mmeScore(
        buildFacts({
          meds: [
            { text: 'Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet', dailyDoseMg: 2600 },
          ],
        }),
      )?.value,
    ).toBe(60);
  });
  it('marks the total incomplete when a dose is unknown, and leaves buprenorphine out', () => {
    const s = mmeScore(
      buildFacts({ meds: ['morphine 15 MG', { text: 'buprenorphine 8 MG', dailyDoseMg: 16 }] }),
    );
    expect(s?.value).toBe(0);
    expect(s?.interpretation).toContain('incomplete: 1 opioid');
  });
  it('is undefined without opioids', () => {
    expect(mmeScore(buildFacts({ meds: ['lisinopril 10 MG'] }))).toBeUndefined();
  });
});
