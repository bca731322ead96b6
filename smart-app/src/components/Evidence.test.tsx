import { render, screen, within } from '@testing-library/react';
import { citations, modelCard } from '../test-support/fixtures';
import { Evidence } from './Evidence';
import { ModelCardView } from './ModelCardView';

describe('Evidence', () => {
  it('lists every citation with its authors, journal, year and DOI / PMID / URL links', () => {
    render(<Evidence citations={citations} />);
    const section = screen.getByRole('region', { name: 'Evidence' });
    expect(section).toHaveTextContent('Inker LA, et al.');
    expect(section).toHaveTextContent('N Engl J Med. 2021');
    expect(within(section).getByRole('link', { name: /DOI 10\.2337\/dc25-SINT/ })).toHaveAttribute(
      'href',
      'https://doi.org/10.2337/dc25-SINT',
    );
    expect(within(section).getByRole('link', { name: /PMID 34554658/ })).toHaveAttribute(
      'href',
      'https://pubmed.ncbi.nlm.nih.gov/34554658/',
    );
    for (const link of within(section).getAllByRole('link')) expect(link).toHaveAttribute('target', '_blank');
  });
});

describe('ModelCardView', () => {
  it('shows the HTI-1 source attributes, including whether race, ethnicity, sex and age are inputs', () => {
    render(<ModelCardView card={modelCard} />);
    expect(screen.getByText('Intended use').nextSibling).toHaveTextContent(
      'Support adult primary-care clinicians',
    );
    expect(screen.getByText('Cautioned out-of-scope uses').nextSibling).toHaveTextContent(
      'Pediatric patients',
    );
    expect(screen.getByText('Known limitations').nextSibling).toHaveTextContent('Relies on coded data');
    expect(screen.getByText('Validation').nextSibling).toHaveTextContent('AUROC (CKD): 0.91 (Synthea 10k)');
    const table = screen.getByRole('table', { name: 'Demographic and social attributes among the inputs' });
    const row = (name: string) => within(table).getByRole('rowheader', { name }).closest('tr') as HTMLElement;
    expect(row('Race')).toHaveTextContent('No');
    expect(row('Ethnicity')).toHaveTextContent('No');
    expect(row('Sex')).toHaveTextContent('YesPriors by sex band');
    expect(row('Date of birth (age)')).toHaveTextContent('Yes');
    expect(screen.getByText('Model').nextSibling).toHaveTextContent('1.4.0 (knowledge base 9f2c1ab0)');
  });
});

describe('ModelCardView with site models', () => {
  it("shows each site model's source attributes, inputs and mode apart from the knowledge model's", () => {
    render(
      <ModelCardView
        card={{
          ...modelCard,
          siteModels: [
            {
              id: 'dysglycemia-risk',
              version: '1.0.0',
              owner: 'Clinical informatics',
              intendedUse: 'Flag undiagnosed dysglycemia',
              hooks: ['patient-view'],
              mode: 'silent',
              runtime: 'onnx',
              inputs: [
                {
                  name: 'bmi',
                  description: 'LOINC 39156-5, latest over 1095 days (kg/m2); 26.3 when missing',
                },
              ],
              outputs: [
                { label: 'Prediabetes or type 2 diabetes', thresholds: 'information at 0.5, warning at 0.8' },
              ],
              sourceAttributes: {
                developer: 'Site data science',
                outputDescription: 'Probability of prediabetes or type 2 diabetes',
                intendedUsers: ['Primary care'],
                intendedPopulation: 'Adults',
                cautionedOutOfScopeUses: ['Children'],
                trainingData: '186 synthetic adults',
                knownLimitations: ['Synthetic data'],
                knownRisks: [],
                validation: 'Held-out AUROC 0.66',
              },
            },
          ],
        }}
      />,
    );
    const section = screen.getByRole('region', { name: 'Site model dysglycemia-risk' });
    expect(within(section).getByRole('heading')).toHaveTextContent(
      'dysglycemia-risk 1.0.0 (silent: raises no card, onnx)',
    );
    expect(within(section).getByText('Training data').nextSibling).toHaveTextContent('186 synthetic adults');
    expect(within(section).getByText('Validation').nextSibling).toHaveTextContent('Held-out AUROC 0.66');
    expect(within(section).getByText('Inputs').nextSibling).toHaveTextContent(
      'bmi: LOINC 39156-5, latest over 1095 days',
    );
  });
});
