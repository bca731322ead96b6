import type { Hypothesis, Score } from '@rationale/shared-types';
import { RULE_LOOK_BACKS } from '../knowledge/treatment/look-backs';
import { rule } from '../knowledge/treatment/rules';
import { DEFAULT_MODEL_SETTINGS } from '../settings';
import { recommend, recommendWithExclusions } from './index';
import { buildFacts, score, suggested, type FactsSpec, type LabSpec } from './test-facts';

/**
 * One patient per (rule, analyte) a rule declares a look-back for: the rule fires with the value
 * current (a test-ordering rule: with the value old). `lab(value)` is the analyte's value at the
 * age under test; every other value is current.
 */
interface LookBackCase {
  spec: (lab: (value: number) => LabSpec) => FactsSpec;
  scores?: Score[];
  hypotheses?: Hypothesis[];
}

const HF = (lab: (v: number) => LabSpec, analyte: string, meds: string[] = []): FactsSpec => ({
  age: 60,
  sex: 'male',
  conditions: ['hfref'],
  meds,
  labs: {
    lvef: analyte === 'lvef' ? lab(30) : 30,
    potassium: analyte === 'potassium' ? lab(4.4) : 4.4,
    egfr: analyte === 'egfr' ? lab(62) : 62,
  },
});
const APIXABAN = (lab: (v: number) => LabSpec, analyte: string, meds: FactsSpec['meds'] = []): FactsSpec => ({
  age: 82,
  sex: 'female',
  conditions: ['af'],
  meds,
  labs: {
    weight: analyte === 'weight' ? lab(55) : 55,
    creatinine: analyte === 'creatinine' ? lab(1.6) : 1.6,
  },
});
const ON_APIXABAN_5 = [{ text: 'apixaban 5 MG Oral Tablet', dailyDoseMg: 10 }];
const BP = (lab: (v: number) => LabSpec, analyte: string, meds: string[] = []): FactsSpec => {
  const two = (a: number, b: number) => {
    const first = lab(a);
    return [first, { value: b, daysAgo: (first.daysAgo ?? 10) + 30 }];
  };
  return {
    age: 50,
    conditions: ['htn'],
    meds,
    labs: {
      sbp: analyte === 'sbp' ? two(152, 150) : [{ value: 152 }, { value: 150, daysAgo: 40 }],
      dbp: analyte === 'dbp' ? two(96, 95) : [{ value: 96 }, { value: 95, daysAgo: 40 }],
    },
  };
};

