import type { Observation } from '@rationale/shared-types';
import { bp, condition, lab, NOW, patientRecord } from '../testing/fixtures';
import { ageAt, extractFacts } from './extract';
import { findAki, findPersistent } from './trends';
import { a1cIfccToNgsp, a1cNgspToIfcc, toCanonical } from './units';

describe('UCUM conversions', () => {
  it.each([
    ['glucose', 7, 'mmol/L', 7 * 18.016],
    ['total-cholesterol', 5, 'mmol/L', 5 * 38.67],
    ['ldl', 3, 'mmol/L', 3 * 38.67],
    ['triglycerides', 2, 'mmol/L', 2 * 88.57],
    ['creatinine', 88.42, 'umol/L', 1],
    ['creatinine', 176.84, 'µmol/L', 2],
    ['a1c', 53, 'mmol/mol', 0.09148 * 53 + 2.152],
    ['temperature', 98.6, '[degF]', 37],
    ['glucose', 126, 'mg/dL', 126],
  ] as const)('%s %d %s', (analyte, value, unit, expected) => {
    expect(toCanonical(analyte, value, unit)).toBeCloseTo(expected, 6);
  });
  it('refuses a unit it cannot convert rather than misread it', () => {
    expect(toCanonical('glucose', 7, 'g/L')).toBeUndefined();
  });
  it('round-trips HbA1c through the IFCC-NGSP master equation', () => {
    expect(a1cIfccToNgsp(a1cNgspToIfcc(7))).toBeCloseTo(7, 10);
    expect(a1cNgspToIfcc(6.5)).toBeCloseTo(47.54, 1);
  });
});

describe('ageAt', () => {
  it('counts whole years, the birthday itself included, and reads a year-only date as 1 January', () => {
    const now = new Date('2025-06-01T12:00:00Z');
    expect(ageAt('1960-06-01', now)).toBe(65);
    expect(ageAt('1960-06-02', now)).toBe(64);
    expect(ageAt('1960', now)).toBe(65);
  });
  it('gives no number for a birth date that is no date, rather than an age', () => {
    expect(ageAt('unknown', new Date('2025-06-01T12:00:00Z'))).toBeNaN();
  });
});

