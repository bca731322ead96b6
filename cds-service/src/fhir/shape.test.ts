import { emptyRecord, type Patient } from '@rationale/shared-types';
import { MAX_ISSUES, readPatientRecord, readResources } from './shape';

const obs = (over: Record<string, unknown>) => ({
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
  valueQuantity: { value: 6.1, unit: '%' },
  effectiveDateTime: '2024-01-01',
  ...over,
});

const med = (over: Record<string, unknown>) => ({
  resourceType: 'MedicationRequest',
  id: 'm1',
  status: 'draft',
  intent: 'order',
  medicationCodeableConcept: {
    coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1049630' }],
  },
  dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }] }],
  ...over,
});

describe('reading FHIR resources liberally', () => {
  it('returns well-formed resources as they are, without copying', () => {
    const o = obs({});
    const r = readResources([o, { resourceType: 'Organization', id: 'org', name: 'Clinic' }]);
    expect(r.resources[0]).toBe(o);
    expect(r.resources).toHaveLength(2);
    expect(r.issues).toEqual([]);
  });

  it.each([
    [
      'category as one object (the cds-hooks sandbox)',
      med({ category: { text: 'outpatient' } }),
      'category',
      [{ text: 'outpatient' }],
    ],
    [
      'doseAndRate as one object (cds-hooks.org R4 examples)',
      med({ dosageInstruction: [{ doseAndRate: { doseQuantity: { value: 2 } } }] }),
      'dosageInstruction',
      [{ doseAndRate: [{ doseQuantity: { value: 2 } }] }],
    ],
    [
      'performer as a single Reference (R4 MedicationRequest)',
      med({ performer: { reference: 'Practitioner/1' } }),
      'performer',
      { reference: 'Practitioner/1' },
    ],
    [
      'Reference.identifier as a single Identifier',
      med({ requester: { identifier: { system: 's', value: 'v' } } }),
      'requester',
      { identifier: { system: 's', value: 'v' } },
    ],
    ['dosageInstruction: [null]', med({ dosageInstruction: [null] }), 'dosageInstruction', []],
  ])('reads %s without an issue', (_, resource, key, expected) => {
    const r = readResources<Record<string, unknown>>([resource]);
    expect(r.issues).toEqual([]);
    expect(r.resources[0]?.[key]).toEqual(expected);
  });

  it('reads AllergyIntolerance.reaction.severity as the code R4 makes it', () => {
    const allergy = {
      resourceType: 'AllergyIntolerance',
      id: 'a1',
      code: { text: 'penicillin' },
      reaction: [{ manifestation: [{ text: 'rash' }], severity: 'severe' }],
    };
    const r = readResources([allergy]);
    expect(r).toEqual({ resources: [allergy], issues: [] });
  });

  it('drops null components and ignores a malformed element not needed, naming it', () => {
    const r = readResources<Record<string, unknown>>([
      obs({ component: [null, { code: { text: 'x' }, valueQuantity: { value: 'high' } }], issued: 5 }),
    ]);
    expect(r.resources[0]?.component).toEqual([{ code: { text: 'x' } }]);
    expect(r.resources[0]).not.toHaveProperty('issued');
    expect(r.issues).toEqual([
      { kind: 'element-ignored', where: 'Observation/o1.issued', problem: 'must be a string' },
      {
        kind: 'element-ignored',
        where: 'Observation/o1.component[1].valueQuantity.value',
        problem: 'must be a number',
      },
    ]);
  });

  it.each([
    ['medicationCodeableConcept: {text: 5}', med({ medicationCodeableConcept: { text: 5 } })],
    ['medicationCodeableConcept as a string', med({ medicationCodeableConcept: 'aspirin' })],
  ])('skips a MedicationRequest whose medication cannot be read: %s', (_, resource) => {
    const r = readResources([resource]);
    expect(r.resources).toEqual([]);
    expect(r.issues).toEqual([
      expect.objectContaining({ kind: 'resource-skipped', where: 'MedicationRequest/m1' }),
    ]);
  });

  it.each([
    [{ code: 'abc' }, 'code must be a JSON object'],
    [{ code: { coding: [{ code: 7 }] } }, 'code.coding[0].code must be a string'],
  ])('skips an Observation whose code cannot be read: %j', (over, problem) => {
    expect(readResources([obs(over)])).toEqual({
      resources: [],
      issues: [{ kind: 'resource-skipped', where: 'Observation/o1', problem }],
    });
  });

  it('keeps a Coding list readable when one of its Codings is not an object', () => {
    const r = readResources<Record<string, unknown>>([
      obs({ code: { coding: ['x', { system: 'http://loinc.org', code: '4548-4' }] } }),
    ]);
    expect(r.resources[0]?.code).toEqual({ coding: [{ system: 'http://loinc.org', code: '4548-4' }] });
    expect(r.issues).toEqual([
      { kind: 'element-ignored', where: 'Observation/o1.code.coding[0]', problem: 'must be a JSON object' },
    ]);
  });

  it('skips what is not a resource and leaves inputs untouched', () => {
    const input = [42, null, { id: 'x' }, obs({ valueQuantity: { value: '6.1' } })];
    const before = JSON.stringify(input);
    const r = readResources(input);
    expect(r.resources).toHaveLength(1);
    expect(r.issues.filter((i) => i.kind === 'resource-skipped')).toHaveLength(2);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('reads contained Medications one level deep', () => {
    const r = readResources<Record<string, unknown>>([
      med({
        medicationCodeableConcept: undefined,
        medicationReference: { reference: '#c1' },
        contained: {
          resourceType: 'Medication',
          id: 'c1',
          code: { text: 'x' },
          contained: [{ resourceType: 'Medication' }],
        },
      }),
    ]);
    expect(r.resources[0]?.contained).toEqual([
      {
        resourceType: 'Medication',
        id: 'c1',
        code: { text: 'x' },
        contained: [{ resourceType: 'Medication' }],
      },
    ]);
  });
});

describe('reading a whole record', () => {
  const patient = {
    resourceType: 'Patient',
    id: 'p1',
    birthDate: 19700101,
    gender: 'female',
  } as unknown as Patient;

  it('repairs the Patient but never skips it, and reads every list', () => {
    const record = {
      ...emptyRecord(patient),
      observations: [obs({ code: 5 })],
      draftOrders: [med({ category: {} })],
    };
    const r = readPatientRecord(record as never);
    expect(r.record.patient).toEqual({ resourceType: 'Patient', id: 'p1', gender: 'female' });
    expect(r.record.observations).toEqual([]);
    expect(r.record.draftOrders).toHaveLength(1);
    expect(r.issues.map((i) => i.kind)).toEqual(['element-ignored', 'resource-skipped']);
  });

  it(`lists at most ${MAX_ISSUES} issues and counts the rest`, () => {
    const many = Array.from({ length: 50 }, (_, i) => obs({ id: `o${i}`, issued: i }));
    const r = readPatientRecord({
      ...emptyRecord({ resourceType: 'Patient', id: 'p1' }),
      observations: many as never,
    });
    expect(r.record.observations).toHaveLength(50);
    expect(r.issues).toHaveLength(MAX_ISSUES + 1);
    expect(r.issues[MAX_ISSUES]?.problem).toBe('30 more data-quality issues not listed');
  });
});
