import type { Hypothesis, PatientRecord } from '@rationale/shared-types';
import { buildDifferential, expectedChange } from './differential';
import { deriveFindings } from './findings/derived';
import { extractFacts } from './findings/extract';
import { DEFAULT_MODEL_SETTINGS } from './settings';
import { bp, condition, lab, NOW, patientRecord, symptomObservation } from './testing/fixtures';

function differential(record: PatientRecord) {
  const facts = extractFacts(record, NOW);
  const derived = deriveFindings(facts, DEFAULT_MODEL_SETTINGS.labRecencyMonths);
  facts.findings.push(...derived.findings);
  return buildDifferential(facts, DEFAULT_MODEL_SETTINGS, derived.present);
}
const find = (hs: Hypothesis[], id: string) => hs.find((h) => h.conditionId === id);
const statusOf = (record: PatientRecord, id: string) =>
  find(differential(record).hypotheses, id)?.status ?? 'absent';

const obs = (...o: PatientRecord['observations']) => ({ observations: o });

describe('differential: each condition suggested from data, not from normal data', () => {
  const cases: Array<[string, string, PatientRecord, string, string?]> = [
    [
      't2d',
      'HbA1c 7.1% and 7.4% months apart',
      patientRecord(55, 'male', obs(lab('4548-4', 7.1, '%', 200), lab('4548-4', 7.4, '%', 10))),
      'suggested',
    ],
    [
      't2d',
      'IFCC HbA1c 58 and 60 mmol/mol',
      patientRecord(55, 'male', obs(lab('4548-4', 58, 'mmol/mol', 200), lab('4548-4', 60, 'mmol/mol', 10))),
      'suggested',
    ],
    [
      't2d',
      'fasting glucose 7.5 and 7.8 mmol/L',
      patientRecord(55, 'male', obs(lab('1558-6', 7.5, 'mmol/L', 100), lab('1558-6', 7.8, 'mmol/L', 5))),
      'suggested',
    ],
    [
      't2d',
      'a single HbA1c of 6.8% (probable; criteria need confirmation)',
      patientRecord(55, 'male', obs(lab('4548-4', 6.8, '%', 10))),
      'possible',
    ],
    ['t2d', 'normal HbA1c', patientRecord(55, 'male', obs(lab('4548-4', 5.2, '%', 10))), 'absent'],
    ['prediabetes', 'HbA1c 6.0%', patientRecord(50, 'female', obs(lab('4548-4', 6.0, '%', 10))), 'suggested'],
    ['prediabetes', 'HbA1c 5.3%', patientRecord(50, 'female', obs(lab('4548-4', 5.3, '%', 10))), 'absent'],
    [
      'htn',
      'average 146/92 over three visits',
      patientRecord(50, 'male', obs(bp(148, 94, 300), bp(144, 90, 150), bp(146, 92, 5))),
      'suggested',
      'Stage 2',
    ],
    [
      'htn',
      'average 142/86 in 55284-4 panels',
      patientRecord(50, 'male', obs(bp(142, 86, 200, '55284-4'), bp(142, 86, 20, '55284-4'))),
      'suggested',
      'Stage 2',
    ],
    [
      'htn',
      'an ACC/AHA stage 1 average of 134/82 at 65: shown, below the 140/90 definition',
      patientRecord(65, 'male', obs(bp(134, 82, 200), bp(134, 82, 20))),
      'unlikely',
      'Stage 1 (ACC/AHA), confirm with home or ambulatory readings',
    ],
    ['htn', 'one high reading only', patientRecord(50, 'male', obs(bp(150, 95, 5))), 'absent'],
    ['htn', 'average 118/76', patientRecord(50, 'male', obs(bp(118, 76, 200), bp(116, 74, 5))), 'absent'],
    [
      'hyperlipidemia',
      'LDL 5.2 mmol/L (201 mg/dL, severe by ACC/AHA 2018)',
      patientRecord(50, 'male', obs(lab('18262-6', 5.2, 'mmol/L', 30))),
      'suggested',
    ],
    [
      'hyperlipidemia',
      'LDL 4.5 mmol/L (174 mg/dL, NCEP high but below 190)',
      patientRecord(50, 'male', obs(lab('18262-6', 4.5, 'mmol/L', 30))),
      'possible',
    ],
    [
      'hyperlipidemia',
      'LDL 110 mg/dL',
      patientRecord(50, 'male', obs(lab('18262-6', 110, 'mg/dL', 30))),
      'absent',
    ],
    [
      'fh',
      'LDL 260 mg/dL',
      patientRecord(40, 'female', obs(lab('18262-6', 260, 'mg/dL', 30))),
      'suggested',
      'Possible (DLCN 3-5)',
    ],
    ['fh', 'LDL 150 mg/dL', patientRecord(40, 'female', obs(lab('18262-6', 150, 'mg/dL', 30))), 'absent'],
    [
      'ckd',
      'eGFR 52 and 49, 4 months apart',
      patientRecord(
        68,
        'female',
        obs(lab('33914-3', 52, 'mL/min/{1.73_m2}', 130), lab('98979-8', 49, 'mL/min/{1.73_m2}', 10)),
      ),
      'suggested',
      'G3a',
    ],
    [
      'ckd',
      'UACR 45 and 60 mg/g, 5 months apart',
      patientRecord(
        60,
        'male',
        obs(lab('14959-1', 45, 'mg/g', 160), lab('14959-1', 60, 'mg/g', 5), lab('33914-3', 80, 'mL/min', 5)),
      ),
      'suggested',
      'G2 A2',
    ],
    [
      'ckd',
      'eGFR 52 and 49, 3 weeks apart (not chronic)',
      patientRecord(
        68,
        'female',
        obs(lab('33914-3', 52, 'mL/min/{1.73_m2}', 30), lab('33914-3', 49, 'mL/min/{1.73_m2}', 10)),
      ),
      'possible',
    ],
    [
      'ckd',
      'eGFR 85',
      patientRecord(68, 'female', obs(lab('33914-3', 85, 'mL/min/{1.73_m2}', 10))),
      'absent',
    ],
    ['hfref', 'LVEF 32%', patientRecord(70, 'male', obs(lab('10230-1', 32, '%', 60))), 'suggested'],
    ['hfref', 'LVEF 55%', patientRecord(70, 'male', obs(lab('10230-1', 55, '%', 60))), 'absent'],
    [
      'obesity',
      'BMI 36.2',
      patientRecord(45, 'female', obs(lab('39156-5', 36.2, 'kg/m2', 20))),
      'suggested',
      'Class 2',
    ],
    ['obesity', 'BMI 24', patientRecord(45, 'female', obs(lab('39156-5', 24, 'kg/m2', 20))), 'absent'],
    [
      'anemia-iron-deficiency',
      'Hb 10.1, ferritin 8, MCV 72',
      patientRecord(
        45,
        'female',
        obs(lab('718-7', 10.1, 'g/dL', 5), lab('2276-4', 8, 'ng/mL', 5), lab('787-2', 72, 'fL', 5)),
      ),
      'suggested',
      'Moderate',
    ],
    [
      'anemia',
      'Hb 11.5 in a man with ferritin 250',
      patientRecord(70, 'male', obs(lab('718-7', 11.5, 'g/dL', 5), lab('2276-4', 250, 'ng/mL', 5))),
      'suggested',
      'Mild',
    ],
    [
      'anemia',
      'Hb 12.5 in a woman',
      patientRecord(45, 'female', obs(lab('718-7', 12.5, 'g/dL', 5))),
      'absent',
    ],
    [
      'hypothyroidism',
      'TSH 9.2, free T4 0.6',
      patientRecord(60, 'female', obs(lab('3016-3', 9.2, 'm[IU]/L', 5), lab('3024-7', 0.6, 'ng/dL', 5))),
      'suggested',
      'Overt',
    ],
    [
      'hypothyroidism',
      'TSH 2.1',
      patientRecord(60, 'female', obs(lab('3016-3', 2.1, 'm[IU]/L', 5))),
      'absent',
    ],
    [
      'hyperthyroidism',
      'TSH 0.02, free T4 2.9',
      patientRecord(40, 'female', obs(lab('3016-3', 0.02, 'm[IU]/L', 5), lab('3024-7', 2.9, 'ng/dL', 5))),
      'suggested',
      'Overt',
    ],
    [
      'aki',
      'creatinine 0.9 → 1.5 in 2 days',
      patientRecord(70, 'male', obs(lab('2160-0', 0.9, 'mg/dL', 3), lab('2160-0', 1.5, 'mg/dL', 1))),
      'suggested',
      'KDIGO stage 1',
    ],
    [
      'aki',
      'creatinine 80 → 230 µmol/L in 5 days',
      patientRecord(70, 'male', obs(lab('14682-9', 80, 'umol/L', 6), lab('14682-9', 230, 'umol/L', 1))),
      'suggested',
      'KDIGO stage 2',
    ],
    [
      'aki',
      'stable creatinine',
      patientRecord(70, 'male', obs(lab('2160-0', 1.0, 'mg/dL', 3), lab('2160-0', 1.1, 'mg/dL', 1))),
      'absent',
    ],
    [
      'hyperkalemia',
      'potassium 5.8',
      patientRecord(70, 'male', obs(lab('2823-3', 5.8, 'mmol/L', 1))),
      'suggested',
      'Moderate (5.5-5.9)',
    ],
    [
      'hyperkalemia',
      'potassium 4.5',
      patientRecord(70, 'male', obs(lab('2823-3', 4.5, 'mmol/L', 1))),
      'absent',
    ],
    [
      'hyponatremia',
      'sodium 128',
      patientRecord(80, 'female', obs(lab('2951-2', 128, 'mmol/L', 1))),
      'suggested',
      'Moderate (125-129)',
    ],
    [
      'masld-fibrosis',
      'FIB-4 3.6',
      patientRecord(
        60,
        'male',
        obs(lab('1920-8', 60, 'U/L', 5), lab('1742-6', 25, 'U/L', 5), lab('777-3', 100, '10*3/uL', 5)),
      ),
      'suggested',
      'High risk (FIB-4 ≥ 2.67)',
    ],
    [
      'masld-fibrosis',
      'FIB-4 0.8',
      patientRecord(
        45,
        'male',
        obs(lab('1920-8', 20, 'U/L', 5), lab('1742-6', 25, 'U/L', 5), lab('777-3', 230, '10*3/uL', 5)),
      ),
      'absent',
    ],
    ['copd', 'FEV1/FVC 0.62', patientRecord(65, 'male', obs(lab('19926-5', 62, '%', 30))), 'suggested'],
    [
      'depression',
      'PHQ-9 of 14',
      patientRecord(35, 'female', obs(lab('44261-6', 14, '{score}', 3))),
      'suggested',
      'Moderate (10-14)',
    ],
    [
      'anxiety',
      'GAD-7 of 12 and anxiety (posterior 0.49, below the 0.6 threshold)',
      patientRecord(35, 'female', obs(lab('70274-6', 12, '{score}', 3), symptomObservation('48694002'))),
      'unlikely',
    ],
  ];
  it.each(cases)('%s from %s → %s', (conditionId, _label, record, status, ...rest) => {
    const stage = rest[0];
    const h = find(differential(record).hypotheses, conditionId);
    expect(h?.status ?? 'absent').toBe(status);
    if (stage) expect(h?.stage).toBe(stage);
    if (h && status === 'suggested') {
      expect(h.rationale).toMatch(/\d/);
      expect(h.codes[0]?.system).toBe('http://snomed.info/sct');
    }
  });

  it('keeps ADA criteria unmet for a single diabetic-range HbA1c', () => {
    const h = find(
      differential(patientRecord(55, 'male', obs(lab('4548-4', 6.8, '%', 10)))).hypotheses,
      't2d',
    );
    expect(h?.criteria?.met).toBe(false);
    expect(h?.posterior).toBeGreaterThan(0.6);
  });

  it('atrial fibrillation from an ECG observation coded 49436004', () => {
    const ecg = {
      resourceType: 'Observation' as const,
      id: 'ecg1',
      status: 'final' as const,
      code: { coding: [{ system: 'http://loinc.org', code: '8601-7' }] },
      effectiveDateTime: '2026-02-01',
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '49436004' }] },
    };
    expect(statusOf(patientRecord(72, 'male', obs(ecg)), 'af')).toBe('suggested');
    expect(statusOf(patientRecord(72, 'male'), 'af')).toBe('absent');
  });
});

