import { pceIndividualSum, pceRisk, type PceGroup } from './pce';
import { preventRisk, isPreventInputValid } from './prevent';
import { fib4, fib4Band } from './fib4';
import {
  bmiClass,
  cha2ds2Vasc,
  ckdEpi2021,
  cockcroftGault,
  hasBled,
  kdigoAlbuminuriaCategory,
  kdigoGfrCategory,
  news2,
  qsofa,
  sirs,
} from './simple';

describe('Pooled Cohort Equations (Goff et al. 2013, worked example)', () => {
  // Guideline example: age 55, TC 213, HDL 50, untreated SBP 120, non-smoker, no diabetes. The
  // published sums are rounded from intermediate values, so sums match to ±0.01 and risks to 0.1 pt.
  it.each<[PceGroup, number, number]>([
    ['white-female', -29.67, 0.021],
    ['african-american-female', 86.16, 0.03],
    ['white-male', 60.69, 0.053],
    ['african-american-male', 18.97, 0.061],
  ])('%s: individual sum %d and 10-year risk %d', (group, sum, risk) => {
    const input = {
      group,
      age: 55,
      totalCholesterol: 213,
      hdl: 50,
      sbp: 120,
      treatedBp: false,
      smoker: false,
      diabetes: false,
    };
    expect(Math.abs(pceIndividualSum(input) - sum)).toBeLessThanOrEqual(0.011);
    expect(Math.abs(pceRisk(input) - risk)).toBeLessThan(0.001);
  });

  it('raises risk for smoking, diabetes and treated BP', () => {
    const base = {
      group: 'white-male' as const,
      age: 60,
      totalCholesterol: 200,
      hdl: 45,
      sbp: 140,
      treatedBp: false,
      smoker: false,
      diabetes: false,
    };
    expect(pceRisk({ ...base, smoker: true })).toBeGreaterThan(pceRisk(base));
    expect(pceRisk({ ...base, diabetes: true })).toBeGreaterThan(pceRisk(base));
    expect(pceRisk({ ...base, treatedBp: true })).toBeGreaterThan(pceRisk(base));
  });
});

describe('PREVENT base model (Khan et al. 2024)', () => {
  // Worked example from the preventr package tests: age 50, SBP 160 on treatment, TC 200, HDL 45,
  // diabetes, non-smoker, eGFR 90, no statin.
  const example = {
    age: 50,
    totalCholesterol: 200,
    hdl: 45,
    sbp: 160,
    diabetes: true,
    smoker: false,
    egfr: 90,
    antihypertensive: true,
    statin: false,
  };
  it.each([
    ['female', 0.147, 0.092],
    ['male', 0.163, 0.102],
  ] as const)('%s: total CVD %d, ASCVD %d', (sex, cvd, ascvd) => {
    expect(preventRisk('cvd', { ...example, sex })).toBeCloseTo(cvd, 3);
    expect(preventRisk('ascvd', { ...example, sex })).toBeCloseTo(ascvd, 3);
  });

  it('accepts only the calculator input ranges', () => {
    expect(isPreventInputValid({ ...example, sex: 'female' })).toBe(true);
    expect(isPreventInputValid({ ...example, sex: 'female', age: 29 })).toBe(false);
    expect(isPreventInputValid({ ...example, sex: 'female', egfr: 10 })).toBe(false);
  });
});

describe('CKD-EPI 2021 creatinine equation (Inker et al. 2021)', () => {
  it.each([
    // Hand-computed from the published equation.
    [1.0, 50, 'female', 142 * Math.pow(1 / 0.7, -1.2) * Math.pow(0.9938, 50) * 1.012],
    [0.6, 40, 'female', 142 * Math.pow(0.6 / 0.7, -0.241) * Math.pow(0.9938, 40) * 1.012],
    [1.2, 70, 'male', 142 * Math.pow(1.2 / 0.9, -1.2) * Math.pow(0.9938, 70)],
    [0.8, 30, 'male', 142 * Math.pow(0.8 / 0.9, -0.302) * Math.pow(0.9938, 30)],
  ] as const)('Scr %d, age %d, %s', (scr, age, sex, expected) => {
    expect(ckdEpi2021(scr, age, sex)).toBeCloseTo(expected, 8);
  });

  it('gives about 69 for a 50-year-old woman with creatinine 1.0 mg/dL and 92 for a man', () => {
    expect(Math.round(ckdEpi2021(1.0, 50, 'female'))).toBe(69);
    expect(Math.round(ckdEpi2021(1.0, 50, 'male'))).toBe(92);
  });
});

describe('KDIGO staging', () => {
  it.each([
    [95, 'G1'],
    [90, 'G1'],
    [89.9, 'G2'],
    [60, 'G2'],
    [59, 'G3a'],
    [45, 'G3a'],
    [44, 'G3b'],
    [30, 'G3b'],
    [29, 'G4'],
    [15, 'G4'],
    [14, 'G5'],
  ] as const)('eGFR %d → %s', (egfr, g) => expect(kdigoGfrCategory(egfr)).toBe(g));
  it.each([
    [10, 'A1'],
    [29.9, 'A1'],
    [30, 'A2'],
    [300, 'A2'],
    [301, 'A3'],
  ] as const)('UACR %d → %s', (uacr, a) => expect(kdigoAlbuminuriaCategory(uacr)).toBe(a));
});

describe('Cockcroft-Gault', () => {
  it('computes (140 − age) × weight / (72 × Scr), × 0.85 for women', () => {
    expect(cockcroftGault(60, 72, 1.0, 'male')).toBeCloseTo(80, 8);
    expect(cockcroftGault(60, 72, 1.0, 'female')).toBeCloseTo(68, 8);
  });
});

