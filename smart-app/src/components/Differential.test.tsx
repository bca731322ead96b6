import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeAssessment } from '../test-support/fixtures';
import { Differential } from './Differential';

const assessment = makeAssessment();
const findings = new Map(assessment.findings.map((f) => [f.id, f]));
const citations = new Map(assessment.citations.map((c) => [c.id, c]));

function renderDifferential(onOpen = jest.fn()) {
  render(
    <Differential
      hypotheses={assessment.hypotheses}
      findings={findings}
      citations={citations}
      onOpenFinding={onOpen}
    />,
  );
  return onOpen;
}

describe('Differential', () => {
  it('ranks hypotheses by probability under the “Differential” heading, each a listitem named by its condition', () => {
    renderDifferential();
    const section = screen.getByRole('region', { name: 'Differential' });
    const items = within(section)
      .getAllByRole('listitem')
      .filter((li) => li.classList.contains('hypothesis'));
    expect(items).toEqual([
      within(section).getByRole('listitem', { name: 'Type 2 diabetes' }),
      within(section).getByRole('listitem', { name: 'Chronic kidney disease' }),
    ]);
    expect(items.map((li) => within(li).getAllByRole('heading')[0]?.textContent)).toEqual([
      'Type 2 diabetes',
      'Chronic kidney disease',
    ]);
  });

  it('shows each probability as a labelled meter with its prior', () => {
    renderDifferential();
    const meter = screen.getByRole('meter', { name: 'Probability of Type 2 diabetes' });
    expect(meter).toHaveAttribute('aria-valuenow', '82');
    expect(meter).toHaveAttribute('aria-valuetext', '82%, from 12% before the findings');
  });

  it('marks recorded vs suggested and shows the stage', () => {
    renderDifferential();
    expect(
      within(screen.getByRole('listitem', { name: 'Type 2 diabetes' })).getByText(
        'Suggested: not on the problem list',
      ),
    ).toBeInTheDocument();
    const ckd = screen.getByRole('listitem', { name: 'Chronic kidney disease' });
    expect(within(ckd).getByText('Recorded')).toBeInTheDocument();
    expect(within(ckd).getByText('Stage G3a A2')).toBeInTheDocument();
  });

  it('says which findings raised or lowered each hypothesis and by how much, with the finding’s date', () => {
    renderDifferential();
    const t2d = screen.getByRole('listitem', { name: 'Type 2 diabetes' });
    // What argues for it and what argues against it, each in its own list.
    expect(within(t2d).getByRole('list', { name: 'For Type 2 diabetes' })).toHaveTextContent(
      'Raises ×2.4 HbA1c 7.2 % 20 Feb 2026',
    );
    expect(within(t2d).getByRole('list', { name: 'Against Type 2 diabetes' })).toHaveTextContent(
      'Lowers ×0.3 Polyuria (absent from the record)',
    );
    expect(within(t2d).getByText(/Diagnostic criteria not met/)).toBeInTheDocument();
  });

  it('opens a finding’s source from a button named by the finding label', async () => {
    const onOpen = renderDifferential();
    await userEvent.setup().click(screen.getByRole('button', { name: 'HbA1c 7.2 %' }));
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'f-a1c' }), expect.any(HTMLElement));
  });

  it('marks a probable condition whose guideline criteria are not yet met as possible', () => {
    const possible = {
      ...assessment.hypotheses[0]!,
      id: 'h-p',
      label: 'Heart failure',
      status: 'possible' as const,
    };
    render(
      <Differential
        hypotheses={[possible]}
        findings={findings}
        citations={citations}
        onOpenFinding={jest.fn()}
      />,
    );
    expect(
      within(screen.getByRole('listitem', { name: 'Heart failure' })).getByText(
        'Possible: diagnostic criteria not yet met',
      ),
    ).toBeInTheDocument();
  });

  it('says why a hypothesis got no card when an exclusion withholds it, and says nothing otherwise', () => {
    const [ckd, t2d] = assessment.hypotheses;
    const excluded = {
      ...t2d!,
      exclusions: [
        {
          exclusionId: 'hospice',
          reason: 'Hospice, palliative or comfort care: Comfort measures (CarePlan) (2026-01-10)',
          effect: 'suppress' as const,
          findingIds: [],
          citationIds: ['ada-2025'],
        },
      ],
    };
    render(
      <Differential
        hypotheses={[ckd!, excluded]}
        findings={findings}
        citations={citations}
        onOpenFinding={jest.fn()}
      />,
    );
    expect(screen.getByRole('listitem', { name: 'Type 2 diabetes' })).toHaveTextContent(
      'No card shown: Hospice, palliative or comfort care: Comfort measures (CarePlan) (2026-01-10).',
    );
    expect(screen.getByRole('listitem', { name: 'Chronic kidney disease' })).not.toHaveTextContent(
      'No card shown',
    );
  });

  it('says so when there is nothing to list', () => {
    render(
      <Differential hypotheses={[]} findings={findings} citations={citations} onOpenFinding={jest.fn()} />,
    );
    expect(screen.getByText(/found no condition worth listing/)).toBeInTheDocument();
  });
});

describe('Differential with a recalibrated prior', () => {
  it('shows the published prior, the local estimate with its interval, and the prior used', () => {
    const [first, ...rest] = assessment.hypotheses;
    const calibrated = {
      ...first!,
      prior: 0.2,
      priorCalibration: {
        published: 0.147,
        localEstimate: 0.5,
        interval: [0.15, 0.85] as [number, number],
        localPatients: 4,
      },
    };
    render(
      <Differential
        hypotheses={[calibrated, ...rest]}
        findings={findings}
        citations={citations}
        onOpenFinding={jest.fn()}
      />,
    );
    const item = screen.getByRole('listitem', { name: first!.label });
    expect(item).toHaveTextContent(
      'Prior recalibrated to this site: published 15%; local 50% (95% interval 15%–85%, 4 adults); used 20%.',
    );
  });
});

describe('Differential with a recalibrated likelihood ratio', () => {
  it("shows the published LR with its source and the site's estimate with its interval", () => {
    const t2d = assessment.hypotheses.find((h) => h.conditionId === 't2d')!;
    const [a1c, ...others] = t2d.contributions;
    const calibrated = {
      ...t2d,
      contributions: [
        {
          ...a1c!,
          likelihoodRatio: 15.5,
          lrCalibration: {
            published: 20,
            localEstimate: 12,
            interval: [2.1, 68] as [number, number],
            cases: 15,
            nonCases: 15,
          },
        },
        ...others,
      ],
    };
    render(
      <Differential
        hypotheses={[calibrated, ...assessment.hypotheses.filter((h) => h !== t2d)]}
        findings={findings}
        citations={citations}
        onOpenFinding={jest.fn()}
      />,
    );
    const row = within(screen.getByRole('list', { name: 'For Type 2 diabetes' })).getAllByRole(
      'listitem',
    )[0]!;
    expect(row).toHaveTextContent('Raises ×16');
    expect(row).toHaveTextContent(
      'recalibrated to this site: published LR 20 (American Diabetes Association 2025); local 12 (95% interval 2.1–68, 15 with the condition, 15 without)',
    );
  });

  it('says nothing of calibration for a published LR', () => {
    renderDifferential();
    expect(screen.queryByText(/recalibrated to this site: published LR/)).toBeNull();
  });
});