const CASES: Record<string, LookBackCase> = {
  'statin-secondary-prevention:ldl': {
    spec: (lab) => ({ age: 62, sex: 'male', conditions: ['ascvd'], labs: { ldl: lab(130) } }),
  },
  'statin-ldl-190:ldl': { spec: (lab) => ({ age: 35, labs: { ldl: lab(195) } }) },
  'statin-diabetes-40-75:ldl': {
    spec: (lab) => ({ age: 55, conditions: ['t2d'], labs: { ldl: lab(110) } }),
    scores: [score('pce-ascvd-10y', 5.1, '%')],
  },
  'statin-diabetes-40-75:uacr': {
    spec: (lab) => ({ age: 55, conditions: ['t2d'], labs: { ldl: 110, uacr: lab(12) } }),
    scores: [score('pce-ascvd-10y', 5.1, '%')],
  },
  'statin-diabetes-high-risk:ldl': {
    spec: (lab) => ({ age: 60, conditions: ['t2d'], labs: { ldl: lab(120) } }),
    scores: [score('pce-ascvd-10y', 12, '%')],
  },
  'statin-diabetes-high-risk:uacr': {
    spec: (lab) => ({ age: 60, conditions: ['t2d'], labs: { ldl: 120, uacr: lab(12) } }),
    scores: [score('pce-ascvd-10y', 12, '%')],
  },
  'statin-primary-prevention:ldl': {
    spec: (lab) => ({ age: 58, labs: { ldl: lab(140) } }),
    scores: [score('pce-ascvd-10y', 12, '%')],
  },
  'statin-ckd-50:egfr': { spec: (lab) => ({ age: 55, conditions: ['ckd'], labs: { egfr: lab(48) } }) },
  'af-anticoagulation:weight': {
    spec: (lab) => APIXABAN(lab, 'weight'),
    scores: [score('cha2ds2-vasc', 4)],
  },
  'af-anticoagulation:creatinine': {
    spec: (lab) => APIXABAN(lab, 'creatinine'),
    scores: [score('cha2ds2-vasc', 4)],
  },
  'af-apixaban-dose:weight': {
    spec: (lab) => APIXABAN(lab, 'weight', ON_APIXABAN_5),
    scores: [score('cha2ds2-vasc', 4)],
  },
  'af-apixaban-dose:creatinine': {
    spec: (lab) => APIXABAN(lab, 'creatinine', ON_APIXABAN_5),
    scores: [score('cha2ds2-vasc', 4)],
  },
  'ckd-raasi-albuminuria:uacr': {
    spec: (lab) => ({ age: 60, conditions: ['ckd'], labs: { uacr: lab(400), potassium: 4.5, egfr: 50 } }),
  },
  'ckd-raasi-albuminuria:potassium': {
    spec: (lab) => ({ age: 60, conditions: ['ckd'], labs: { uacr: 400, potassium: lab(4.5), egfr: 50 } }),
  },
  'ckd-sglt2i:egfr': {
    spec: (lab) => ({ age: 60, conditions: ['ckd'], labs: { egfr: lab(40), uacr: 300 } }),
  },
  'ckd-sglt2i:uacr': {
    spec: (lab) => ({ age: 60, conditions: ['ckd', 't2d'], labs: { egfr: 40, uacr: lab(300), a1c: 6.5 } }),
  },
  'uacr-testing:uacr': {
    spec: (lab) => ({ age: 60, conditions: ['t2d'], labs: { uacr: lab(12), a1c: 6.5, egfr: 80 } }),
  },
  'a1c-testing:a1c': { spec: (lab) => ({ age: 60, conditions: ['t2d'], labs: { a1c: lab(6.8), uacr: 10 } }) },
  't2d-a1c-above-goal:a1c': {
    spec: (lab) => ({ age: 55, conditions: ['t2d'], labs: { a1c: lab(8.6), egfr: 80, uacr: 10 } }),
  },
  't2d-a1c-above-goal:egfr': {
    spec: (lab) => ({ age: 55, conditions: ['t2d'], labs: { a1c: 8.6, egfr: lab(80), uacr: 10 } }),
  },
  // CKD suggested, not established: the CKD SGLT2 rule is withheld and the diabetes one is kept.
  't2d-cardiorenal-protection:egfr': {
    spec: (lab) => ({ age: 60, conditions: ['t2d'], labs: { a1c: 6.5, egfr: lab(50), uacr: 10 } }),
    hypotheses: [suggested('ckd', false)],
  },
  'metformin-renal:egfr': {
    spec: (lab) => ({
      age: 60,
      conditions: ['t2d'],
      meds: ['metformin hydrochloride 500 MG Oral Tablet'],
      labs: { a1c: 6.5, egfr: lab(25), uacr: 10 },
    }),
  },
  'hfref-arni:lvef': { spec: (lab) => HF(lab, 'lvef') },
  'hfref-arni:potassium': { spec: (lab) => HF(lab, 'potassium') },
  'hfref-arni-switch:lvef': { spec: (lab) => HF(lab, 'lvef', ['lisinopril 10 MG Oral Tablet']) },
  'hfref-arni-switch:potassium': { spec: (lab) => HF(lab, 'potassium', ['lisinopril 10 MG Oral Tablet']) },
  'hfref-beta-blocker:lvef': { spec: (lab) => HF(lab, 'lvef') },
  'hfref-mra:lvef': { spec: (lab) => HF(lab, 'lvef') },
  'hfref-mra:egfr': { spec: (lab) => HF(lab, 'egfr') },
  'hfref-mra:potassium': { spec: (lab) => HF(lab, 'potassium') },
  'hfref-sglt2i:lvef': { spec: (lab) => HF(lab, 'lvef') },
  'hfref-sglt2i:egfr': { spec: (lab) => HF(lab, 'egfr') },
  'htn-start:sbp': { spec: (lab) => BP(lab, 'sbp') },
  'htn-start:dbp': { spec: (lab) => BP(lab, 'dbp') },
  'htn-intensify:sbp': { spec: (lab) => BP(lab, 'sbp', ['amlodipine 5 MG Oral Tablet']) },
  'htn-intensify:dbp': { spec: (lab) => BP(lab, 'dbp', ['amlodipine 5 MG Oral Tablet']) },
};

