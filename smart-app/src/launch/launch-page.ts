/**
 * The launch page (`/app/launch.html`): starts an EHR or standalone launch, or asks for the FHIR
 * server when the URL names none. Plain DOM, so the page that redirects to the authorization
 * server loads no React.
 */
import type { fhirclient } from 'fhirclient/lib/types';
import {
  authorizeOptions,
  planLaunch,
  validateIssuer,
  type LaunchEnvironment,
  type LaunchPlan,
} from './launch';

export type Authorize = (options: fhirclient.AuthorizeParams) => Promise<unknown>;

export interface LaunchPageDeps extends LaunchEnvironment {
  search: URLSearchParams;
  authorize: Authorize;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Runs the launch page inside `root`. Resolves once authorize has been called or the form is shown. */
export async function runLaunchPage(root: HTMLElement, deps: LaunchPageDeps): Promise<void> {
  const plan = planLaunch(deps.search);
  if (plan.kind === 'ask-issuer') {
    renderIssuerForm(root, deps, plan.error);
    return;
  }
  await start(root, plan, deps);
}

async function start(
  root: HTMLElement,
  plan: Exclude<LaunchPlan, { kind: 'ask-issuer' }>,
  deps: LaunchPageDeps,
) {
  const status = el('p', { role: 'status', textContent: `Connecting to ${plan.iss}…` });
  root.replaceChildren(el('main', {}, [el('h1', { textContent: 'Rationale' }), status]));
  try {
    await deps.authorize(authorizeOptions(plan, deps));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    root.replaceChildren(
      el('main', {}, [
        el('h1', { textContent: 'Rationale could not start' }),
        el('div', { role: 'alert' }, [
          el('p', { textContent: `The FHIR server at ${plan.iss} did not accept the launch: ${message}` }),
          el('p', {
            textContent:
              'Check that the server publishes /.well-known/smart-configuration and that Rationale is registered there, then launch again from your EHR.',
          }),
        ]),
      ]),
    );
  }
}

/** The standalone form: the user types the FHIR base of the server to sign in to. */
function renderIssuerForm(root: HTMLElement, deps: LaunchPageDeps, initialError?: string) {
  const input = el('input', {
    id: 'fhir-server',
    name: 'iss',
    type: 'url',
    required: true,
    placeholder: 'https://ehr.example.org/fhir/r4',
  });
  input.setAttribute('autocomplete', 'url');
  input.setAttribute('aria-describedby', 'fhir-server-help fhir-server-error');
  const error = el('p', { id: 'fhir-server-error', className: 'field-error' });
  error.setAttribute('aria-live', 'polite');
  const showError = (message: string | undefined) => {
    error.textContent = message ?? '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  showError(initialError);

  const form = el('form', { noValidate: true }, [
    el('label', { htmlFor: 'fhir-server', textContent: 'FHIR server address' }),
    input,
    el('p', {
      id: 'fhir-server-help',
      className: 'help',
      textContent:
        'The base URL of your organization’s FHIR R4 server. You will sign in there and pick a patient.',
    }),
    error,
    el('button', { type: 'submit', textContent: 'Sign in' }),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const iss = input.value.trim();
    const problem = validateIssuer(iss);
    showError(problem);
    if (problem) {
      input.focus();
      return;
    }
    void start(root, { kind: 'standalone', iss }, deps);
  });

  root.replaceChildren(
    el('main', {}, [
      el('h1', { textContent: 'Rationale' }),
      el('p', {
        textContent:
          'Launch this app from your EHR to see the reasoning behind a card. To open it on its own, enter your FHIR server below.',
      }),
      form,
    ]),
  );
}