describe('BMI class (WHO/CDC)', () => {
  it.each([
    [18.4, 'Underweight'],
    [18.5, 'Healthy weight'],
    [24.9, 'Healthy weight'],
    [25, 'Overweight'],
    [29.9, 'Overweight'],
    [30, 'Obesity class 1'],
    [35, 'Obesity class 2'],
    [40, 'Obesity class 3'],
  ] as const)('%d → %s', (bmi, cls) => expect(bmiClass(bmi)).toBe(cls));
});

describe('FIB-4 (Sterling et al. 2006)', () => {
  it('computes age × AST / (platelets × √ALT)', () => {
    expect(fib4(50, 40, 25, 200)).toBeCloseTo((50 * 40) / (200 * 5), 10);
  });
  it.each([
    [1.29, 'low'],
    [1.3, 'indeterminate'],
    [2.66, 'indeterminate'],
    [2.67, 'high'],
  ] as const)('band at %d is %s', (v, band) => expect(fib4Band(v)).toBe(band));
});

describe('CHA2DS2-VASc (Lip et al. 2010)', () => {
  const none = {
    heartFailure: false,
    hypertension: false,
    age: 50,
    diabetes: false,
    strokeTiaThromboembolism: false,
    vascularDisease: false,
    female: false,
  };
  it.each([
    ['nothing', none, 0],
    ['female sex', { ...none, female: true }, 1],
    ['age 65-74', { ...none, age: 70 }, 1],
    ['age ≥ 75', { ...none, age: 75 }, 2],
    ['stroke', { ...none, strokeTiaThromboembolism: true }, 2],
    [
      'every item',
      {
        heartFailure: true,
        hypertension: true,
        age: 80,
        diabetes: true,
        strokeTiaThromboembolism: true,
        vascularDisease: true,
        female: true,
      },
      9,
    ],
  ])('%s scores the expected points', (_label, input, score) => expect(cha2ds2Vasc(input)).toBe(score));
});

describe('HAS-BLED (Pisters et al. 2010)', () => {
  it('counts one point per item', () => {
    const none = {
      uncontrolledHypertension: false,
      abnormalRenal: false,
      abnormalLiver: false,
      stroke: false,
      bleeding: false,
      labileInr: false,
      elderly: false,
      drugs: false,
      alcohol: false,
    };
    expect(hasBled(none)).toBe(0);
    expect(hasBled({ ...none, elderly: true, drugs: true, stroke: true })).toBe(3);
  });
});

describe('qSOFA and SIRS', () => {
  it('qSOFA: RR ≥ 22, SBP ≤ 100, altered mentation', () => {
    expect(qsofa({ respRate: 22, sbp: 100, alteredMentation: true })).toBe(3);
    expect(qsofa({ respRate: 21, sbp: 101, alteredMentation: false })).toBe(0);
  });
  it('SIRS: temperature, heart rate, respiratory rate, WBC', () => {
    expect(sirs({ temperature: 38.5, heartRate: 95, respRate: 24, wbc: 13 })).toBe(4);
    expect(sirs({ temperature: 37, heartRate: 80, respRate: 16, wbc: 8 })).toBe(0);
    expect(sirs({ temperature: 35.5, wbc: 3.5 })).toBe(2);
  });
});

describe('NEWS2 (RCP 2017, chart 1, SpO2 scale 1)', () => {
  it('scores 0 for a patient whose every parameter is in the normal band', () => {
    const n = news2({
      respRate: 16,
      spo2: 97,
      sbp: 120,
      pulse: 70,
      alteredConsciousness: false,
      temperature: 37,
    });
    expect(n).toEqual({
      total: 0,
      singleThree: false,
      points: { respRate: 0, spo2: 0, oxygen: 0, sbp: 0, pulse: 0, consciousness: 0, temperature: 0 },
    });
  });

  it.each([
    // [parameter, value, points] at the band edges of the chart
    ['respRate', 8, 3],
    ['respRate', 9, 1],
    ['respRate', 11, 1],
    ['respRate', 12, 0],
    ['respRate', 20, 0],
    ['respRate', 21, 2],
    ['respRate', 24, 2],
    ['respRate', 25, 3],
    ['spo2', 91, 3],
    ['spo2', 92, 2],
    ['spo2', 94, 1],
    ['spo2', 96, 0],
    ['sbp', 90, 3],
    ['sbp', 91, 2],
    ['sbp', 101, 1],
    ['sbp', 111, 0],
    ['sbp', 219, 0],
    ['sbp', 220, 3],
    ['pulse', 40, 3],
    ['pulse', 41, 1],
    ['pulse', 51, 0],
    ['pulse', 91, 1],
    ['pulse', 111, 2],
    ['pulse', 131, 3],
    ['temperature', 35, 3],
    ['temperature', 35.1, 1],
    ['temperature', 36.1, 0],
    ['temperature', 38.1, 1],
    ['temperature', 39.1, 2],
  ] as const)('%s %d scores %d', (parameter, value, points) => {
    expect(news2({ [parameter]: value }).points[parameter]).toBe(points);
  });

  it('adds oxygen (2) and new confusion (3), and flags a single parameter scoring 3', () => {
    const n = news2({
      respRate: 24,
      spo2: 93,
      onOxygen: true,
      sbp: 98,
      pulse: 112,
      alteredConsciousness: true,
      temperature: 38.6,
    });
    // 2 + 2 + 2 + 2 + 2 + 3 + 1
    expect(n.total).toBe(14);
    expect(n.singleThree).toBe(true);
  });
});
