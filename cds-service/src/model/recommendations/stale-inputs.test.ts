import type { Condition } from '@rationale/shared-types';
import { recommendationDetail, renderContext, safetyDetail } from '../../cards/render';
import { assess } from '../assess';
import { bp, lab, NOW, patientRecord } from '../testing/fixtures';

const diabetes: Condition = {
  resourceType: 'Condition',
  id: 'dm',
  subject: { reference: 'Patient/p1' },
  clinicalStatus: { coding: [{ code: 'active' }] },
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] },
  recordedDate: '2024-01-10',
};

/** A diabetic aged 62 whose newest HbA1c and UACR were measured `daysAgo` days before NOW. */
function diabetic(daysAgo: number) {
  return patientRecord(62, 'female', {
    conditions: [diabetes],
    observations: [
      lab('4548-4', 7.9, '%', daysAgo, 'a1c-newest'),
      lab('4548-4', 8.4, '%', daysAgo + 200, 'a1c-older'),
      lab('9318-7', 12, 'mg/g', daysAgo + 200, 'uacr-newest'),
      bp(128, 78, 20),
    ],
  });
}
const rec = (a: ReturnType<typeof assess>, ruleId: string) =>
  a.recommendations.find((r) => r.ruleId === ruleId);

describe('values older than a rule look-back are treated as missing, and say so', () => {
  it('orders an HbA1c when the newest is 9 months old, naming that value, its date and the 6-month look-back (ADA)', () => {
    const a = assess(diabetic(270), NOW);
    const testing = rec(a, 'a1c-testing');
    expect(testing?.staleInputs).toEqual([
      {
        analyte: 'a1c',
        label: 'HbA1c',
        value: 7.9,
        unit: '%',
        date: expect.stringMatching(/^2025-06-0[34]/),
        lookBackMonths: 6,
        findingId: expect.any(String),
        citationIds: ['ada-soc-2025-glycemic-goals'],
      },
    ]);
    // The stale value is not used as current: no "intensify" from a 9-month-old A1c above goal.
    expect(rec(a, 't2d-a1c-above-goal')).toBeUndefined();
    const detail = recommendationDetail(
      testing!,
      renderContext(a, { sourceLabel: 'Rationale', newUuid: () => 'u' }),
    );
    expect(detail).toMatch(
      /\*\*Treated as missing:\*\* HbA1c 7\.9 % of 2025-06-0[34] is older than the 6-month look-back/,
    );
    expect(detail.length).toBeLessThanOrEqual(600);
  });

  it('says the same of a UACR older than its 12-month look-back (ADA)', () => {
    const uacr = rec(assess(diabetic(270), NOW), 'uacr-testing');
    expect(uacr?.staleInputs?.map((s) => [s.label, s.value, s.lookBackMonths])).toEqual([['UACR', 12, 12]]);
  });

  it('uses an HbA1c inside the look-back and sets nothing aside', () => {
    const a = assess(diabetic(60), NOW);
    expect(rec(a, 'a1c-testing')).toBeUndefined();
    const intensify = rec(a, 't2d-a1c-above-goal');
    expect(intensify?.rationale).toMatch(/7\.9/);
    expect(intensify?.staleInputs).toBeUndefined();
  });

  it('says nothing of a look-back when there was never a value: "no A1c on record"', () => {
    const a = assess(
      patientRecord(62, 'female', { conditions: [diabetes], observations: [bp(128, 78, 20)] }),
      NOW,
    );
    const testing = rec(a, 'a1c-testing');
    expect(testing?.rationale).toMatch(/no A1c on record/);
    expect(testing?.staleInputs).toBeUndefined();
  });
});

describe('several values set aside on one card, and order-safety checks that set one aside', () => {
  const hfref: Condition = {
    ...diabetes,
    id: 'hf',
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I50.22' }] },
  };

  it('an MRA card with the LVEF, eGFR and potassium all older than their look-backs names each, in at most 600 characters', () => {
    const a = assess(
      patientRecord(66, 'male', {
        conditions: [hfref],
        observations: [
          lab('10230-1', 30, '%', 800, 'lvef-old'),
          lab('33914-3', 62, 'mL/min/{1.73_m2}', 800, 'egfr-old'),
          lab('2823-3', 4.2, 'mmol/L', 500, 'k-old'),
        ],
      }),
      NOW,
    );
    const mra = rec(a, 'hfref-mra');
    expect(mra?.title).toBe('Start an MRA once eGFR and potassium are confirmed');
    expect(mra?.staleInputs?.map((s) => [s.analyte, s.lookBackMonths])).toEqual([
      ['lvef', 24],
      ['egfr', 24],
      ['potassium', 12],
    ]);
    const detail = recommendationDetail(
      mra!,
      renderContext(a, { sourceLabel: 'Rationale', newUuid: () => 'u' }),
    );
    expect(detail).toMatch(
      /\*\*Treated as missing:\*\* LVEF 30 % of \S+ is older than the 24-month look-back; eGFR 62 mL\/min\/1\.73m² of \S+; potassium 4\.2 mmol\/L of \S+ \(12-month\)\./,
    );
    expect(detail.length).toBeLessThanOrEqual(600);
  });

  it('a metformin draft with only a 2-year-old eGFR of 25: "not current", not "contraindicated", naming the value', () => {
    const record = patientRecord(70, 'female', {
      conditions: [diabetes],
      observations: [lab('33914-3', 25, 'mL/min/{1.73_m2}', 730, 'egfr-2y')],
    });
    const a = assess(
      {
        ...record,
        draftOrders: [
          {
            resourceType: 'MedicationRequest',
            id: 'd1',
            status: 'draft',
            intent: 'proposal',
            subject: { reference: 'Patient/p1' },
            medicationCodeableConcept: {
              coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '861004' }],
            },
          },
        ],
      },
      NOW,
    );
    expect(a.safety.map((x) => [x.ruleId, x.contraindicated])).toEqual([
      ['renal-function-not-current', false],
    ]);
    const [alert] = a.safety;
    expect(alert?.staleInputs).toEqual([
      expect.objectContaining({
        analyte: 'egfr',
        value: 25,
        lookBackMonths: 12,
        citationIds: ['fda-2016-metformin-renal'],
      }),
    ]);
    const detail = safetyDetail(alert!, renderContext(a, { sourceLabel: 'Rationale', newUuid: () => 'u' }));
    expect(detail).toMatch(
      /\*\*Treated as missing:\*\* eGFR 25 mL\/min\/1\.73m² of \S+ is older than the 12-month look-back\./,
    );
    expect(detail).not.toMatch(/Patient data/);
    expect(detail.length).toBeLessThanOrEqual(600);
  });
});