describe('extractFacts', () => {
  it('reads age, sex and blood-pressure components from both panel codes', () => {
    const facts = extractFacts(
      patientRecord(50, 'female', {
        observations: [bp(150, 95, 3, '85354-9', 'a'), bp(130, 85, 1, '55284-4', 'b')],
      }),
      NOW,
    );
    expect(facts.ageYears).toBe(50);
    expect(facts.sex).toBe('female');
    expect(facts.labs.get('sbp')?.map((v) => v.value)).toEqual([130, 150]);
    expect(facts.labs.get('dbp')?.map((v) => v.findingId)).toEqual(['obs-b-dbp', 'obs-a-dbp']);
  });

  it('keeps active conditions as recorded and resolved ones as history only', () => {
    const facts = extractFacts(
      patientRecord(60, 'male', {
        conditions: [
          condition('38341003', 'active', 'snomed', 'c1'),
          condition('44054006', 'resolved', 'snomed', 'c2'),
        ],
      }),
      NOW,
    );
    expect(facts.recordedConditions.has('htn')).toBe(true);
    expect(facts.recordedConditions.has('t2d')).toBe(false);
    expect(facts.findings.find((f) => f.id === 'cond-c2-t2d')?.code).toBe('history:t2d');
    expect(facts.findings.find((f) => f.id === 'cond-c1-htn')?.sources).toEqual([
      { reference: 'Condition/c1', display: undefined },
    ]);
  });

  it('ignores observations dated after now and entered in error', () => {
    const future = lab('4548-4', 9, '%', -10, 'future');
    const wrong: Observation = { ...lab('4548-4', 9, '%', 5, 'wrong'), status: 'entered-in-error' };
    const facts = extractFacts(
      patientRecord(50, 'male', { observations: [future, wrong, lab('4548-4', 5.5, '%', 5, 'ok')] }),
      NOW,
    );
    expect(facts.labs.get('a1c')?.map((v) => v.findingId)).toEqual(['obs-ok']);
  });

  it('detects pregnancy from a pregnancy-status observation and from a positive hCG', () => {
    const status: Observation = {
      resourceType: 'Observation',
      id: 'preg',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '82810-3' }] },
      effectiveDateTime: '2026-02-20',
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '77386006' }] },
    };
    const hcg: Observation = {
      resourceType: 'Observation',
      id: 'hcg',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2106-3' }] },
      effectiveDateTime: '2026-02-20',
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '10828004' }] },
    };
    expect(extractFacts(patientRecord(30, 'female', { observations: [status] }), NOW).pregnant).toBe(true);
    expect(extractFacts(patientRecord(30, 'female', { observations: [hcg] }), NOW).pregnant).toBe(true);
    expect(extractFacts(patientRecord(30, 'female'), NOW).pregnant).toBe(false);
  });

  it('reads the latest smoking status', () => {
    const smoke = (id: string, code: string, date: string): Observation => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '72166-2' }] },
      effectiveDateTime: date,
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code }] },
    });
    const facts = extractFacts(
      patientRecord(50, 'male', {
        observations: [smoke('s1', '449868002', '2020-01-01'), smoke('s2', '8517006', '2025-01-01')],
      }),
      NOW,
    );
    expect(facts.currentSmoker).toBe(false);
  });

  it('classifies active medications with the drug knowledge base', () => {
    const facts = extractFacts(
      patientRecord(50, 'male', {
        medicationRequests: [
          {
            resourceType: 'MedicationRequest',
            id: 'm1',
            status: 'active',
            intent: 'order',
            subject: { reference: 'Patient/p1' },
            medicationCodeableConcept: {
              coding: [
                { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '6809', display: 'metformin' },
              ],
            },
          },
          {
            resourceType: 'MedicationRequest',
            id: 'm2',
            status: 'stopped',
            intent: 'order',
            subject: { reference: 'Patient/p1' },
            medicationCodeableConcept: { text: 'atorvastatin 40 mg' },
          },
        ],
      }),
      NOW,
    );
    expect(facts.medications).toHaveLength(1);
    expect(facts.medications[0]?.classes).toContain('biguanide');
  });

  it('derives persistent eGFR < 60 only when two values are ≥ 90 days apart with none normal between', () => {
    const facts = extractFacts(
      patientRecord(70, 'female', {
        observations: [
          lab('33914-3', 55, 'mL/min/{1.73_m2}', 200, 'e1'),
          lab('33914-3', 65, 'mL/min/{1.73_m2}', 100, 'e2'),
          lab('33914-3', 50, 'mL/min/{1.73_m2}', 5, 'e3'),
        ],
      }),
      NOW,
    );
    expect(facts.findings.some((f) => f.code === 'egfr-lt-60-persistent')).toBe(false);
    const values = facts.labs.get('egfr') ?? [];
    expect(
      findPersistent(
        values.filter((v) => v.findingId !== 'obs-e2'),
        (v) => v < 60,
      )?.earlier.findingId,
    ).toBe('obs-e1');
  });

  it('applies KDIGO AKI: ≥ 0.3 mg/dL within 48 h, ≥ 1.5× within 7 days, not slower', () => {
    const series = (pairs: Array<[number, number]>) =>
      extractFacts(
        patientRecord(70, 'male', {
          observations: pairs.map(([v, d], i) => lab('2160-0', v, 'mg/dL', d, `c${i}`)),
        }),
        NOW,
      ).labs.get('creatinine') ?? [];
    expect(
      findAki(
        series([
          [1.0, 2],
          [1.3, 0.5],
        ]),
      )?.criterion,
    ).toBe('absolute');
    expect(
      findAki(
        series([
          [1.0, 6],
          [1.5, 0],
        ]),
      )?.criterion,
    ).toBe('relative');
    expect(
      findAki(
        series([
          [1.0, 6],
          [1.3, 0],
        ]),
      ),
    ).toBeUndefined();
    expect(
      findAki(
        series([
          [1.0, 10],
          [2.0, 0],
        ]),
      ),
    ).toBeUndefined();
    expect(
      findAki(
        series([
          [1.0, 3],
          [3.1, 0],
        ]),
      )?.stage,
    ).toBe(3);
  });
});

describe('reference ranges', () => {
  it("keeps a result's own reference range, converted to the canonical unit", () => {
    const glucose: Observation = {
      ...lab('2345-7', 5.5, 'mmol/L', 3),
      referenceRange: [
        {
          low: { value: 3.9, unit: 'mmol/L', code: 'mmol/L' },
          high: { value: 5.6, unit: 'mmol/L', code: 'mmol/L' },
        },
      ],
    };
    const facts = extractFacts(patientRecord(50, 'female', { observations: [glucose] }), NOW);
    const finding = facts.findings.find((f) => f.code === 'glucose');
    expect(finding?.referenceRange?.low).toBeCloseTo(3.9 * 18.016, 3);
    expect(finding?.referenceRange?.high).toBeCloseTo(5.6 * 18.016, 3);
  });
  it('leaves the range out when the result has none', () => {
    const facts = extractFacts(
      patientRecord(50, 'female', { observations: [lab('2345-7', 99, 'mg/dL', 3)] }),
      NOW,
    );
    expect(facts.findings.find((f) => f.code === 'glucose')).not.toHaveProperty('referenceRange');
  });
});
