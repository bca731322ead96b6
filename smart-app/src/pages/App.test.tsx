import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createRationaleApi } from '../api/rationale-api';
import type { SmartSession } from '../launch/smart-session';
import { fetchJson } from '../launch/smart-session';
import { API_BASE, FHIR_BASE, makeAssessment, modelCard, patientP1 } from '../test-support/fixtures';
import { createTestIssuer, type TestIssuer } from '../test-support/oidc';
import { ACCESS_TOKEN, makeSession } from '../test-support/session';
import { App } from './App';

let issuer: TestIssuer;
const requests: { method: string; url: string; authorization: string | null; body?: unknown }[] = [];
const server = setupServer();

beforeAll(async () => {
  issuer = await createTestIssuer(FHIR_BASE);
  server.listen({ onUnhandledRequest: 'error' });
});
beforeEach(() => {
  requests.length = 0;
  server.use(
    ...issuer.handlers,
    http.get(`${FHIR_BASE}/Patient/p1`, ({ request }) => {
      requests.push({ method: 'GET', url: request.url, authorization: request.headers.get('authorization') });
      return HttpResponse.json(patientP1);
    }),
    http.get(`${API_BASE}/assessments/:id`, ({ request, params }) => {
      requests.push({ method: 'GET', url: request.url, authorization: request.headers.get('authorization') });
      return params.id === 'assessment-1'
        ? HttpResponse.json(makeAssessment())
        : new HttpResponse(null, { status: 404 });
    }),
    http.get(`${API_BASE}/model-card`, () => HttpResponse.json(modelCard)),
  );
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function renderApp(loadSession: () => Promise<SmartSession>) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={queryClient}>
      <App
        loadSession={loadSession}
        createApi={(session) =>
          createRationaleApi({ baseUrl: API_BASE, accessToken: () => session.accessToken() })
        }
        fetchJson={fetchJson}
      />
    </QueryClientProvider>,
  );
}

describe('an EHR launch with appContext', () => {
  it('loads the named assessment with the SMART token and shows the differential, banner, model and verified user', async () => {
    const session = makeSession({ appContext: 'assessment-1', id_token: await issuer.sign() });
    renderApp(() => Promise.resolve(session));

    expect(await screen.findByRole('heading', { name: 'Differential', level: 2 })).toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'Type 2 diabetes' })).toBeInTheDocument();
    expect(requests.find((r) => r.url === `${API_BASE}/assessments/assessment-1`)?.authorization).toBe(
      `Bearer ${ACCESS_TOKEN}`,
    );

    const banner = await screen.findByRole('region', { name: 'Patient' });
    expect(await within(banner).findByText('Ana María Rivera')).toBeInTheDocument();
    expect(banner).toHaveTextContent('female');
    expect(banner).toHaveTextContent('14 Aug 1967');
    expect(requests.find((r) => r.url === `${FHIR_BASE}/Patient/p1`)?.authorization).toBe(
      `Bearer ${ACCESS_TOKEN}`,
    );

    const header = screen.getByRole('banner');
    expect(header).toHaveTextContent('Rationale knowledge model 1.4.0');
    expect(header).toHaveTextContent('9f2c1ab0');
    expect(header).toHaveTextContent('2 Mar 2026, 14:05');
    expect(header).toHaveTextContent('Signed in as Dr Lee');
  });

  it('hides its own patient banner when the EHR shows one (need_patient_banner false)', async () => {
    renderApp(() => Promise.resolve(makeSession({ appContext: 'assessment-1', need_patient_banner: false })));
    await screen.findByRole('heading', { name: 'Differential' });
    expect(screen.queryByRole('region', { name: 'Patient' })).toBeNull();
    expect(requests.some((r) => r.url.includes('/Patient/'))).toBe(false);
  });

  it('applies the EHR’s smart_style_url colors as CSS variables', async () => {
    server.use(
      http.get('http://ehr.test/style.json', () =>
        HttpResponse.json({ color_highlight: '#6b2c91', font_family_body: 'Arial, sans-serif' }),
      ),
    );
    renderApp(() =>
      Promise.resolve(
        makeSession({ appContext: 'assessment-1', smart_style_url: 'http://ehr.test/style.json' }),
      ),
    );
    await screen.findByRole('heading', { name: 'Differential' });
    await waitFor(() =>
      expect(document.documentElement.style.getPropertyValue('--color-highlight')).toBe('#6b2c91'),
    );
    expect(document.documentElement.style.getPropertyValue('--font-body')).toBe('Arial, sans-serif');
  });
});

