import { render, screen } from '@testing-library/react';
import { AppError, classifyReadyError } from '../errors';
import { ErrorScreen } from './ErrorScreen';

describe('ErrorScreen', () => {
  it.each([
    [new Error("No 'state' parameter found. Please (re)launch the app."), 'Launch this app from your EHR'],
    [
      new Error('No state found! Please (re)launch the app.'),
      'This sign-in does not match a launch from this window',
    ],
    [new Error('access_denied: User declined'), 'Access was not granted'],
    [new Error('invalid_scope: patient/*.rs'), 'Rationale lacks permission to read this record'],
    [Object.assign(new Error('400 Bad Request'), { status: 400 }), 'Sign-in could not be completed'],
  ])('turns “%s” from fhirclient into an actionable screen', (error, title) => {
    render(<ErrorScreen error={classifyReadyError(error)} />);
    expect(screen.getByRole('heading', { level: 1, name: title })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(/launch|EHR|administrator/i);
  });

  it('offers a retry only where retrying can help', () => {
    const { rerender } = render(
      <ErrorScreen error={new AppError('unavailable', 'down')} onRetry={jest.fn()} />,
    );
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
    rerender(<ErrorScreen error={new AppError('session-expired', 'expired')} onRetry={jest.fn()} />);
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });
});