describe('differential: recorded conditions', () => {
  it('marks a condition on the problem list recorded (SNOMED or ICD-10); a resolved one is history evidence, not recorded', () => {
    expect(statusOf(patientRecord(60, 'male', { conditions: [condition('44054006')] }), 't2d')).toBe(
      'recorded',
    );
    expect(
      statusOf(patientRecord(60, 'male', { conditions: [condition('E11.9', 'active', 'icd10')] }), 't2d'),
    ).toBe('recorded');
    expect(
      statusOf(patientRecord(60, 'male', { conditions: [condition('44054006', 'resolved')] }), 't2d'),
    ).toBe('possible');
  });

  it('states the CKD numbers and the interval in the rationale', () => {
    const record = patientRecord(
      68,
      'female',
      obs(lab('33914-3', 52, 'mL/min/{1.73_m2}', 130), lab('33914-3', 49, 'mL/min/{1.73_m2}', 10)),
    );
    const h = find(differential(record).hypotheses, 'ckd');
    expect(h?.rationale).toContain('eGFR 52 and 49 mL/min/1.73m², 4 months apart');
    expect(h?.criteria?.met).toBe(true);
  });
});

describe('differential: symptom-level reasoning', () => {
  it('ranks acute decompensated heart failure first for dyspnea, orthopnea and edema with HF history', () => {
    const record = patientRecord(75, 'male', {
      conditions: [condition('88805009')],
      observations: [
        symptomObservation('267036007'),
        symptomObservation('62744007'),
        symptomObservation('267038008'),
      ],
    });
    const { hypotheses } = differential(record);
    const top = hypotheses.filter((h) => h.status !== 'recorded')[0];
    expect(top?.conditionId).toBe('adhf');
    // prior 0.05 → odds 0.0526 × dyspnea 2 × HF history 5.8 × orthopnea 2.2 × edema 2.3
    const expected = (0.05 / 0.95) * 2 * 5.8 * 2.2 * 2.3;
    expect(top?.posterior).toBeCloseTo(expected / (1 + expected), 5);
    expect(top?.contributions.map((c) => c.findingCode)).toEqual(
      expect.arrayContaining([
        'history-heart-failure',
        'symptom:orthopnea',
        'symptom:edema',
        'symptom:dyspnea',
      ]),
    );
  });

  it('lowers pneumonia when cough is recorded as absent', () => {
    const withCough = find(
      differential(
        patientRecord(40, 'female', obs(symptomObservation('386661006'), symptomObservation('49727002'))),
      ).hypotheses,
      'pneumonia',
    );
    const noCough = find(
      differential(
        patientRecord(
          40,
          'female',
          obs(symptomObservation('386661006'), symptomObservation('49727002', false)),
        ),
      ).hypotheses,
      'pneumonia',
    );
    expect(withCough?.posterior).toBeGreaterThan(noCough?.posterior ?? 1);
    expect(noCough?.contributions.find((c) => c.findingCode === 'symptom:cough')?.likelihoodRatio).toBe(0.31);
  });

  it('counts one finding per correlated group', () => {
    const record = patientRecord(55, 'male', obs(lab('4548-4', 7.1, '%', 200), lab('4548-4', 7.4, '%', 10)));
    const h = find(differential(record).hypotheses, 't2d');
    expect(h?.contributions.filter((c) => c.group === 'a1c')).toHaveLength(1);
    expect(h?.contributions.find((c) => c.group === 'a1c')?.likelihoodRatio).toBe(100);
  });

  it('proposes the test that would move the leading hypotheses most, with its LOINC code', () => {
    const record = patientRecord(
      75,
      'male',
      obs(symptomObservation('267036007'), symptomObservation('267038008')),
    );
    const { nextBestTests } = differential(record);
    expect(nextBestTests.length).toBeGreaterThan(0);
    const bnp = nextBestTests.find((t) => t.id === 'nbt-bnp');
    expect(bnp?.code?.code).toBe('30934-4');
    expect(bnp?.conditionIds).toContain('adhf');
    const sorted = [...nextBestTests].sort((a, b) => b.expectedChange - a.expectedChange);
    expect(nextBestTests).toEqual(sorted);
  });

  it('offers no test whose normal result a first-line treatment explains (an LDL-C on a statin)', () => {
    const onDrug = (text: string) =>
      patientRecord(55, 'male', {
        medicationRequests: [
          {
            resourceType: 'MedicationRequest',
            id: 'mr-1',
            status: 'active',
            intent: 'order',
            subject: { reference: 'Patient/p1' },
            medicationCodeableConcept: { text },
            authoredOn: '2023-04-01',
          },
        ],
      });
    // Suggested from the drug, with no lipid panel or HbA1c on record: the estimate is open, yet a
    // normal value on the drug would count for nothing, so neither test could settle it.
    const statin = differential(onDrug('Simvastatin 20 MG Oral Tablet'));
    expect(find(statin.hypotheses, 'hyperlipidemia')?.status).toBe('suggested');
    expect(statin.nextBestTests.filter((t) => t.conditionIds.includes('hyperlipidemia'))).toEqual([]);
    const metformin = differential(onDrug('Metformin 500 MG Oral Tablet'));
    expect(find(metformin.hypotheses, 't2d')?.status).toBe('suggested');
    expect(metformin.nextBestTests.filter((t) => t.conditionIds.includes('t2d'))).toEqual([]);
  });
});

