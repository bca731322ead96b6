import {
  displayUnit,
  formatHypothesisLikelihood,
  formatProbability,
  formatProbabilityRange,
  STATUS_LABEL,
  URGENCY_LABEL,
} from './format';

describe('one vocabulary, one set of numbers', () => {
  it('never shows an estimate as 0% or 100%', () => {
    expect(formatProbability(0.997)).toBe('>99%');
    expect(formatProbability(1)).toBe('100%');
    expect(formatProbability(0.004)).toBe('<1%');
    expect(formatProbability(0)).toBe('0%');
    expect(formatProbability(0.724)).toBe('72%');
    expect(formatProbabilityRange(0.075, 0.2)).toBe('8–20%');
  });

  it('shows a recorded condition as recorded, not as a model probability', () => {
    expect(formatHypothesisLikelihood({ status: 'recorded', posterior: 0.02 })).toBe('Recorded');
    expect(formatHypothesisLikelihood({ status: 'suggested', posterior: 0.81 })).toBe('81%');
  });

  it('has one word per status and per urgency class', () => {
    expect(STATUS_LABEL).toEqual({
      recorded: 'Recorded',
      suggested: 'Suggested',
      possible: 'Possible',
      unlikely: 'Unlikely',
    });
    expect(Object.keys(URGENCY_LABEL)).toEqual(['cant-miss', 'order-safety', 'chronic-gap', 'screening']);
  });
});

describe('displayUnit', () => {
  it('shows UCUM units as labels read them, and leaves others as they are', () => {
    expect(displayUnit('mL/min/{1.73_m2}')).toBe('mL/min/1.73m²');
    expect(displayUnit('mm[Hg]')).toBe('mmHg');
    expect(displayUnit('mg/dL')).toBe('mg/dL');
  });
});
