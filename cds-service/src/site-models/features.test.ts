import { emptyRecord, type Patient, type PatientRecord, type Resource } from '@rationale/shared-types';
import { a1c } from '../test-support/fixtures';
import { featureVector } from './features';
import { featureSchema, type FeatureSpec } from './registry';

const NOW = new Date('2026-05-01T12:00:00Z');
const PATIENT: Patient = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1961-06-02' };

function glucose(id: string, value: number, unit: string, date: string): Resource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
    effectiveDateTime: date,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
}

function record(resources: Resource[], patient: Patient = PATIENT): PatientRecord {
  const r = emptyRecord(patient);
  for (const x of resources) {
    if (x.resourceType === 'Observation') r.observations.push(x);
    if (x.resourceType === 'Condition') r.conditions.push(x);
    if (x.resourceType === 'MedicationRequest') r.medicationRequests.push(x);
  }
  return r;
}

const A1CS = [
  a1c('a-old', 9.9, '2024-01-10'), // outside a 365-day window
  a1c('a1', 6.1, '2025-08-01'),
  a1c('a2', 7.4, '2026-04-12'),
  a1c('a3', 6.7, '2026-01-10'),
  a1c('a-future', 12, '2026-06-01'), // after "now": not yet known
];

const feature = (f: Partial<FeatureSpec> & { missing: number }): FeatureSpec =>
  featureSchema.parse({ name: 'f', ...f });

describe('featureVector', () => {
  it.each([
    ['latest', 7.4, ['Observation/a2']],
    ['min', 6.1, ['Observation/a1']],
    ['max', 7.4, ['Observation/a2']],
    ['mean', (6.1 + 7.4 + 6.7) / 3, ['Observation/a1', 'Observation/a2', 'Observation/a3']],
    ['count', 3, ['Observation/a1', 'Observation/a2', 'Observation/a3']],
    ['present', 1, ['Observation/a1', 'Observation/a2', 'Observation/a3']],
  ] as const)(
    'aggregates %s over the window, keeping the resources behind it',
    (aggregation, value, refs) => {
      const f = feature({ valueSet: 'a1c', window: 365, aggregation, unit: '%', missing: -1 });
      const [v] = featureVector(record(A1CS), { features: [f] }, NOW).features;
      expect(v?.value).toBeCloseTo(value, 10);
      expect(v?.missing).toBe(false);
      expect(v?.sources.map((s) => s.reference)).toEqual(refs);
    },
  );

  it('reads the whole record when no window is given, never past now', () => {
    const f = feature({ loinc: ['4548-4'], aggregation: 'max', unit: '%', missing: -1 });
    const [v] = featureVector(record(A1CS), { features: [f] }, NOW).features;
    expect(v?.value).toBe(9.9);
    expect(v?.sources).toEqual([{ reference: 'Observation/a-old' }]);
  });

  it('gives the declared missing value, and says so, when the window holds nothing', () => {
    const f = feature({ valueSet: 'a1c', window: 10, aggregation: 'latest', unit: '%', missing: 5.6 });
    const out = featureVector(record(A1CS), { features: [f] }, NOW);
    expect(out.values).toEqual([5.6]);
    expect(out.features[0]).toMatchObject({ missing: true, sources: [] });
    const counted = feature({ valueSet: 'a1c', window: 10, aggregation: 'count', missing: 0 });
    expect(featureVector(record(A1CS), { features: [counted] }, NOW).values).toEqual([0]);
  });

  it('converts units through the terminology layer, and ignores a value it cannot convert', () => {
    const resources = [
      glucose('g1', 7, 'mmol/L', '2026-04-01'),
      glucose('g2', 100, 'mg/dL', '2026-03-01'),
      glucose('g3', 5, 'furlongs', '2026-04-20'),
    ];
    const f = feature({ valueSet: 'glucose', window: 365, aggregation: 'max', unit: 'mg/dL', missing: 0 });
    const [v] = featureVector(record(resources), { features: [f] }, NOW).features;
    expect(v?.value).toBeCloseTo(7 * 18.016, 6);
    expect(v?.sources).toEqual([{ reference: 'Observation/g1' }]);
    expect(v?.unitMismatches).toBe(1);
    // IFCC mmol/mol HbA1c is read as NGSP %: 53 mmol/mol ≈ 7.0 %.
    const ifcc: Resource = {
      ...a1c('i1', 53, '2026-04-30'),
      valueQuantity: { value: 53, unit: 'mmol/mol', code: 'mmol/mol' },
    } as Resource;
    const latest = feature({ valueSet: 'a1c', window: 365, aggregation: 'latest', unit: '%', missing: 0 });
    expect(featureVector(record([...A1CS, ifcc]), { features: [latest] }, NOW).values[0]).toBeCloseTo(7.0, 1);
  });

  it('counts conditions of a concept group through every coding, and ignores refuted ones', () => {
    const t2d = (id: string, coding: { system: string; code: string }, extra: object = {}): Resource => ({
      resourceType: 'Condition',
      id,
      code: { coding: [coding] },
      subject: { reference: 'Patient/p1' },
      onsetDateTime: '2025-02-01',
      ...extra,
    });
    const resources = [
      t2d('c1', { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }),
      t2d('c2', { system: 'http://snomed.info/sct', code: '104961000119108' }),
      t2d(
        'c3',
        { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.65' },
        { verificationStatus: { coding: [{ code: 'refuted' }] } },
      ),
    ];
    const present = feature({ valueSet: 't2d', aggregation: 'present', missing: 0 });
    const count = feature({ name: 'n', valueSet: 't2d', aggregation: 'count', missing: 0 });
    const out = featureVector(record(resources), { features: [present, count] }, NOW);
    expect(out.values).toEqual([1, 2]);
    expect(out.features[1]?.sources.map((s) => s.reference)).toEqual(['Condition/c1', 'Condition/c2']);
  });

  it('reads age and sex from the Patient, and the missing value when they are absent', () => {
    const age = feature({ name: 'age', demographic: 'age-years', missing: 50 });
    const female = feature({ name: 'female', demographic: 'female', missing: 0.5 });
    const male = feature({ name: 'male', demographic: 'male', missing: 0.5 });
    // Born 1961-06-02: 64 on 2026-05-01, a month before the 65th birthday.
    expect(featureVector(record([]), { features: [age, female, male] }, NOW).values).toEqual([64, 1, 0]);
    const unknown = featureVector(
      record([], { resourceType: 'Patient', id: 'p2' }),
      { features: [age, female] },
      NOW,
    );
    expect(unknown.values).toEqual([50, 0.5]);
    expect(unknown.features.every((f) => f.missing)).toBe(true);
  });

  it('keeps the declared order of the features in the vector', () => {
    const features = [
      feature({ name: 'a1c', valueSet: 'a1c', aggregation: 'latest', unit: '%', missing: 0 }),
      feature({ name: 'age', demographic: 'age-years', missing: 0 }),
      feature({ name: 'n', loinc: ['4548-4'], window: 365, aggregation: 'count', missing: 0 }),
    ];
    expect(featureVector(record(A1CS), { features }, NOW).values).toEqual([7.4, 64, 3]);
  });
});
