import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SiteModelResult } from '@rationale/shared-types';
import { SiteModels } from './SiteModels';

const RESULT: SiteModelResult = {
  modelId: 'dysglycemia-risk',
  version: '1.0.0',
  owner: 'Clinical informatics',
  mode: 'silent',
  provenance: { runtime: 'onnx', sha256: 'abcdef0123456789'.repeat(4) },
  status: 'complete',
  latencyMs: 0.8,
  features: [
    {
      name: 'bmi',
      value: 31.2,
      unit: 'kg/m2',
      missing: false,
      sources: [{ reference: 'Observation/bmi-1' }],
      contribution: 0.18,
    },
    { name: 'glucose', value: 75.1, unit: 'mg/dL', missing: true, sources: [], contribution: 0 },
  ],
  predictions: [
    {
      id: 'dysglycemia-risk:dysglycemia',
      conditionId: 'dysglycemia',
      label: 'Prediabetes or type 2 diabetes',
      probability: 0.57,
      level: 'info',
      recorded: false,
      summary: 'x',
    },
  ],
};

describe('SiteModels', () => {
  it('shows the prediction, what exactly ran, and each input with its contribution and source', async () => {
    const onOpen = jest.fn();
    render(<SiteModels results={[RESULT]} onOpenFinding={onOpen} />);
    expect(screen.getByText('57%')).toBeInTheDocument();
    expect(screen.getByText(/ONNX file sha256 abcdef012345…/)).toBeInTheDocument();
    expect(screen.getByText(/Silent: it runs and is recorded, but raises no card/)).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Inputs given to dysglycemia-risk' });
    const row = (name: string) => within(table).getByRole('rowheader', { name }).closest('tr') as HTMLElement;
    expect(within(row('bmi')).getByText('31.2 kg/m2')).toBeInTheDocument();
    expect(within(row('bmi')).getByText('+0.18')).toBeInTheDocument();
    expect(within(row('glucose')).getByText('not in the record (default 75.1)')).toBeInTheDocument();
    await userEvent.setup().click(within(row('bmi')).getByRole('button', { name: 'Observation/bmi-1' }));
    expect(onOpen.mock.calls[0]?.[0]).toMatchObject({ sources: [{ reference: 'Observation/bmi-1' }] });
  });

  it('says when a model did not answer, and that the other sources did', () => {
    render(
      <SiteModels
        results={[{ ...RESULT, status: 'timeout', predictions: [], latencyMs: 100.2 }]}
        onOpenFinding={jest.fn()}
      />,
    );
    expect(screen.getByRole('note')).toHaveTextContent(
      'This model did not answer within its time budget (100.2 ms); the other sources answered without it.',
    );
  });
});
