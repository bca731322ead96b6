import type { CantMiss, UnmetPremise } from '@rationale/shared-types';
import { render, screen } from '@testing-library/react';
import { ImportantToConsider, UnmetPremises } from './ImportantToConsider';

const sepsis: CantMiss = {
  id: 'cant-miss-sepsis',
  conditionId: 'sepsis',
  label: 'Pneumonia with sepsis risk',
  support: 'qSOFA 2, SIRS 4: T 38.9, RR 24, SBP 98',
  action: 'Chest radiograph now; lactate and blood cultures',
  nextTests: [{ label: 'Chest radiograph' }, { label: 'Lactate and blood cultures' }],
  findingIds: [],
  scoreIds: ['qsofa', 'sirs'],
  posterior: 0.218,
  urgency: { class: 'cant-miss', basis: 'Suspected infection with qSOFA ≥ 2', citationIds: [] },
  citationIds: [],
};

describe('ImportantToConsider', () => {
  it("lists a can't-miss problem apart from the ranking, with its support, action and estimate", () => {
    render(<ImportantToConsider items={[sepsis]} citations={new Map()} />);
    expect(screen.getByRole('heading', { name: 'Important to consider' })).toBeInTheDocument();
    const item = screen.getByRole('listitem', { name: /Pneumonia with sepsis risk/ });
    expect(item).toHaveTextContent("Can't miss");
    expect(item).toHaveTextContent('Supported by: qSOFA 2, SIRS 4: T 38.9, RR 24, SBP 98');
    expect(item).toHaveTextContent('Do: Chest radiograph now');
    expect(item).toHaveTextContent("The differential's estimate is 22%");
  });

  it('renders nothing without items', () => {
    const { container } = render(<ImportantToConsider items={[]} citations={new Map()} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('UnmetPremises', () => {
  it('says which premise was missing for a withheld rule', () => {
    const item: UnmetPremise = {
      ruleId: 'htn-intensify',
      title: 'Intensify BP treatment: 148/86 is above the < 130/80 target',
      premises: [
        {
          id: 'established:htn',
          label: 'Hypertension established',
          met: true,
          detail: 'htn recorded',
          findingIds: [],
          citationIds: [],
        },
        {
          id: 'bp-readings',
          label: '2 or more elevated BP readings on separate days in the last 12 months',
          met: false,
          detail: '1 elevated reading day (≥ 130/80) in 12 months: 2026-05-29; 2 needed',
          findingIds: [],
          citationIds: [],
        },
      ],
    };
    render(<UnmetPremises items={[item]} />);
    const li = screen.getByRole('listitem', { name: item.title });
    expect(li).toHaveTextContent('Missing: 2 or more elevated BP readings on separate days');
    expect(li).toHaveTextContent('2 needed');
    expect(li).not.toHaveTextContent('Hypertension established');
  });
});
