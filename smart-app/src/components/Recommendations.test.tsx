import { render, screen, within } from '@testing-library/react';
import { makeAssessment } from '../test-support/fixtures';
import { NextBestTests } from './NextBestTests';
import { Recommendations } from './Recommendations';

const assessment = makeAssessment();
const findings = new Map(assessment.findings.map((f) => [f.id, f]));
const citations = new Map(assessment.citations.map((c) => [c.id, c]));

describe('Recommendations', () => {
  beforeEach(() => {
    render(
      <Recommendations
        recommendations={assessment.recommendations}
        findings={findings}
        citations={citations}
        onOpenFinding={jest.fn()}
      />,
    );
  });

  it('shows what, why with the dated inputs, and the strength', () => {
    const item = screen.getByRole('listitem', { name: 'Start a moderate-intensity statin' });
    expect(item).toHaveTextContent('Why: Diabetes, age 58, LDL 132 mg/dL (2026-03-02).');
    expect(within(item).getByRole('button', { name: 'HbA1c 7.2 %' }).parentElement).toHaveTextContent(
      '20 Feb 2026',
    );
    expect(item).toHaveTextContent('Strength: ADA class A (Strong evidence)');
  });

  it('lists the contraindications checked with present/absent, and the proposed order', () => {
    const item = screen.getByRole('listitem', { name: 'Start a moderate-intensity statin' });
    expect(within(item).getByText(/Active liver disease/)).toHaveTextContent('Active liver disease: absent');
    expect(item).toHaveTextContent('atorvastatin 20 mg orally once daily');
  });

  it('links the guideline to its source in a new tab without an opener', () => {
    const link = screen.getByRole('link', { name: /Standards of Care in Diabetes—2025/ });
    expect(link).toHaveAttribute('href', 'https://diabetesjournals.org/care/issue/48/Supplement_1');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
  });
});

describe('Recommendations with a value older than the rule look-back', () => {
  it('says which value was treated as missing, its date, the look-back and its source', () => {
    const [statin] = assessment.recommendations;
    const testing = {
      ...statin!,
      id: 'r-a1c-testing',
      ruleId: 'a1c-testing',
      kind: 'order-test' as const,
      title: 'Order a hemoglobin A1c',
      rationale: 'Type 2 diabetes; no A1c in the last 6 months (due at least every 6 months).',
      proposedOrders: [],
      contraindicationsChecked: [],
      staleInputs: [
        {
          analyte: 'a1c',
          label: 'HbA1c',
          value: 7.2,
          unit: '%',
          date: '2025-05-20',
          lookBackMonths: 6,
          findingId: 'f-a1c',
          citationIds: ['ada-2025'],
        },
      ],
    };
    render(
      <Recommendations
        recommendations={[testing]}
        findings={findings}
        citations={citations}
        onOpenFinding={jest.fn()}
      />,
    );
    const item = screen.getByRole('listitem', { name: 'Order a hemoglobin A1c' });
    expect(within(item).getByRole('heading', { name: 'Treated as missing' })).toBeInTheDocument();
    expect(item).toHaveTextContent(
      "of 2025-05-20 is older than this rule's 6-month look-back (American Diabetes Association, 2025), so the rule did not use it.",
    );
    expect(within(item).getAllByRole('button', { name: 'HbA1c 7.2 %' }).length).toBeGreaterThan(0);
  });
});

describe('Recommendations an exclusion withheld', () => {
  it('lists each as not recommended, with the reason and its source', () => {
    const [statin] = assessment.recommendations;
    render(
      <Recommendations
        recommendations={[]}
        suppressed={[
          {
            recommendation: statin!,
            reasons: [
              {
                exclusionId: 'hospice',
                reason:
                  'Hospice, palliative or comfort care: Referral to hospice (ServiceRequest) (2026-02-01)',
                effect: 'suppress',
                findingIds: [],
                citationIds: ['ada-2025'],
              },
            ],
          },
        ]}
        findings={findings}
        citations={citations}
        onOpenFinding={jest.fn()}
      />,
    );
    const section = screen.getByRole('region', { name: 'Recommendations' });
    expect(within(section).getByRole('heading', { name: 'Not recommended' })).toBeInTheDocument();
    expect(section).toHaveTextContent(
      'Start a moderate-intensity statin: not recommended because Hospice, palliative or comfort care: Referral to hospice (ServiceRequest) (2026-02-01).',
    );
    expect(within(section).getByRole('list', { name: 'Sources' })).toHaveTextContent(
      'Standards of Care in Diabetes',
    );
  });
});

describe('NextBestTests', () => {
  it('names each test, its expected change and the conditions it bears on, and the data gaps', () => {
    render(
      <NextBestTests
        tests={assessment.nextBestTests}
        hypotheses={assessment.hypotheses}
        citations={citations}
        dataGaps={assessment.dataGaps}
      />,
    );
    const section = screen.getByRole('region', { name: 'Next best tests' });
    const item = within(section).getByRole('listitem', { name: 'Repeat HbA1c' });
    expect(item).toHaveTextContent('Expected change: 31 percentage points for Type 2 diabetes');
    expect(section).toHaveTextContent('No lipid panel in 5 years');
  });
});
