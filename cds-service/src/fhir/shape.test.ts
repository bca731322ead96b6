import { draftOrderResources, findMalformed } from './shape';

const obs = (over: Record<string, unknown>) => ({
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
  valueQuantity: { value: 6.1, unit: '%' },
  effectiveDateTime: '2024-01-01',
  ...over,
});

describe('FHIR datatype shapes the model relies on', () => {
  it('accepts well-formed resources, Codings with string codes, and Encounter.class as a Coding', () => {
    expect(findMalformed([obs({})])).toBeUndefined();
    expect(
      findMalformed([
        {
          resourceType: 'Encounter',
          id: 'e',
          class: { system: 'x', code: 'AMB' },
          meta: { tag: [{ code: 't' }] },
        },
        { resourceType: 'Organization', id: 'org', name: 'Clinic' },
      ]),
    ).toBeUndefined();
  });

  it.each([
    [{ code: { coding: { system: 'x' } } }, 'Observation/o1.code.coding', 'must be an array'],
    [{ code: 'abc' }, 'Observation/o1.code', 'must be a CodeableConcept'],
    [{ code: { coding: [{ code: 7 }] } }, 'Observation/o1.code.coding[0].code', 'must be a string'],
    [{ valueQuantity: { value: '6.1' } }, 'Observation/o1.valueQuantity.value', 'must be a number'],
    [{ effectiveDateTime: 20240101 }, 'Observation/o1.effectiveDateTime', 'must be a date string'],
    [{ component: [{ code: 5 }] }, 'Observation/o1.component[0].code', 'must be a CodeableConcept'],
    [{ category: {} }, 'Observation/o1.category', 'must be an array'],
  ])('names the element that breaks a datatype rule: %j', (over, where, problem) => {
    expect(findMalformed([obs(over)])).toEqual({ where, problem });
  });

  it('refuses non-objects and reads draft order entries as sent', () => {
    expect(findMalformed([42])).toEqual({ where: '(resource)', problem: 'must be a JSON object' });
    expect(draftOrderResources({ entry: [{ resource: obs({}) as never }] })).toHaveLength(1);
    expect(draftOrderResources({ entry: 'nope' } as never)).toEqual([]);
  });
});
