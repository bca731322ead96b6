import type { Finding, Hypothesis } from '@rationale/shared-types';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { makeAssessment } from '../test-support/fixtures';
import { Differential } from './Differential';
import { TrendPlot } from './plots';
import { timelineFor, trendsFor, type TrendSeries } from './trends';

const egfr = (id: string, value: number, date: string, range?: Finding['referenceRange']): Finding => ({
  id,
  code: 'egfr',
  kind: 'observation',
  label: `eGFR ${value} mL/min/1.73m²`,
  value,
  unit: 'mL/min/{1.73_m2}',
  date,
  ...(range ? { referenceRange: range } : {}),
  sources: [{ reference: `Observation/${id}` }],
});

const FINDINGS: Finding[] = [
  egfr('e1', 64, '2025-06-01'),
  egfr('e2', 52, '2025-11-01'),
  egfr('e3', 49, '2026-02-01', { low: 60 }),
  {
    id: 'acr',
    code: 'uacr',
    kind: 'observation',
    label: 'UACR 12 mg/g',
    value: 12,
    date: '2026-01-15',
    sources: [{ reference: 'Observation/acr' }],
  },
];

const CKD: Hypothesis = {
  id: 'h-ckd',
  conditionId: 'ckd',
  label: 'Chronic kidney disease',
  status: 'suggested',
  prior: 0.14,
  posterior: 0.94,
  codes: [],
  contributions: [
    {
      findingId: 'e3',
      findingCode: 'egfr-lt-60',
      label: 'eGFR < 60',
      present: true,
      likelihoodRatio: 20,
      threshold: { analyte: 'egfr', op: '<', value: 60, unit: 'mL/min/{1.73_m2}' },
      citationIds: [],
    },
    {
      findingId: 'acr',
      findingCode: 'uacr-ge-30',
      label: 'Not UACR ≥ 30 mg/g',
      present: false,
      likelihoodRatio: 0.5,
      citationIds: [],
    },
  ],
  rationale: 'eGFR 52 and 49, 3 months apart.',
  citationIds: [],
  origin: 'knowledge-model',
};

const byId = new Map(FINDINGS.map((f) => [f.id, f]));

describe('trendsFor', () => {
  it('plots every result of each analyte a contribution reads, oldest first, with the threshold and range', () => {
    const [egfrSeries, acrSeries] = trendsFor(CKD, byId);
    expect(egfrSeries?.label).toBe('eGFR');
    expect(egfrSeries?.points.map((p) => p.id)).toEqual(['e1', 'e2', 'e3']);
    expect(egfrSeries?.threshold).toMatchObject({ op: '<', value: 60 });
    expect(egfrSeries?.referenceRange).toEqual({ low: 60 });
    expect(acrSeries?.points.map((p) => p.id)).toEqual(['acr']);
    expect(acrSeries?.threshold).toBeUndefined();
  });
});

describe('timelineFor', () => {
  it('lists the dated findings that moved the hypothesis, oldest first', () => {
    expect(timelineFor(CKD, byId).map((e) => e.finding.id)).toEqual(['acr', 'e3']);
  });
});

describe('TrendPlot', () => {
  const series = trendsFor(CKD, byId)[0] as TrendSeries;

  it('draws one linked point per result, each named by its finding and date', () => {
    const { container } = render(<TrendPlot series={series} onOpenFinding={jest.fn()} />);
    const links = [...container.querySelectorAll('svg a')];
    expect(links).toHaveLength(3);
    expect(links.map((a) => a.getAttribute('aria-label'))).toEqual([
      'eGFR 64 mL/min/1.73m², 1 Jun 2025: open the source record',
      'eGFR 52 mL/min/1.73m², 1 Nov 2025: open the source record',
      'eGFR 49 mL/min/1.73m², 1 Feb 2026: open the source record',
    ]);
  });

  it('marks the threshold as a dashed rule with its value, and the reference range as a band', () => {
    const { container } = render(<TrendPlot series={series} onOpenFinding={jest.fn()} />);
    expect(container.querySelector('g.threshold')).not.toBeNull();
    expect(container.querySelector('g.reference-range')).not.toBeNull();
    expect(container.querySelector('svg')?.textContent).toContain('< 60');
    expect(screen.getByText(/dashed line: the rule's threshold < 60/)).toBeInTheDocument();
  });

  it("opens the point's finding instead of navigating", () => {
    const onOpen = jest.fn();
    const { container } = render(<TrendPlot series={series} onOpenFinding={onOpen} />);
    const second = container.querySelectorAll('svg a')[1] as Element;
    fireEvent.click(second.querySelector('circle') ?? second);
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'e2' }), second);
  });
});

describe('Differential: for and against', () => {
  it('lists what argues for and what argues against each diagnosis, and says when nothing argues against', () => {
    const assessment = makeAssessment({ findings: FINDINGS, hypotheses: [CKD] });
    render(
      <Differential
        hypotheses={assessment.hypotheses}
        findings={byId}
        citations={new Map()}
        onOpenFinding={jest.fn()}
      />,
    );
    const forList = screen.getByRole('list', { name: 'For Chronic kidney disease' });
    const againstList = screen.getByRole('list', { name: 'Against Chronic kidney disease' });
    expect(within(forList).getByText(/Raises ×20/)).toBeInTheDocument();
    expect(within(againstList).getByText(/Lowers ×0.5/)).toBeInTheDocument();
    expect(within(againstList).getByRole('button', { name: 'UACR 12 mg/g' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Trends' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'When the findings were recorded' })).toBeInTheDocument();
  });

  it('draws the trend with its linked points once the plotting code has loaded', async () => {
    render(
      <Differential hypotheses={[CKD]} findings={byId} citations={new Map()} onOpenFinding={jest.fn()} />,
    );
    const point = await screen.findByRole('link', {
      name: 'eGFR 52 mL/min/1.73m², 1 Nov 2025: open the source record',
    });
    expect(point.closest('figure')).not.toBeNull();
  });
});
