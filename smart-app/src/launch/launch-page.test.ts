import { screen } from '@testing-library/dom';
import userEvent from '@testing-library/user-event';
import type { fhirclient } from 'fhirclient/lib/types';
import { runLaunchPage, type LaunchPageDeps } from './launch-page';

const ISS = 'http://localhost:8080/fhir';

function setup(
  search: Record<string, string>,
  authorize = jest.fn<Promise<unknown>, [fhirclient.AuthorizeParams]>().mockResolvedValue(undefined),
) {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  const deps: LaunchPageDeps = {
    search: new URLSearchParams(search),
    authorize,
    redirectUri: 'http://localhost:8081/app/',
    inFrame: true,
    newStateKey: () => 'a3c1e2f4-0000-4000-8000-000000000001',
  };
  return { root, deps, authorize };
}

describe('the launch page', () => {
  it('starts an EHR launch with launch + iss and the launch options, without showing a form', async () => {
    const { root, deps, authorize } = setup({ iss: ISS, launch: 'xyz' });
    await runLaunchPage(root, deps);
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(authorize.mock.calls[0]?.[0]).toMatchObject({
      iss: ISS,
      launch: 'xyz',
      clientId: 'rationale-app',
      pkceMode: 'ifSupported',
      completeInTarget: true,
      stateKey: 'a3c1e2f4-0000-4000-8000-000000000001',
      redirectUri: 'http://localhost:8081/app/',
    });
    expect(screen.getByRole('status')).toHaveTextContent(`Connecting to ${ISS}`);
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('starts a standalone launch with iss only, asking for launch/patient', async () => {
    const { root, deps, authorize } = setup({ iss: ISS });
    await runLaunchPage(root, deps);
    const options = authorize.mock.calls[0]?.[0];
    expect(options?.launch).toBeUndefined();
    expect(options?.scope).toContain('launch/patient');
  });

  it('asks for the FHIR server when opened with neither, then launches standalone against it', async () => {
    const user = userEvent.setup();
    const { root, deps, authorize } = setup({});
    await runLaunchPage(root, deps);
    expect(screen.getByText(/Launch this app from your EHR/)).toBeInTheDocument();
    const input = screen.getByRole('textbox', { name: 'FHIR server address' });

    await user.type(input, 'not a url');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(authorize).not.toHaveBeenCalled();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(expect.stringContaining('full address'));
    expect(input).toHaveFocus();

    await user.clear(input);
    await user.type(input, ISS);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(authorize.mock.calls[0]?.[0]).toMatchObject({ iss: ISS });
    expect(authorize.mock.calls[0]?.[0].scope).toContain('launch/patient');
  });

  it('explains a failed discovery instead of leaving a blank page', async () => {
    const { root, deps } = setup(
      { iss: ISS, launch: 'xyz' },
      jest.fn().mockRejectedValue(new Error('Failed to fetch the well-known json')),
    );
    await runLaunchPage(root, deps);
    expect(screen.getByRole('alert')).toHaveTextContent(
      /did not accept the launch: Failed to fetch the well-known json/,
    );
    expect(screen.getByRole('heading', { name: 'Rationale could not start' })).toBeInTheDocument();
  });
});
