import type { Finding } from '@rationale/shared-types';
import {
  describeFindings,
  escapeMarkdown,
  findingName,
  fitSummary,
  formatNumber,
  formatPercent,
  truncateAtWord,
} from './text';
import { isEpicTopicCode, topicCode } from './topics';

const egfr = (id: string, value: number, date: string): Finding => ({
  id,
  code: 'egfr-lt-60',
  kind: 'observation',
  label: `eGFR ${value} mL/min/1.73m²`,
  value,
  date,
  coding: { system: 'http://loinc.org', code: '98979-8' },
  sources: [],
});

describe('describeFindings', () => {
  it('reads repeated values of one analyte in time order with the interval', () => {
    expect(describeFindings([egfr('b', 49, '2026-05-14'), egfr('a', 52, '2026-01-12')])).toEqual([
      'eGFR 52 and 49, 4 months apart',
    ]);
    expect(
      describeFindings([
        egfr('a', 58, '2025-09-01'),
        egfr('b', 52, '2026-01-12'),
        egfr('c', 49, '2026-05-14'),
      ]),
    ).toEqual(['eGFR 58, 52 and 49, 8 months apart']);
  });

  it('reads current treatments as one phrase, oldest first, before the measured values', () => {
    const use = (id: string, label: string): Finding => ({
      id,
      code: `medication-use:${id}`,
      kind: 'medication',
      label,
      valueText: 'active',
      sources: [],
    });
    const a1c: Finding = {
      id: 'h',
      code: 'a1c',
      kind: 'observation',
      label: 'HbA1c 7.9 %',
      value: 7.9,
      sources: [],
    };
    expect(
      describeFindings([
        use('insulin', 'on insulin glargine since 2021'),
        use('metformin', 'on metformin since 2019'),
        a1c,
      ]),
    ).toEqual(['on metformin and insulin glargine since 2019', 'HbA1c 7.9 %']);
    expect(describeFindings([use('metformin', 'on metformin since 2019'), a1c])).toEqual([
      'on metformin since 2019',
      'HbA1c 7.9 %',
    ]);
  });

  it('keeps a single finding as labelled, without long kidney-function units', () => {
    expect(describeFindings([egfr('a', 52, '2026-01-12')])).toEqual(['eGFR 52']);
  });

  it('keeps digits inside a lab name: HbA1c, not HbA', () => {
    const a1c = (id: string, value: number, date: string): Finding => ({
      id,
      code: 'a1c',
      kind: 'observation',
      label: `HbA1c ${value} %`,
      value,
      date,
      coding: { system: 'http://loinc.org', code: '4548-4' },
      sources: [],
    });
    expect(findingName(a1c('a', 7.1, '2026-01-02'))).toBe('HbA1c');
    expect(describeFindings([a1c('a', 6.8, '2026-01-02'), a1c('b', 7.1, '2026-05-02')])).toEqual([
      'HbA1c 6.8 and 7.1, 4 months apart',
    ]);
    expect(findingName({ ...a1c('c', 5.9, '2026-01-02'), label: 'Potassium >5.9 mmol/L' })).toBe('Potassium');
  });
});

describe('formatPercent', () => {
  it("is the app's format: never 0% or 100% for an estimate", () => {
    expect(formatPercent(0.997)).toBe('>99%');
    expect(formatPercent(0.004)).toBe('<1%');
    expect(formatPercent(0.724)).toBe('72%');
  });
});

describe('fitSummary and truncateAtWord', () => {
  it('keeps everything when it fits', () => {
    expect(fitSummary('Start statin', ['age 58', 'LDL 132'])).toBe('Start statin: age 58, LDL 132');
  });

  it('never exceeds 139 characters and ends a cut with an ellipsis', () => {
    for (const n of [139, 140, 141, 500]) {
      const out = truncateAtWord(`word `.repeat(n), 139);
      expect(out.length).toBeLessThanOrEqual(139);
    }
    const cut = truncateAtWord('alpha '.repeat(40), 139);
    expect(cut.endsWith('alpha…')).toBe(true);
    expect(truncateAtWord('A'.repeat(300), 139)).toHaveLength(139);
  });
});

describe('formatNumber and escapeMarkdown', () => {
  it('prints values as a chart does', () => {
    expect([
      formatNumber(52),
      formatNumber(7.24),
      formatNumber(1.355),
      formatNumber(132.4),
      formatNumber(0.5),
    ]).toEqual(['52', '7.24', '1.35', '132', '0.5']);
  });

  it('escapes Markdown syntax and anything tag-like but keeps comparison signs readable', () => {
    expect(escapeMarkdown('eGFR < 60 and *not* [x] <b>y</b>')).toBe(
      'eGFR < 60 and \\*not\\* \\[x\\] \\<b>y\\</b>',
    );
  });
});

describe('topic codes', () => {
  it('derives codes from rule and condition ids', () => {
    expect(topicCode('dx', 'ckd')).toBe('dxckd');
    expect(topicCode('rx', 'statin-diabetes-40-75')).toBe('rxstatindiabetes4075');
    expect(topicCode('safety', 'ddi-warfarin-nsaid')).toBe('safetyddiwarfarinnsaid');
  });

  it('keeps long ids within 100 alphanumeric characters and apart from each other', () => {
    const a = topicCode('rx', `${'very-long-rule-id-'.repeat(10)}a`);
    const b = topicCode('rx', `${'very-long-rule-id-'.repeat(10)}b`);
    expect(isEpicTopicCode(a)).toBe(true);
    expect(a).toHaveLength(100);
    expect(a).not.toBe(b);
    expect(topicCode('rx', `${'very-long-rule-id-'.repeat(10)}a`)).toBe(a);
  });
});