describe('expectedChange', () => {
  it('is zero for an uninformative test and grows with the likelihood ratios', () => {
    expect(expectedChange(0.3, 1, 1)).toBe(0);
    // A normal result that counts for nothing (LR− 1, as under a first-line treatment) settles nothing.
    expect(expectedChange(0.9, 20, 1)).toBe(0);
    expect(expectedChange(0.3, 10, 0.1)).toBeGreaterThan(expectedChange(0.3, 2, 0.5));
  });
  it('matches the hand computation for p = 0.5, LR+ 4, LR− 0.25', () => {
    // spec = 3/3.75 = 0.8, sens = 0.8; P(+) = 0.5; p+ = 0.8, p− = 0.2 → 0.5·0.3 + 0.5·0.3 = 0.3
    expect(expectedChange(0.5, 4, 0.25)).toBeCloseTo(0.3, 10);
  });
});

describe('differential: thresholds for the app plots', () => {
  it('gives a lab-defined contribution the analyte, comparison and value that define it', () => {
    const hs = differential(
      patientRecord(58, 'male', obs(lab('4548-4', 7.1, '%', 200), lab('4548-4', 7.4, '%', 20))),
    ).hypotheses;
    const a1c = find(hs, 't2d')?.contributions.find((c) => c.findingCode === 'a1c-ge-6.5-twice');
    expect(a1c?.threshold).toEqual({ analyte: 'a1c', op: '>=', value: 6.5, unit: '%' });
  });
  it('gives a derived contribution (eGFR below 60 for over 3 months) the threshold it applies', () => {
    const hs = differential(
      patientRecord(
        58,
        'male',
        obs(lab('98979-8', 52, 'mL/min/{1.73_m2}', 130), lab('98979-8', 49, 'mL/min/{1.73_m2}', 10)),
      ),
    ).hypotheses;
    const egfr = find(hs, 'ckd')?.contributions.find((c) => c.findingCode === 'egfr-lt-60-persistent');
    expect(egfr?.threshold).toMatchObject({ analyte: 'egfr', op: '<', value: 60 });
  });
});
