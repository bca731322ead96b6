import FHIR from 'fhirclient';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DEFAULT_CLIENT_ID, parseClientIdMap, resolveClientId, scopesFor } from './config';
import {
  authorizeOptions,
  planLaunch,
  redirectUriFor,
  validateIssuer,
  type LaunchEnvironment,
} from './launch';

const ISS = 'http://localhost:8080/fhir';
const UUID = '0b6f4f5e-8c1e-4d8e-9a59-6f0c2b1d7e3a';

const env: LaunchEnvironment = {
  redirectUri: 'http://localhost:8081/app/',
  inFrame: false,
  newStateKey: () => UUID,
};

const wellKnown = (extra: Record<string, unknown> = {}) => ({
  authorization_endpoint: 'http://localhost:8080/auth/authorize',
  token_endpoint: 'http://localhost:8080/auth/token',
  grant_types_supported: ['authorization_code'],
  capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'sso-openid-connect'],
  ...extra,
});

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  sessionStorage.clear();
});
afterAll(() => server.close());

describe('planLaunch', () => {
  it('treats iss + launch as an EHR launch', () => {
    expect(planLaunch(new URLSearchParams({ iss: ISS, launch: 'abc' }))).toEqual({
      kind: 'ehr',
      iss: ISS,
      launch: 'abc',
    });
  });
  it('treats iss alone as a standalone launch', () => {
    expect(planLaunch(new URLSearchParams({ iss: ISS }))).toEqual({ kind: 'standalone', iss: ISS });
  });
  it('asks for the FHIR server when neither is given', () => {
    expect(planLaunch(new URLSearchParams())).toEqual({ kind: 'ask-issuer' });
  });
  it('asks for the FHIR server, saying why, when the launch handle comes without iss', () => {
    expect(planLaunch(new URLSearchParams({ launch: 'abc' }))).toMatchObject({
      kind: 'ask-issuer',
      error: expect.stringContaining('iss'),
    });
  });
  it('refuses a plain-http issuer that is not loopback, and javascript: URLs', () => {
    expect(planLaunch(new URLSearchParams({ iss: 'http://ehr.example.org/fhir', launch: 'x' })).kind).toBe(
      'ask-issuer',
    );
    expect(validateIssuer('javascript:alert(1)')).toBeDefined();
    expect(validateIssuer('https://user:pw@ehr.example.org/fhir')).toBeDefined();
    expect(validateIssuer('https://ehr.example.org/fhir/r4')).toBeUndefined();
  });
});

describe('authorizeOptions', () => {
  it('passes launch and iss, v2 scopes, PKCE if supported and a UUID state for an EHR launch', () => {
    const options = authorizeOptions({ kind: 'ehr', iss: ISS, launch: 'launch-123' }, env);
    expect(options).toEqual({
      iss: ISS,
      launch: 'launch-123',
      clientId: DEFAULT_CLIENT_ID,
      scope:
        'launch openid fhirUser patient/Patient.rs patient/Condition.rs patient/Observation.rs patient/MedicationRequest.rs patient/AllergyIntolerance.rs patient/Encounter.rs',
      redirectUri: 'http://localhost:8081/app/',
      pkceMode: 'ifSupported',
      stateKey: UUID,
    });
  });

  it('asks for launch/patient and no launch handle in a standalone launch', () => {
    const options = authorizeOptions({ kind: 'standalone', iss: ISS }, env);
    expect(options.launch).toBeUndefined();
    expect(options.scope?.split(' ')).toContain('launch/patient');
    expect(options.scope?.split(' ')).not.toContain('launch');
  });

  it('completes the authorization in the frame when embedded', () => {
    expect(
      authorizeOptions({ kind: 'ehr', iss: ISS, launch: 'x' }, { ...env, inFrame: true }).completeInTarget,
    ).toBe(true);
    expect(authorizeOptions({ kind: 'ehr', iss: ISS, launch: 'x' }, env).completeInTarget).toBeUndefined();
  });

  it('uses the per-issuer client id, exact or by prefix', () => {
    const clientIds = parseClientIdMap(
      '{"https://fhir.epic.test/api/FHIR/R4": "epic-id", "https://fhir-ehr.cerner.test/r4/*": "cerner-id"}',
    );
    expect(resolveClientId('https://fhir.epic.test/api/FHIR/R4/', clientIds)).toBe('epic-id');
    expect(resolveClientId('https://fhir-ehr.cerner.test/r4/tenant-1', clientIds)).toBe('cerner-id');
    expect(resolveClientId(ISS, clientIds)).toBe('rationale-app');
    expect(
      authorizeOptions(
        { kind: 'standalone', iss: 'https://fhir.epic.test/api/FHIR/R4' },
        { ...env, clientIds },
      ).clientId,
    ).toBe('epic-id');
  });

  it('rejects a malformed client id map instead of guessing', () => {
    expect(() => parseClientIdMap('["x"]')).toThrow(/JSON object/);
    expect(() => parseClientIdMap('{"https://a": 3}')).toThrow(/non-empty string/);
  });

  it('derives the redirect URI from the launch page: /app/launch.html → /app/', () => {
    expect(redirectUriFor('https://rationale.example.org/app/launch.html?iss=x&launch=y')).toBe(
      'https://rationale.example.org/app/',
    );
  });

  it('builds scope strings with v2 .rs permissions', () => {
    expect(scopesFor('ehr')).toMatch(/^launch openid fhirUser patient\/Patient\.rs/);
  });
});

describe('the real fhirclient authorize (noRedirect)', () => {
  it('sends an S256 PKCE challenge, the UUID state, aud and the launch handle when the server advertises S256', async () => {
    server.use(
      http.get(`${ISS}/.well-known/smart-configuration`, () =>
        HttpResponse.json(wellKnown({ code_challenge_methods_supported: ['S256'] })),
      ),
    );
    const url = new URL(
      (await FHIR.oauth2.authorize({
        ...authorizeOptions({ kind: 'ehr', iss: ISS, launch: 'launch-123' }, env),
        noRedirect: true,
      })) as string,
    );
    expect(url.origin + url.pathname).toBe('http://localhost:8080/auth/authorize');
    const params = url.searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBe(UUID);
    expect(params.get('aud')).toBe(ISS);
    expect(params.get('launch')).toBe('launch-123');
    expect(params.get('client_id')).toBe('rationale-app');
    expect(params.get('redirect_uri')).toBe('http://localhost:8081/app/');
    expect(params.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['launch', 'openid', 'fhirUser', 'patient/Observation.rs']),
    );
    // The verifier stays in this tab's session storage, keyed by the state, for the token request.
    const stored = JSON.parse(sessionStorage.getItem(UUID) ?? '{}') as { codeVerifier?: string };
    expect(stored.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });

  it('omits PKCE only for a server that advertises no S256 (Oracle Health), which is why the mode is ifSupported', async () => {
    server.use(http.get(`${ISS}/.well-known/smart-configuration`, () => HttpResponse.json(wellKnown())));
    const url = new URL(
      (await FHIR.oauth2.authorize({
        ...authorizeOptions({ kind: 'standalone', iss: ISS }, env),
        noRedirect: true,
      })) as string,
    );
    expect(url.searchParams.get('code_challenge_method')).toBeNull();
    expect(url.searchParams.get('state')).toBe(UUID);
  });
});
