/**
 * Score inputs audited against their publications, one test per input definition: CHA₂DS₂-VASc
 * (Lip et al., Chest 2010), HAS-BLED (Pisters et al., Chest 2010), the Pooled Cohort Equations
 * (Goff et al., 2013 ACC/AHA risk assessment guideline) and PREVENT (Khan et al., Circulation 2024).
 */
import type { Assessment, Condition, Observation } from '@rationale/shared-types';
import { assess } from '../assess';
import { bp, condition, lab, NOW, patientRecord } from '../testing/fixtures';

const af = () => condition('49436004');
const score = (a: Assessment, id: string) => a.scores.find((s) => s.id === id);
const inputOf = (a: Assessment, id: string, label: string) =>
  score(a, id)?.inputs.find((i) => i.label === label)?.value;
const icd = (code: string, status: 'active' | 'resolved' = 'active'): Condition =>
  condition(code, status, 'icd10');

function cha(age: number, sex: 'female' | 'male', conditions: Condition[], observations: Observation[] = []) {
  return assess(patientRecord(age, sex, { conditions: [af(), ...conditions], observations }), NOW);
}

describe('CHA2DS2-VASc inputs (Lip 2010)', () => {
  it('counts prior stroke, TIA or thromboembolism as 2 points', () => {
    for (const c of [icd('I63.9'), icd('G45.9'), icd('Z86.73'), icd('I74.3'), condition('230690007')]) {
      expect(score(cha(50, 'male', [c]), 'cha2ds2-vasc')?.value).toBe(2);
    }
  });

  it('counts a stroke recorded as resolved: the input is a history, not an active problem', () => {
    expect(score(cha(50, 'male', [icd('I63.9', 'resolved')]), 'cha2ds2-vasc')?.value).toBe(2);
  });

  it('does not count a hemorrhagic stroke as the stroke/TIA/thromboembolism input', () => {
    expect(inputOf(cha(50, 'male', [icd('I61.9')]), 'cha2ds2-vasc', 'Stroke/TIA/thromboembolism')).toBe('no');
  });

  it('counts vascular disease for prior myocardial infarction, also when resolved', () => {
    expect(score(cha(50, 'male', [icd('I21.4', 'resolved')]), 'cha2ds2-vasc')?.value).toBe(1);
    expect(score(cha(50, 'male', [condition('22298006')]), 'cha2ds2-vasc')?.value).toBe(1);
  });

  it('counts vascular disease for peripheral artery disease and aortic plaque', () => {
    expect(score(cha(50, 'male', [icd('I70.212')]), 'cha2ds2-vasc')?.value).toBe(1);
    expect(score(cha(50, 'male', [icd('I73.9')]), 'cha2ds2-vasc')?.value).toBe(1);
    expect(score(cha(50, 'male', [icd('I70.0')]), 'cha2ds2-vasc')?.value).toBe(1);
  });

  it('does not count angina or coronary disease without MI as vascular disease', () => {
    expect(inputOf(cha(50, 'male', [icd('I20.9')]), 'cha2ds2-vasc', 'Vascular disease')).toBe('no');
  });

  it('does not count a stroke as vascular disease as well (2 points, not 3)', () => {
    expect(score(cha(50, 'male', [icd('I63.9')]), 'cha2ds2-vasc')?.value).toBe(2);
  });

  it('scores age 65-74 as 1 and 75 or older as 2', () => {
    expect(score(cha(64, 'male', []), 'cha2ds2-vasc')?.value).toBe(0);
    expect(score(cha(65, 'male', []), 'cha2ds2-vasc')?.value).toBe(1);
    expect(score(cha(75, 'male', []), 'cha2ds2-vasc')?.value).toBe(2);
  });

  it('scores female sex 1', () => {
    expect(score(cha(50, 'female', []), 'cha2ds2-vasc')?.value).toBe(1);
  });

  it('scores heart failure of any ejection fraction 1', () => {
    expect(score(cha(50, 'male', [icd('I50.32')]), 'cha2ds2-vasc')?.value).toBe(1);
  });

  it('scores hypertension and diabetes 1 each', () => {
    expect(score(cha(50, 'male', [icd('I10')]), 'cha2ds2-vasc')?.value).toBe(1);
    expect(score(cha(50, 'male', [icd('E11.9')]), 'cha2ds2-vasc')?.value).toBe(1);
  });
});

describe('HAS-BLED inputs (Pisters 2010)', () => {
  const hb = (a: Assessment, key: string) => inputOf(a, 'has-bled', key);
  it('counts a bleeding history, also resolved, and a bleeding diathesis', () => {
    expect(hb(cha(50, 'male', [icd('K92.2', 'resolved')]), 'bleeding')).toBe('yes');
    expect(hb(cha(50, 'male', [icd('D68.311')]), 'bleeding')).toBe('yes');
  });
  it('counts dialysis as abnormal renal function', () => {
    expect(hb(cha(50, 'male', [icd('Z99.2')]), 'abnormalRenal')).toBe('yes');
  });
  it('counts creatinine of 200 umol/L (2.26 mg/dL) or more as abnormal renal function', () => {
    expect(hb(cha(50, 'male', [], [lab('2160-0', 2.3, 'mg/dL', 10)]), 'abnormalRenal')).toBe('yes');
    expect(hb(cha(50, 'male', [], [lab('2160-0', 1.9, 'mg/dL', 10)]), 'abnormalRenal')).toBe('no');
  });
  it('counts age over 65 as elderly', () => {
    expect(hb(cha(65, 'male', []), 'elderly')).toBe('no');
    expect(hb(cha(66, 'male', []), 'elderly')).toBe('yes');
  });
  it('counts systolic BP over 160 as uncontrolled hypertension', () => {
    expect(hb(cha(50, 'male', [], [bp(165, 90, 5)]), 'uncontrolledHypertension')).toBe('yes');
    expect(hb(cha(50, 'male', [], [bp(158, 90, 5)]), 'uncontrolledHypertension')).toBe('no');
  });
});

describe('Pooled Cohort Equations and PREVENT: for people without clinical ASCVD', () => {
  const lipids = () => [
    lab('2093-3', 213, 'mg/dL', 10),
    lab('2085-9', 50, 'mg/dL', 10),
    bp(120, 80, 10),
    lab('98979-8', 90, 'mL/min/{1.73_m2}', 10),
  ];
  it('computes both for a 55-year-old without cardiovascular disease', () => {
    const a = assess(patientRecord(55, 'male', { observations: lipids() }), NOW);
    expect(score(a, 'pce-ascvd-10y')).toBeDefined();
  });
  it('does not compute them after a myocardial infarction recorded as resolved', () => {
    const a = assess(
      patientRecord(55, 'male', { conditions: [icd('I21.4', 'resolved')], observations: lipids() }),
      NOW,
    );
    expect(score(a, 'pce-ascvd-10y')).toBeUndefined();
    expect(a.scores.some((s) => s.id.startsWith('prevent'))).toBe(false);
  });
  it('counts type 1 diabetes as diabetes', () => {
    const a = assess(patientRecord(55, 'male', { conditions: [icd('E10.9')], observations: lipids() }), NOW);
    expect(inputOf(a, 'pce-ascvd-10y', 'Diabetes')).toBe('yes');
  });
});
