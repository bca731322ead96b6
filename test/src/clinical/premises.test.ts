/**
 * Premises on the sandbox's own patients (issue 19): the cases the issue names no longer get a
 * recommendation their record does not support, and the Assessment says which premise was missing.
 */
import { CHART_OPENED, openChart, sandboxRecords } from './sandbox-assess';

const records = sandboxRecords();
const open = (id: string) => {
  const record = records.get(id);
  if (!record) throw new Error(`no sandbox patient ${id}`);
  return openChart(id, record, CHART_OPENED);
};
const missing = (id: string, ruleId: string) =>
  open(id)
    .assessment.unmetPremises?.find((u) => u.ruleId === ruleId)
    ?.premises.filter((p) => !p.met)
    .map((p) => p.id);

describe('premises on the sandbox patients', () => {
  it('"CKD persistence not shown" (eGFR 58 then 55, 30 days apart): no CKD statin; CKD not established', () => {
    const { assessment, topics } = open('rat-036');
    expect(assessment.recommendations.map((r) => r.ruleId)).not.toContain('statin-ckd-50');
    expect(missing('rat-036', 'statin-ckd-50')).toEqual(['established:ckd']);
    expect(topics).not.toContain('rxstatinckd50');
  });

  it('BP intensification resting on one reading (4 months old, or this visit only) is withheld', () => {
    for (const id of ['rat-002', 'rat-028']) {
      expect(open(id).assessment.recommendations.map((r) => r.ruleId)).not.toContain('htn-intensify');
      expect(missing(id, 'htn-intensify')).toEqual(['bp-readings']);
    }
  });

  it('uncontrolled hypertension on two readings on separate days is still advised', () => {
    const rec = open('rat-019').assessment.recommendations.find((r) => r.ruleId === 'htn-intensify');
    expect(rec?.premises?.map((p) => [p.id, p.met])).toEqual([
      ['established:htn', true],
      ['bp-readings', true],
    ]);
  });

  it('a 74-year-old with CKD 4 on insulin at A1c 7.4% is within her individualized goal: no intensification', () => {
    const { assessment } = open('rat-021');
    expect(assessment.recommendations.map((r) => r.ruleId)).not.toContain('t2d-a1c-above-goal');
  });

  it('a 56-year-old on metformin at A1c 7.6% is still advised against the < 7% goal', () => {
    const rec = open('rat-014').assessment.recommendations.find((r) => r.ruleId === 't2d-a1c-above-goal');
    expect(rec?.title).toContain('< 7% goal');
  });
});
