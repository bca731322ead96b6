import type { SafetyAlert } from '@rationale/shared-types';
import { render, screen, within } from '@testing-library/react';
import { makeAssessment } from '../test-support/fixtures';
import { SafetyAlerts } from './SafetyAlerts';

const assessment = makeAssessment();
const findings = new Map(assessment.findings.map((f) => [f.id, f]));
const citations = new Map(assessment.citations.map((c) => [c.id, c]));

describe('SafetyAlerts with a value older than the check look-back', () => {
  it('says which value was treated as missing, its date and the look-back in the unit its source uses', () => {
    const alert: SafetyAlert = {
      id: 'potassium-not-current:MedicationRequest/d1',
      ruleId: 'potassium-not-current',
      type: 'drug-condition',
      severity: 'moderate',
      contraindicated: false,
      order: { reference: 'MedicationRequest/d1', label: 'spironolactone 25 MG Oral Tablet' },
      title: 'No current potassium for spironolactone 25 MG Oral Tablet',
      detail: 'Potassium 5.6 mmol/L of 2025-06-01 is older than the 90-day look-back.',
      findingIds: [],
      citationIds: [],
      staleInputs: [
        {
          analyte: 'potassium',
          label: 'potassium',
          value: 5.6,
          unit: 'mmol/L',
          date: '2025-06-01',
          lookBackMonths: 3,
          lookBackDays: 90,
          findingId: 'f-not-in-assessment',
          citationIds: [],
        },
      ],
    };
    render(
      <SafetyAlerts alerts={[alert]} findings={findings} citations={citations} onOpenFinding={jest.fn()} />,
    );
    const list = screen.getByRole('list', { name: 'Treated as missing' });
    expect(within(list).getByRole('listitem')).toHaveTextContent(
      "potassium of 2025-06-01 is older than this check's 90-day look-back, so it was treated as missing.",
    );
  });

  it('shows no such list when every value was current', () => {
    render(<SafetyAlerts alerts={[]} findings={findings} citations={citations} onOpenFinding={jest.fn()} />);
    expect(screen.queryByRole('list', { name: 'Treated as missing' })).toBeNull();
  });
});
