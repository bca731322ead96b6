import { render, screen } from '@testing-library/react';
import { DATA_QUALITY_HEADING, DataQuality } from './DataQuality';

describe('DataQuality', () => {
  it('lists each issue with what kind it is, where it was and what was wrong', () => {
    render(
      <DataQuality
        issues={[
          {
            kind: 'element-ignored',
            where: 'Observation/o1.valueQuantity.value',
            problem: 'must be a number',
          },
          { kind: 'key-unavailable', where: 'prefetch.carePlans', problem: 'not sent' },
        ]}
      />,
    );
    expect(screen.getByRole('heading', { name: DATA_QUALITY_HEADING })).toBeInTheDocument();
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'A field was ignored: Observation/o1.valueQuantity.value — must be a number',
      'The EHR did not send this data: prefetch.carePlans — not sent',
    ]);
  });

  it('shows nothing when the whole record was read', () => {
    const { container } = render(<DataQuality issues={[]} />);
    expect(container).toBeEmptyDOMElement();
  });
});
