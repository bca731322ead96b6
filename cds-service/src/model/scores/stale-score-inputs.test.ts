import type { Condition, Observation } from '@rationale/shared-types';
import { recommendationDetail, renderContext } from '../../cards/render';
import { assess } from '../assess';
import { SCORE_LOOK_BACKS } from '../knowledge/score-look-backs';
import { bp, lab, NOW, patientRecord } from '../testing/fixtures';

/** Past the model's 24-month recency setting, the look-back of every score input (score-look-backs.ts). */
const OLD = 800;
const RECENT = 30;

const diabetes: Condition = {
  resourceType: 'Condition',
  id: 'dm',
  subject: { reference: 'Patient/p1' },
  clinicalStatus: { coding: [{ code: 'active' }] },
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] },
  recordedDate: '2024-01-10',
};

const hypertension: Condition = {
  ...diabetes,
  id: 'htn',
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10' }] },
};

type Input = 'tc' | 'hdl' | 'sbp';

/**
 * A man of 60 with LDL-C 150 mg/dL last month (no diabetes, no ASCVD): total cholesterol 240,
 * HDL-C 35 and systolic BP 150 give a Pooled Cohort Equations risk above 7.5%, so a statin is
 * recommended for primary prevention (2018 AHA/ACC cholesterol guideline). `old` inputs are
 * measured 800 days ago instead of last month.
 */
function primaryPrevention(old: Input[] = [], extra: Observation[] = [], conditions: Condition[] = []) {
  const days = (i: Input) => (old.includes(i) ? OLD : RECENT);
  return patientRecord(60, 'male', {
    conditions,
    observations: [
      lab('13457-7', 150, 'mg/dL', RECENT, 'ldl'),
      lab('2093-3', 240, 'mg/dL', days('tc'), 'tc'),
      lab('2085-9', 35, 'mg/dL', days('hdl'), 'hdl'),
      bp(150, 88, days('sbp'), '85354-9', 'bp'),
      ...extra,
    ],
  });
}

const LABELS: Record<Input, RegExp> = {
  tc: /^total cholesterol \(for PCE\)$/,
  hdl: /^HDL-C \(for PCE\)$/,
  sbp: /^systolic BP \(for PCE\)$/,
};

describe('a risk-score input older than its look-back is treated as missing, and the card says so', () => {
  it('with every input current, the PCE is computed and a primary-prevention statin recommended', () => {
    const a = assess(primaryPrevention(), NOW);
    expect(a.scores.find((s) => s.id === 'pce-ascvd-10y')?.value).toBeGreaterThanOrEqual(7.5);
    expect(a.recommendations.map((r) => r.ruleId)).toContain('statin-primary-prevention');
  });

  it.each<Input>(['tc', 'hdl', 'sbp'])(
    'a PCE input (%s) past its look-back: no PCE, no statin from it; the withheld rule names that input',
    (input) => {
      const a = assess(primaryPrevention([input]), NOW);
      // The PCE needs every input (Goff 2013): it is not computed from what is left.
      expect(a.scores.map((s) => s.id)).not.toContain('pce-ascvd-10y');
      expect(a.recommendations.map((r) => r.ruleId)).not.toContain('statin-primary-prevention');
      const withheld = a.unmetPremises?.find((u) => u.ruleId === 'statin-primary-prevention');
      const premises = withheld?.premises ?? [];
      expect(premises).toHaveLength(1);
      expect(premises[0]?.label).toMatch(/within the 24-month look-back/);
      expect(premises[0]?.label.replace(' within the 24-month look-back', '')).toMatch(LABELS[input]);
      expect(premises[0]?.detail).toMatch(/treated as missing/);
    },
  );

  it('a diabetic statin start says which PCE input is not current (the risk would set its intensity)', () => {
    const a = assess(primaryPrevention(['hdl'], [], [diabetes]), NOW);
    const statin = a.recommendations.find((r) => r.ruleId.startsWith('statin-diabetes'));
    expect(statin?.staleInputs?.map((s) => [s.label, s.value, s.lookBackMonths])).toEqual([
      ['HDL-C (for PCE)', 35, 24],
    ]);
    const detail = recommendationDetail(
      statin!,
      renderContext(a, { sourceLabel: 'Rationale', newUuid: () => 'u' }),
    );
    expect(detail).toMatch(
      /\*\*Treated as missing:\*\* HDL-C \(for PCE\) 35 mg\/dL of \d{4}-\d{2}-\d{2} is older than the 24-month look-back/,
    );
    expect(detail.length).toBeLessThanOrEqual(600);
  });

  it('the same diabetic with every input current: the PCE sets the intensity, nothing set aside', () => {
    const a = assess(primaryPrevention([], [], [diabetes]), NOW);
    const statin = a.recommendations.find((r) => r.ruleId.startsWith('statin-diabetes'));
    expect(statin?.rationale).toMatch(/Pooled Cohort/);
    expect(statin?.staleInputs).toBeUndefined();
  });

  it.each([
    [RECENT, true],
    [OLD, false],
  ])(
    'PREVENT decides a stage-1 BP start: eGFR %i days old → recommended %s; when old, withheld naming eGFR (for PREVENT)',
    (days, recommended) => {
      // A man of 72 with hypertension recorded, stage-1 readings and no other indication: the 2025
      // AHA/ACC BP guideline starts a drug at stage 1 when the PREVENT 10-year CVD risk is 7.5% or more.
      const a = assess(
        patientRecord(72, 'male', {
          conditions: [hypertension],
          observations: [
            lab('2093-3', 280, 'mg/dL', RECENT),
            lab('2085-9', 30, 'mg/dL', RECENT),
            lab('33914-3', 75, 'mL/min/{1.73_m2}', days, 'egfr'),
            bp(136, 82, 10),
            bp(134, 84, 40),
            bp(138, 80, 70),
          ],
        }),
        NOW,
      );
      expect(a.scores.some((s) => s.id === 'prevent-cvd-10y')).toBe(recommended);
      expect(a.recommendations.some((r) => r.ruleId === 'htn-start')).toBe(recommended);
      const withheld = a.unmetPremises?.find((u) => u.ruleId === 'htn-start');
      if (recommended) expect(withheld).toBeUndefined();
      else
        expect(withheld?.premises.map((p) => [p.label, p.detail])).toEqual([
          [
            'eGFR (for PREVENT) within the 24-month look-back',
            expect.stringMatching(/^last eGFR \(for PREVENT\) 75 mL\/min\/1\.73m² on .* treated as missing$/),
          ],
        ]);
    },
  );

  it('every declared score input names an analyte the record can carry, with a basis', () => {
    for (const [id, inputs] of Object.entries(SCORE_LOOK_BACKS)) {
      expect(inputs.length).toBeGreaterThan(0);
      for (const l of inputs) {
        expect(l.basis).toMatch(/model's recency setting|look-back/);
        expect(`${id}:${l.analyte}`).toMatch(/^[a-z0-9-]+:[a-z-]+$/);
      }
    }
  });
});