describe('a launch without appContext', () => {
  it('computes a fresh assessment when the patient has none stored', async () => {
    const created = makeAssessment({ id: 'fresh-1' });
    let posted: unknown;
    server.use(
      http.get(`${API_BASE}/assessments`, ({ request }) => {
        requests.push({
          method: 'GET',
          url: request.url,
          authorization: request.headers.get('authorization'),
        });
        return new HttpResponse(null, { status: 404 });
      }),
      http.post(`${API_BASE}/assessments`, async ({ request }) => {
        posted = await request.json();
        return HttpResponse.json(created, { status: 201 });
      }),
    );
    renderApp(() => Promise.resolve(makeSession()));
    expect(await screen.findByRole('heading', { name: 'Differential' })).toBeInTheDocument();
    const lookup = requests.map((r) => new URL(r.url)).find((u) => u.pathname === '/api/assessments');
    expect(Object.fromEntries(lookup?.searchParams ?? [])).toEqual({ patient: 'p1', fhirServer: FHIR_BASE });
    expect(posted).toEqual({ fhirServer: FHIR_BASE, patient: 'p1' });
    expect(screen.getByText('fresh-1')).toBeInTheDocument();
  });

  it('shows the patient’s latest stored assessment without computing another', async () => {
    const post = jest.fn();
    server.use(
      http.get(`${API_BASE}/assessments`, () => HttpResponse.json(makeAssessment({ id: 'latest-7' }))),
      http.post(`${API_BASE}/assessments`, () => {
        post();
        return HttpResponse.json(makeAssessment());
      }),
    );
    renderApp(() => Promise.resolve(makeSession()));
    expect(await screen.findByText('latest-7')).toBeInTheDocument();
    expect(post).not.toHaveBeenCalled();
  });

  it('says no patient was selected when the launch carries none', async () => {
    renderApp(() => Promise.resolve(makeSession({ patient: undefined })));
    expect(await screen.findByRole('heading', { name: 'No patient was selected' })).toBeInTheDocument();
  });
});

