import { classifyAllergy, classifyMedication, statinIntensity } from './index';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

describe('classifyMedication', () => {
  it.each([
    [[{ system: RX, code: '617311' }], undefined, 'atorvastatin', ['statin', 'statin-high-intensity']],
    [[{ system: RX, code: '1364445' }], undefined, 'apixaban', ['doac', 'oral-anticoagulant']],
    [[{ system: RX, code: '1656340' }], undefined, 'sacubitril/valsartan', ['arni', 'raas-inhibitor']],
    [[], 'simvastatin 10 MG Oral Tablet', 'simvastatin', ['statin-low-intensity', 'statin-cyp3a4-substrate']],
    [[], 'Jardiance 10 mg', 'empagliflozin', ['sglt2i', 'sglt2i-proven-benefit']],
    [[], '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', 'metformin', ['biguanide']],
    [
      [],
      'Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet',
      'acetaminophen / oxycodone',
      ['opioid', 'analgesic-nonopioid'],
    ],
    [
      [],
      'hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet',
      'hydrochlorothiazide / lisinopril',
      ['thiazide', 'acei'],
    ],
    [[], '24 HR metoprolol succinate 50 MG', 'metoprolol', ['beta-blocker-hfref']],
  ])('classifies %j %s as %s', (codings, text, ingredient, classes) => {
    const c = classifyMedication(codings, text);
    expect(c?.ingredient).toBe(ingredient);
    expect(c?.classes).toEqual(expect.arrayContaining(classes));
  });

  it('does not take metoprolol tartrate for the evidence-based succinate', () => {
    expect(classifyMedication([], 'metoprolol tartrate 25 MG Oral Tablet')?.classes).not.toContain(
      'beta-blocker-hfref',
    );
  });

  it('does not read valsartan out of sacubitril/valsartan as a separate ARB', () => {
    expect(classifyMedication([], 'sacubitril 49 MG / valsartan 51 MG Oral Tablet')?.classes).not.toContain(
      'arb',
    );
  });

  it('returns undefined for an unknown drug and ignores codes of other systems', () => {
    expect(classifyMedication([], 'unobtainium')).toBeUndefined();
    expect(classifyMedication([{ system: 'http://snomed.info/sct', code: '617311' }])).toBeUndefined();
    expect(classifyMedication([], 'unobtainium')).toBeUndefined(); // remembered as unknown
  });

  it('answers a repeated question the same, and a caller changing its answer changes nothing', () => {
    const first = classifyMedication([], 'hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet');
    first?.classes.push('changed-by-caller');
    first?.ingredients?.push('changed-by-caller');
    const again = classifyMedication([], 'hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet');
    expect(again?.classes).not.toContain('changed-by-caller');
    expect(again?.ingredients).toEqual(['hydrochlorothiazide', 'lisinopril']);
    // Same text, different coding: a different question.
    expect(
      classifyMedication(
        [{ system: RX, code: '617311' }],
        'hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet',
      )?.ingredient,
    ).toBe('atorvastatin');
  });

  it('does not answer a remembered question for codings that only read alike', () => {
    expect(classifyMedication([{ system: RX, code: '617311' }], 'tablet')?.ingredient).toBe('atorvastatin');
    // The same characters split differently between system and code: no RxNorm code at all.
    expect(classifyMedication([{ system: `${RX}617311` }], 'tablet')).toBeUndefined();
    expect(classifyMedication([{ system: RX }, { code: '617311' }], 'tablet')?.ingredient).toBe(
      'atorvastatin',
    );
    // A malformed coding whose code is not a string is its own question.
    const malformed = [{ system: RX, code: ['617311'] }] as unknown as Parameters<
      typeof classifyMedication
    >[0];
    expect(classifyMedication(malformed, 'tablet')).toBeUndefined();
  });
});

describe('statinIntensity (2018 AHA/ACC Table 3)', () => {
  it.each([
    ['atorvastatin', 10, 'moderate'],
    ['atorvastatin', 40, 'high'],
    ['rosuvastatin', 5, 'moderate'],
    ['rosuvastatin', 20, 'high'],
    ['simvastatin', 10, 'low'],
    ['simvastatin', 40, 'moderate'],
    ['pravastatin', 20, 'low'],
    ['pravastatin', 40, 'moderate'],
  ])('%s %i mg/day is %s intensity', (ingredient, mg, expected) => {
    expect(statinIntensity(ingredient, mg)).toBe(expected);
  });
  it('is undefined for a non-statin or an unknown dose', () => {
    expect(statinIntensity('lisinopril', 10)).toBeUndefined();
    expect(statinIntensity('atorvastatin', undefined)).toBeUndefined();
  });
});

describe('classifyAllergy', () => {
  it.each([
    ['Penicillin V', ['penicillin']],
    ['Allergy to penicillin', ['penicillin']],
    ['Sulfa drugs', ['sulfonamide-antibiotic']],
    ['cephalexin', ['cephalosporin']],
    ['ibuprofen', ['nsaid']],
    ['lisinopril', ['acei']],
  ])('%s covers %j', (text, classes) => {
    expect(classifyAllergy([], text).classes).toEqual(classes);
  });
  it('does not extend a penicillin allergy to cephalosporins (handled with nuance by order safety)', () => {
    expect(classifyAllergy([], 'amoxicillin').classes).not.toContain('cephalosporin');
  });
  it('returns no classes for a non-drug allergen', () => {
    expect(classifyAllergy([], 'Peanut')).toEqual({ classes: [], ingredients: [] });
  });
});
