import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AppError } from '../errors';
import { API_BASE, makeAssessment } from '../test-support/fixtures';
import { createRationaleApi } from './rationale-api';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const api = createRationaleApi({ baseUrl: `${API_BASE}/`, accessToken: () => 'tok' });

describe('the service API client', () => {
  it('sends the access token and validates the assessment against the shared schema', async () => {
    let auth: string | null = null;
    server.use(
      http.get(`${API_BASE}/assessments/a%2F1`, ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json(makeAssessment({ id: 'a/1' }));
      }),
    );
    await expect(api.getAssessment('a/1')).resolves.toMatchObject({ id: 'a/1' });
    expect(auth).toBe('Bearer tok');
  });

  it('refuses a response that breaks the contract rather than rendering half of it', async () => {
    server.use(
      http.get(`${API_BASE}/assessments/x`, () => HttpResponse.json({ id: 'x', hypotheses: 'nope' })),
    );
    await expect(api.getAssessment('x')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('finds no latest assessment on 404, and maps 401 to session-expired', async () => {
    server.use(http.get(`${API_BASE}/assessments`, () => new HttpResponse(null, { status: 404 })));
    await expect(api.findLatestAssessment('p1', 'http://ehr.test/fhir')).resolves.toBeNull();
    server.use(http.get(`${API_BASE}/assessments`, () => new HttpResponse(null, { status: 401 })));
    const error = await api.findLatestAssessment('p1', 'http://ehr.test/fhir').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'session-expired' });
  });

  it('does not call the service with an expired token', async () => {
    const expired = createRationaleApi({
      baseUrl: API_BASE,
      accessToken: () => {
        throw new AppError('session-expired', 'expired');
      },
    });
    await expect(expired.getModelCard()).rejects.toMatchObject({ code: 'session-expired' });
  });
});
