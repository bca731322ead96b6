import { buildValidationReport } from './aggregate';
import { keepAll, ResultKeeper, unpackCases } from './compact';
import { DEFAULT_REPLAY_OPTIONS, type CaseRow, type PatientResult } from './replay';

const demographics = { sex: 'female', race: 'White', ethnicity: 'Not Hispanic or Latino', ageBand: '45-64' };

/** A result as it arrives from a worker: a fresh copy of every string, as structured clone makes. */
function arrived(result: PatientResult): PatientResult {
  return JSON.parse(JSON.stringify(result)) as PatientResult;
}

function patient(id: string, cases: CaseRow[]): PatientResult {
  return {
    patientId: id,
    demographics,
    crossSectional: { cases, rules: ['statin-start'], cards: [['diagnosis-ckd', 'warning']] },
    asOf: {
      indexDates: 2,
      cases,
      leadTimes: [['ckd', 120]],
      missed: ['diabetes'],
      recommendations: [
        ['statin-start', 1],
        ['statin-start', null],
      ],
      cards: [[['diagnosis-ckd', 'warning']], []],
    },
  };
}

describe('results kept packed', () => {
  it('gives back every case exactly: condition, label, flag and probability to the last bit', () => {
    const rows: CaseRow[] = [
      ['ckd', 1, 1, 0.1 + 0.2],
      ['diabetes', 0, 0, 0],
      ['heart-failure', 1, 0, 1e-17],
      ['ckd', 0, 1, 0.6000000000000001],
    ];
    const [kept] = keepAll([patient('p1', rows)]);
    expect(unpackCases(kept!.crossSectional!.cases)).toEqual(rows);
    expect(unpackCases(kept!.asOf!.cases)).toEqual(rows);
    expect(kept!.asOf!.recommendations).toEqual([
      ['statin-start', 1],
      ['statin-start', null],
    ]);
    expect(kept!.asOf!.leadTimes).toEqual([['ckd', 120]]);
    expect(kept!.asOf!.missed).toEqual(['diabetes']);
  });

  it('shares one copy of each card and rule firing across patients, and one condition dictionary', () => {
    const keeper = new ResultKeeper();
    keeper.add(arrived(patient('p1', [['ckd', 1, 1, 0.7]])));
    keeper.add(arrived(patient('p2', [['ckd', 0, 0, 0.2]])));
    const [a, b] = keeper.results;
    expect(a!.crossSectional!.cards[0]).toBe(b!.crossSectional!.cards[0]);
    expect(a!.asOf!.recommendations[0]).toBe(b!.asOf!.recommendations[0]);
    expect(a!.asOf!.recommendations[0]).not.toBe(a!.asOf!.recommendations[1]);
    expect(a!.crossSectional!.cases.conditionIds).toBe(b!.asOf!.cases.conditionIds);
    expect(a!.crossSectional!.cases.conditionIds).toEqual(['ckd']);
  });

  it('yields the same report as the cases it was given (counts and metrics)', () => {
    // Two patients; ckd: one true positive (0.9), one false negative (0.4), one false positive (0.7)
    // and one true negative (0).
    const results = [
      patient('p1', [
        ['ckd', 1, 1, 0.9],
        ['diabetes', 0, 1, 0.7],
      ]),
      patient('p2', [
        ['ckd', 1, 0, 0.4],
        ['diabetes', 0, 0, 0],
      ]),
    ];
    const report = buildValidationReport(keepAll(results.map(arrived)), {
      generatedAt: '2026-12-06T00:00:00.000Z',
      source: { kind: 'bundles', patients: 2, unreadable: 0, rejected: 0 },
      options: { ...DEFAULT_REPLAY_OPTIONS, bootstrap: { replicates: 20, seed: 1 } },
    });
    const overall = report.crossSectional!.metrics.find((m) => m.conditionId === 'overall')!;
    expect(overall).toMatchObject({ patients: 2, cases: 4, positives: 2, flagged: 2 });
    expect(overall.metrics.sensitivity.value).toBe(0.5);
    expect(overall.metrics.specificity.value).toBe(0.5);
    // Positives at 0.9 and 0.4, negatives at 0.7 and 0: three of four pairs ordered.
    expect(overall.metrics.auroc.value).toBe(0.75);
    expect(report.crossSectional!.metrics.map((m) => m.conditionId)).toEqual(['overall', 'ckd', 'diabetes']);
    expect(report.asOf!.rules).toEqual([expect.objectContaining({ ruleId: 'statin-start', fired: 4 })]);
  });
});