describe('failures get actionable screens', () => {
  it('shows the identity error screen for an id_token signed with an unpublished key, before any service call', async () => {
    renderApp(async () =>
      makeSession({ appContext: 'assessment-1', id_token: await issuer.signWithForeignKey() }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Your identity could not be verified' }),
    ).toBeInTheDocument();
    expect(requests.filter((r) => r.url.startsWith(API_BASE))).toHaveLength(0);
  });

  it('shows the scope screen when the grant lacks Patient read', async () => {
    renderApp(() =>
      Promise.resolve(
        makeSession({ appContext: 'assessment-1', scope: 'launch openid fhirUser patient/Observation.rs' }),
      ),
    );
    expect(
      await screen.findByRole('heading', { name: 'Rationale lacks permission to read this record' }),
    ).toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });

  it('accepts v1 scopes in the grant and notes the resource types it cannot open', async () => {
    renderApp(() =>
      Promise.resolve(
        makeSession({
          appContext: 'assessment-1',
          scope: 'launch patient/Patient.read patient/Observation.read',
        }),
      ),
    );
    expect(await screen.findByRole('heading', { name: 'Differential' })).toBeInTheDocument();
    expect(screen.getByRole('note')).toHaveTextContent(
      'Condition, MedicationRequest, AllergyIntolerance, Encounter',
    );
  });

  it('shows the session-expired screen when the service answers 401', async () => {
    server.use(http.get(`${API_BASE}/assessments/:id`, () => new HttpResponse(null, { status: 401 })));
    renderApp(() => Promise.resolve(makeSession({ appContext: 'assessment-1' })));
    expect(await screen.findByRole('heading', { name: 'Your session has expired' })).toBeInTheDocument();
  });

  it('shows the session-expired screen without calling the service once the token has expired', async () => {
    renderApp(() =>
      Promise.resolve(
        makeSession({ appContext: 'assessment-1' }, { expiresAt: 1_000, now: () => 2_000_000 }),
      ),
    );
    expect(await screen.findByRole('heading', { name: 'Your session has expired' })).toBeInTheDocument();
    expect(requests.filter((r) => r.url.startsWith(API_BASE))).toHaveLength(0);
  });

  it('shows the permission screen when the service answers 403', async () => {
    server.use(http.get(`${API_BASE}/assessments/:id`, () => new HttpResponse(null, { status: 403 })));
    renderApp(() => Promise.resolve(makeSession({ appContext: 'assessment-1' })));
    expect(
      await screen.findByRole('heading', { name: 'Rationale lacks permission to read this record' }),
    ).toBeInTheDocument();
  });

  it('names an allowlist refusal as such, not as missing permissions, from the service’s OperationOutcome', async () => {
    server.use(
      http.get(`${API_BASE}/assessments/:id`, () =>
        HttpResponse.json(
          {
            resourceType: 'OperationOutcome',
            issue: [
              { severity: 'error', code: 'forbidden', diagnostics: 'fhirServer is not on the allowlist' },
            ],
          },
          { status: 403 },
        ),
      ),
    );
    renderApp(() => Promise.resolve(makeSession({ appContext: 'assessment-1' })));
    expect(
      await screen.findByRole('heading', { name: 'This EHR’s FHIR server is not on Rationale’s allowlist' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/FHIR_SERVER_ALLOWLIST/)).toBeInTheDocument();
    expect(screen.queryByText(/granted fewer permissions/)).not.toBeInTheDocument();
  });

  it('says the assessment is gone when the service answers 404', async () => {
    renderApp(() => Promise.resolve(makeSession({ appContext: 'expired-assessment' })));
    expect(
      await screen.findByRole('heading', { name: 'This assessment is no longer available' }),
    ).toBeInTheDocument();
  });
});

describe('the redirect page’s one ready() call (launch/ready.ts)', () => {
  function loadReady(path: string): Promise<SmartSession> {
    window.history.replaceState({}, '', path);
    let mod: { smartSession: Promise<SmartSession> } | undefined;
    jest.isolateModules(() => {
      // isolateModules is synchronous: a fresh copy of the module (and of fhirclient) needs require().
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require('../launch/ready') as { smartSession: Promise<SmartSession> };
    });
    if (!mod) throw new Error('launch/ready did not load');
    return mod.smartSession;
  }
  afterEach(() => {
    sessionStorage.clear();
    window.history.replaceState({}, '', '/');
  });

  it('shows “Launch this app from your EHR” when opened directly with no state', async () => {
    const session = loadReady('/app/');
    renderApp(() => session);
    expect(await screen.findByRole('heading', { name: 'Launch this app from your EHR' })).toBeInTheDocument();
  });

  it('shows the state-mismatch screen when the returned state matches no launch in this tab', async () => {
    const session = loadReady('/app/?code=abc&state=not-ours');
    renderApp(() => session);
    expect(
      await screen.findByRole('heading', { name: 'This sign-in does not match a launch from this window' }),
    ).toBeInTheDocument();
  });

  it('shows the access-denied screen when the authorization server returns an error', async () => {
    const session = loadReady('/app/?error=access_denied&error_description=User%20declined&state=x');
    renderApp(() => session);
    expect(await screen.findByRole('heading', { name: 'Access was not granted' })).toBeInTheDocument();
  });
});
