/**
 * Premises (issue 19): every rule declares what it requires, each premise is checked against the
 * record, and a rule whose premise is missing does not fire but is listed with the premise that
 * was missing. One test per rule and premise: a record meeting them all, then the same record with
 * that one premise taken away.
 */
import { CITATIONS } from '../knowledge/evidence';
import { RULE_PREMISES, type PremiseSpec } from '../knowledge/treatment/premises';
import { RECOMMENDATION_RULES } from '../knowledge/treatment/rules';
import { DEFAULT_MODEL_SETTINGS } from '../settings';
import type { RuleContext } from './context';
import { recommendWithExclusions } from './index';
import { checkPremises } from './premises';
import { buildFacts, type FactsSpec } from './test-facts';

const ctx = (spec: FactsSpec): RuleContext => ({
  facts: buildFacts(spec),
  scores: [],
  hypotheses: [],
  settings: DEFAULT_MODEL_SETTINGS,
});

/** A record that meets every premise of every rule. */
const FULL: FactsSpec = {
  age: 60,
  sex: 'male',
  conditions: ['t2d', 'htn', 'ckd', 'hfref', 'af', 'ascvd'],
  labs: {
    ldl: 130,
    egfr: 50,
    creatinine: 1.3,
    uacr: 60,
    a1c: 8.1,
    sbp: [
      { value: 142, daysAgo: 10 },
      { value: 146, daysAgo: 70 },
    ],
    dbp: [
      { value: 88, daysAgo: 10 },
      { value: 90, daysAgo: 70 },
    ],
  },
  meds: ['oxycodone hydrochloride 10 MG Oral Tablet', 'atorvastatin 20 MG Oral Tablet'],
};

/** FULL with one premise taken away. */
function without(spec: PremiseSpec): FactsSpec {
  switch (spec.kind) {
    case 'established':
      return { ...FULL, conditions: FULL.conditions?.filter((c) => !spec.conditionIds.includes(c)) };
    case 'recent-lab':
      return { ...FULL, labs: { ...FULL.labs, [spec.analyte]: { value: 130, daysAgo: 365 * 3 } } };
    case 'bp-readings':
      return { ...FULL, labs: { ...FULL.labs, sbp: 144, dbp: 90 } };
    case 'active-medication':
      return { ...FULL, meds: [] };
  }
}

describe('declared premises', () => {
  it('every rule declares premises, each with a known source', () => {
    for (const r of RECOMMENDATION_RULES) {
      const premises = RULE_PREMISES[r.id] ?? [];
      expect([r.id, premises.length > 0]).toEqual([r.id, true]);
      for (const p of premises)
        for (const c of p.citationIds) expect([r.id, c, CITATIONS.has(c)]).toEqual([r.id, c, true]);
    }
  });

  const cases = RECOMMENDATION_RULES.flatMap((r) =>
    (RULE_PREMISES[r.id] ?? []).map((p, i) => [r.id, i, p.label] as const),
  );
  it.each(cases)('%s premise %i (%s): met on a full record, missing when taken away', (ruleId, i) => {
    const spec = RULE_PREMISES[ruleId]?.[i];
    if (!spec) throw new Error('no premise');
    const all = checkPremises(ruleId, ctx(FULL));
    expect(all.filter((p) => !p.met)).toEqual([]);
    const taken = checkPremises(ruleId, ctx(without(spec)));
    expect(taken[i]?.met).toBe(false);
    expect(taken[i]?.detail.length).toBeGreaterThan(0);
  });
});

describe('a rule whose premise is missing does not fire', () => {
  const run = (spec: FactsSpec) => recommendWithExclusions(buildFacts(spec), [], [], DEFAULT_MODEL_SETTINGS);
  const htnOn = (sbp: FactsSpec['labs']) => ({
    age: 64,
    sex: 'female' as const,
    conditions: ['htn'],
    meds: ['amlodipine 10 MG Oral Tablet'],
    labs: sbp,
  });

  it('BP intensification on one elevated reading is withheld, naming the readings premise', () => {
    const result = run(htnOn({ sbp: { value: 148, daysAgo: 120 }, dbp: { value: 86, daysAgo: 120 } }));
    expect(result.recommendations.map((r) => r.ruleId)).not.toContain('htn-intensify');
    const unmet = result.unmetPremises.find((u) => u.ruleId === 'htn-intensify');
    expect(unmet?.premises.find((p) => !p.met)?.id).toBe('bp-readings');
  });

  it('BP intensification on two elevated readings on separate days fires, carrying its premises', () => {
    const result = run(
      htnOn({
        sbp: [
          { value: 148, daysAgo: 10 },
          { value: 150, daysAgo: 40 },
        ],
        dbp: [
          { value: 86, daysAgo: 10 },
          { value: 88, daysAgo: 40 },
        ],
      }),
    );
    const rec = result.recommendations.find((r) => r.ruleId === 'htn-intensify');
    expect(rec?.premises?.every((p) => p.met)).toBe(true);
  });

  it('two elevated readings on the same day are one occasion', () => {
    const result = run(
      htnOn({
        sbp: [
          { value: 148, daysAgo: 10 },
          { value: 150, daysAgo: 10 },
        ],
        dbp: [
          { value: 86, daysAgo: 10 },
          { value: 88, daysAgo: 10 },
        ],
      }),
    );
    expect(result.recommendations.map((r) => r.ruleId)).not.toContain('htn-intensify');
  });
});

describe('individualized A1c goal (ADA 2025)', () => {
  const run = (spec: FactsSpec) =>
    recommendWithExclusions(buildFacts(spec), [], [], DEFAULT_MODEL_SETTINGS).recommendations;

  it('a 74-year-old with CKD G4 on insulin at A1c 7.4% is inside the < 8% goal: no intensification', () => {
    const recs = run({
      age: 74,
      sex: 'female',
      conditions: ['t2d', 'ckd'],
      meds: ['insulin glargine 100 UNT/ML Injectable Solution'],
      labs: { a1c: 7.4, egfr: 25, creatinine: 2.0 },
    });
    expect(recs.map((r) => r.ruleId)).not.toContain('t2d-a1c-above-goal');
  });

  it('the same older adult above 8% is advised, and the card says the goal and why', () => {
    const recs = run({
      age: 74,
      sex: 'female',
      conditions: ['t2d', 'ckd'],
      meds: ['insulin glargine 100 UNT/ML Injectable Solution'],
      labs: { a1c: 8.6, egfr: 25, creatinine: 2.0 },
    });
    const rec = recs.find((r) => r.ruleId === 't2d-a1c-above-goal');
    expect(rec?.title).toContain('< 8% goal');
    expect(rec?.rationale).toMatch(/less stringent goal: age 74, eGFR 25, on insulin/);
  });

  it('a 56-year-old without hypoglycemia risk keeps the < 7% goal', () => {
    const recs = run({ age: 56, sex: 'male', conditions: ['t2d'], labs: { a1c: 7.4, egfr: 80 } });
    expect(recs.find((r) => r.ruleId === 't2d-a1c-above-goal')?.title).toContain('< 7% goal');
  });

  it('an A1c older than 6 months does not support an intensification', () => {
    const result = recommendWithExclusions(
      buildFacts({ age: 56, sex: 'male', conditions: ['t2d'], labs: { a1c: { value: 8.4, daysAgo: 250 } } }),
      [],
      [],
      DEFAULT_MODEL_SETTINGS,
    );
    expect(result.recommendations.map((r) => r.ruleId)).not.toContain('t2d-a1c-above-goal');
  });
});
