import { directionOf, formatDate, formatLikelihoodRatio, formatPercent, shortHash } from './format';
import { summarizeResource } from './resource-summary';

describe('formats', () => {
  it.each([
    ['2026-03-02', '2 Mar 2026'],
    ['2026-03-02T14:05:00Z', '2 Mar 2026, 14:05'],
    ['2026-03', 'Mar 2026'],
    [undefined, 'date unknown'],
  ])('formats %s as %s, as recorded', (iso, text) => expect(formatDate(iso)).toBe(text));

  it('writes likelihood ratios as odds multipliers with a direction', () => {
    expect(formatLikelihoodRatio(2.4)).toBe('×2.4');
    expect(formatLikelihoodRatio(0.3)).toBe('×0.3');
    expect(formatLikelihoodRatio(12.4)).toBe('×12');
    expect(formatLikelihoodRatio(0.048)).toBe('×0.048');
    expect([directionOf(2.4), directionOf(0.3), directionOf(1)]).toEqual(['raises', 'lowers', 'neutral']);
  });

  it('never rounds a small probability to 0% or a large one to 100%', () => {
    expect(formatPercent(0.004)).toBe('<1%');
    expect(formatPercent(0.996)).toBe('>99%');
    expect(formatPercent(0.555)).toBe('56%');
  });

  it('shortens the knowledge-base hash', () => expect(shortHash('sha256:9f2c1ab07e55')).toBe('9f2c1ab0'));
});

describe('summarizeResource', () => {
  it('reads a Condition’s code, status and onset', () => {
    const summary = summarizeResource({
      resourceType: 'Condition',
      id: 'c1',
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }],
      },
      clinicalStatus: { coding: [{ code: 'active', display: 'Active' }] },
      onsetDateTime: '2019-05-01',
    });
    expect(summary.title).toBe('Diabetes mellitus type 2');
    expect(summary.fields).toEqual(
      expect.arrayContaining([
        { label: 'Clinical status', value: 'Active' },
        { label: 'Onset', value: '1 May 2019' },
        { label: 'Codes', value: 'SNOMED CT 44054006' },
      ]),
    );
  });

  it('reads a MedicationRequest’s drug and dosage, and survives a resource with nothing in it', () => {
    const med = summarizeResource({
      resourceType: 'MedicationRequest',
      id: 'm1',
      status: 'active',
      medicationCodeableConcept: { text: 'metformin 500 mg' },
      dosageInstruction: [{ text: 'twice daily' }],
    });
    expect(med.title).toBe('metformin 500 mg');
    expect(med.fields).toContainEqual({ label: 'Dosage', value: 'twice daily' });
    expect(summarizeResource({ resourceType: 'Observation', id: 'x' })).toEqual({
      resourceType: 'Observation',
      title: 'Observation',
      fields: [{ label: 'Resource', value: 'Observation/x' }],
    });
  });
});