const DECLARED = Object.entries(RULE_LOOK_BACKS).flatMap(([ruleId, lookBacks]) =>
  lookBacks.map((l) => ({ ruleId, lookBack: l, key: `${ruleId}:${l.analyte}` })),
);

const run = (c: LookBackCase, days: number, ruleId: string) => {
  const facts = buildFacts(c.spec((value) => ({ value, daysAgo: days })));
  return recommend(facts, c.scores ?? [], c.hypotheses ?? [], DEFAULT_MODEL_SETTINGS).find(
    (r) => r.ruleId === ruleId,
  );
};

describe('every look-back a rule declares is honoured and reported', () => {
  it('has a case for every (rule, analyte) look-back declared, and no case for an undeclared one', () => {
    expect(Object.keys(CASES).sort()).toEqual(DECLARED.map((d) => d.key).sort());
  });

  it('every declared look-back has a source or says it is the model setting', () => {
    for (const { lookBack } of DECLARED) {
      if (lookBack.months === undefined) expect(lookBack.basis).toMatch(/labRecencyMonths/);
      else expect(lookBack.citationIds.length).toBeGreaterThan(0);
    }
  });

  it.each(DECLARED.map((d) => [d.key, d] as const))(
    '%s: fires on a current value; an older one is treated as missing and reported',
    (key, { ruleId, lookBack }) => {
      const c = CASES[key] as LookBackCase;
      const months = lookBack.months ?? DEFAULT_MODEL_SETTINGS.labRecencyMonths;
      const fresh = run(c, 10, ruleId);
      // A test-ordering rule fires because the value is not current; otherwise a current value lets it fire.
      if (rule(ruleId).kind === 'order-test') expect(fresh).toBeUndefined();
      else expect(fresh).toBeDefined();
      expect(fresh?.staleInputs ?? []).toEqual([]);
      const staleDays = Math.ceil(months * 30.44) + 45;
      const stale = run(c, staleDays, ruleId);
      if (lookBack.indication) {
        // The value is the indication: set aside, the rule does not fire, as with no value at all;
        // the Assessment says why (the app lists it with the old value as the premise not met).
        expect(stale).toBeUndefined();
        const facts = buildFacts(c.spec((value) => ({ value, daysAgo: staleDays })));
        const outcome = recommendWithExclusions(
          facts,
          c.scores ?? [],
          c.hypotheses ?? [],
          DEFAULT_MODEL_SETTINGS,
        );
        const withheld = outcome.unmetPremises.find((u) => u.ruleId === ruleId);
        expect(withheld?.premises).toContainEqual(
          expect.objectContaining({
            id: `look-back:${lookBack.analyte}`,
            met: false,
            label: `${lookBack.label} within the ${months}-month look-back`,
            detail: expect.stringMatching(/^last .* on \d{4}-\d{2}-\d{2}, treated as missing$/),
          }),
        );
        return;
      }
      expect(stale?.staleInputs).toEqual([
        expect.objectContaining({
          analyte: lookBack.analyte,
          label: lookBack.label,
          lookBackMonths: months,
          citationIds: lookBack.citationIds,
          date: expect.any(String),
        }),
      ]);
      const input = stale?.staleInputs?.[0];
      expect(stale?.findingIds).toContain(input?.findingId);
      // Treated as missing: the rationale does not quote the set-aside value as current.
      expect(stale?.rationale).not.toContain(`(${input?.date.slice(0, 10)})`);
    },
  );
});
