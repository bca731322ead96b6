import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import request from 'supertest';
import { createSandboxApp, type SandboxApp } from '../app';
import { createConfig, type ConfigInput } from '../config';

const BASE = 'http://localhost:8080';
const FHIR = `${BASE}/fhir`;
const REDIRECT = 'http://127.0.0.1:8081/app/';
let now = Date.parse('2025-06-01T12:00:00Z');
let sandbox: SandboxApp;

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeQuery(overrides: Record<string, string | undefined>): Record<string, string> {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: 'rationale-app',
    redirect_uri: REDIRECT,
    scope: 'launch openid fhirUser patient/*.rs offline_access',
    state: 'state-123',
    aud: FHIR,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
}

async function ehrLaunchCode(
  app: SandboxApp,
  extra: Record<string, string | undefined> = {},
): Promise<{ code: string; verifier: string; launch: string }> {
  const { verifier, challenge } = pkce();
  const launch = app.services.createLaunch({
    patient: 'rat-015',
    user: 'Practitioner/rat-pr-002',
    appContext: 'assessment-42',
    needPatientBanner: false,
    encounter: 'rat-015-enc-1',
  });
  const res = await request(app.app)
    .get('/auth/authorize')
    .query(authorizeQuery({ launch, code_challenge: challenge, ...extra }));
  expect(res.status).toBe(303);
  const location = new URL(res.headers.location as string);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('state-123');
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code: ${location.toString()}`);
  return { code, verifier, launch };
}

function exchange(app: SandboxApp, form: Record<string, string>) {
  return request(app.app)
    .post('/auth/token')
    .type('form')
    .send({ grant_type: 'authorization_code', client_id: 'rationale-app', redirect_uri: REDIRECT, ...form });
}

async function build(input: ConfigInput = {}): Promise<SandboxApp> {
  return createSandboxApp(createConfig({ referenceDate: '2025-06-01', ...input }), { clock: () => now });
}

// Building the sandbox (FHIR definitions, 50 generated patients) takes seconds, minutes on a loaded
// 2-core machine: once per file, with room.
beforeAll(async () => {
  sandbox = await build();
}, 180_000);

describe('discovery', () => {
  it('serves smart-configuration with every required field, S256 only and no implicit flow', async () => {
    const res = await request(sandbox.app).get('/fhir/.well-known/smart-configuration');
    expect(res.status).toBe(200);
    const c = res.body;
    expect(c.token_endpoint).toBe(`${BASE}/auth/token`);
    expect(c.authorization_endpoint).toBe(`${BASE}/auth/authorize`);
    expect(c.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
    expect(c.code_challenge_methods_supported).toEqual(['S256']);
    expect(c.response_types_supported).toEqual(['code']);
    expect(c.capabilities).toEqual(
      expect.arrayContaining([
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'sso-openid-connect',
        'context-ehr-patient',
        'permission-v2',
        'permission-v1',
        'authorize-post',
      ]),
    );
    expect(c.issuer).toBe(FHIR);
    expect(c.jwks_uri).toBe(`${BASE}/.well-known/jwks.json`);
    const oidc = await request(sandbox.app).get('/fhir/.well-known/openid-configuration');
    expect(oidc.body.issuer).toBe(FHIR);
    expect(oidc.body.id_token_signing_alg_values_supported).toEqual(['RS256']);
  });

  it('publishes an RS256 id_token key and an ES384 hook key with distinct kids', async () => {
    const jwks = (await request(sandbox.app).get('/.well-known/jwks.json')).body as JSONWebKeySet;
    const algs = jwks.keys.map((k) => k.alg).sort();
    expect(algs).toEqual(['ES384', 'RS256']);
    expect(new Set(jwks.keys.map((k) => k.kid)).size).toBe(2);
    for (const k of jwks.keys) expect(k.d).toBeUndefined();
  });
});

describe('authorize', () => {
  it('requires PKCE: no code_challenge, or plain, is redirected back as invalid_request', async () => {
    const missing = await request(sandbox.app)
      .get('/auth/authorize')
      .query(
        authorizeQuery({
          launch: sandbox.services.createLaunch({ patient: 'rat-001', user: 'Practitioner/rat-pr-001' }),
        }),
      );
    expect(missing.status).toBe(303);
    const url = new URL(missing.headers.location as string);
    expect(url.searchParams.get('error')).toBe('invalid_request');
    expect(url.searchParams.get('state')).toBe('state-123');
    expect(url.searchParams.get('code')).toBeNull();
    const plain = await request(sandbox.app)
      .get('/auth/authorize')
      .query(authorizeQuery({ code_challenge: pkce().verifier, code_challenge_method: 'plain' }));
    expect(new URL(plain.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses an unregistered redirect_uri or unknown client with a page, never a redirect', async () => {
    const res = await request(sandbox.app)
      .get('/auth/authorize')
      .query(
        authorizeQuery({ redirect_uri: 'http://127.0.0.1:8081/app/other', code_challenge: pkce().challenge }),
      );
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('redirect_uri');
    const client = await request(sandbox.app)
      .get('/auth/authorize')
      .query(authorizeQuery({ client_id: 'nobody', code_challenge: pkce().challenge }));
    expect(client.status).toBe(400);
  });

  it('requires aud to be the FHIR base', async () => {
    const res = await request(sandbox.app)
      .get('/auth/authorize')
      .query(authorizeQuery({ aud: 'http://elsewhere.example/fhir', code_challenge: pkce().challenge }));
    expect(new URL(res.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });

  it('accepts POST and resolves a launch handle only once', async () => {
    const { challenge } = pkce();
    const launch = sandbox.services.createLaunch({ patient: 'rat-001', user: 'Practitioner/rat-pr-001' });
    const first = await request(sandbox.app)
      .post('/auth/authorize')
      .type('form')
      .send(authorizeQuery({ launch, code_challenge: challenge }));
    expect(new URL(first.headers.location as string).searchParams.get('code')).toBeTruthy();
    const again = await request(sandbox.app)
      .post('/auth/authorize')
      .type('form')
      .send(authorizeQuery({ launch, code_challenge: challenge }));
    expect(new URL(again.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });

  it('expires launch handles', async () => {
    const launch = sandbox.services.createLaunch({ patient: 'rat-001', user: 'Practitioner/rat-pr-001' });
    now += 301_000;
    try {
      const res = await request(sandbox.app)
        .get('/auth/authorize')
        .query(authorizeQuery({ launch, code_challenge: pkce().challenge }));
      expect(new URL(res.headers.location as string).searchParams.get('error')).toBe('invalid_request');
    } finally {
      now -= 301_000;
    }
  });
});

describe('token', () => {
  it('exchanges a code with the right verifier for tokens and launch context, with no-store headers', async () => {
    const { code, verifier } = await ehrLaunchCode(sandbox);
    const res = await exchange(sandbox, { code, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    const t = res.body;
    expect(t.token_type).toBe('Bearer');
    expect(t.expires_in).toBeLessThanOrEqual(3600);
    expect(t.scope).toBe('launch openid fhirUser patient/*.rs offline_access');
    expect(t.patient).toBe('rat-015');
    expect(t.encounter).toBe('rat-015-enc-1');
    expect(t.appContext).toBe('assessment-42');
    expect(t.need_patient_banner).toBe(false);
    expect(t.smart_style_url).toBe(`${BASE}/smart-style.json`);
    expect(typeof t.refresh_token).toBe('string');
    const fhir = await request(sandbox.app)
      .get('/fhir/Patient/rat-015')
      .set('Authorization', `Bearer ${t.access_token}`);
    expect(fhir.status).toBe(200);
    const style = await request(sandbox.app).get('/smart-style.json');
    expect(style.body.color_background).toBeDefined();
  });

  it('issues an id_token that verifies against the JWKS with iss, aud, sub and an absolute fhirUser', async () => {
    const { code, verifier } = await ehrLaunchCode(sandbox, { nonce: 'n-1' });
    const t = (await exchange(sandbox, { code, code_verifier: verifier })).body;
    const jwks = createLocalJWKSet(
      (await request(sandbox.app).get('/.well-known/jwks.json')).body as JSONWebKeySet,
    );
    const { payload, protectedHeader } = await jwtVerify(t.id_token, jwks, {
      issuer: FHIR,
      audience: 'rationale-app',
      currentDate: new Date(now),
      algorithms: ['RS256'],
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe('rat-pr-002');
    expect(payload.fhirUser).toBe(`${FHIR}/Practitioner/rat-pr-002`);
    expect(payload.nonce).toBe('n-1');
  });

  it('rejects a wrong or missing PKCE verifier with invalid_grant', async () => {
    const a = await ehrLaunchCode(sandbox);
    const wrong = await exchange(sandbox, { code: a.code, code_verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const b = await ehrLaunchCode(sandbox);
    const missing = await exchange(sandbox, { code: b.code });
    expect(missing.body.error).toBe('invalid_grant');
  });

  it('rejects a reused code and revokes the tokens issued from it', async () => {
    const { code, verifier } = await ehrLaunchCode(sandbox);
    const first = await exchange(sandbox, { code, code_verifier: verifier });
    expect(first.status).toBe(200);
    const bearer = `Bearer ${first.body.access_token}`;
    expect(
      (await request(sandbox.app).get('/fhir/Patient/rat-015').set('Authorization', bearer)).status,
    ).toBe(200);
    const second = await exchange(sandbox, { code, code_verifier: verifier });
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect(
      (await request(sandbox.app).get('/fhir/Patient/rat-015').set('Authorization', bearer)).status,
    ).toBe(401);
    const refresh = await request(sandbox.app).post('/auth/token').type('form').send({
      grant_type: 'refresh_token',
      client_id: 'rationale-app',
      refresh_token: first.body.refresh_token,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('rejects an expired code', async () => {
    const { code, verifier } = await ehrLaunchCode(sandbox);
    now += 61_000;
    try {
      const res = await exchange(sandbox, { code, code_verifier: verifier });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
      expect(res.body.error_description).toContain('expired');
    } finally {
      now -= 61_000;
    }
  });

  it('rejects a redirect_uri that differs from the authorization request', async () => {
    const { code, verifier } = await ehrLaunchCode(sandbox);
    const res = await exchange(sandbox, {
      code,
      code_verifier: verifier,
      redirect_uri: 'http://localhost:8081/app/',
    });
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refreshes with rotation; reusing an old refresh token revokes the authorization', async () => {
    const { code, verifier } = await ehrLaunchCode(sandbox);
    const first = (await exchange(sandbox, { code, code_verifier: verifier })).body;
    const refresh = (token: string, scope?: string) =>
      request(sandbox.app)
        .post('/auth/token')
        .type('form')
        .send({
          grant_type: 'refresh_token',
          client_id: 'rationale-app',
          refresh_token: token,
          ...(scope ? { scope } : {}),
        });
    const second = await refresh(first.refresh_token, 'patient/*.rs offline_access');
    expect(second.status).toBe(200);
    expect(second.headers['cache-control']).toBe('no-store');
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.scope).toBe('patient/*.rs offline_access');
    expect(second.body.patient).toBe('rat-015');
    expect(second.body.expires_in).toBeGreaterThan(0);
    const widened = await refresh(second.body.refresh_token, 'user/*.cruds');
    expect(widened.body.error).toBe('invalid_scope');
    const reuse = await refresh(first.refresh_token);
    expect(reuse.body.error).toBe('invalid_grant');
    const afterRevoke = await refresh(second.body.refresh_token);
    expect(afterRevoke.body.error).toBe('invalid_grant');
    const fhir = await request(sandbox.app)
      .get('/fhir/Patient/rat-015')
      .set('Authorization', `Bearer ${second.body.access_token}`);
    expect(fhir.status).toBe(401);
  });

  it('rejects unknown grant types and clients', async () => {
    const grant = await request(sandbox.app)
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'password', client_id: 'rationale-app' });
    expect(grant.body.error).toBe('unsupported_grant_type');
    const client = await request(sandbox.app)
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'authorization_code', client_id: 'nobody', code: 'x' });
    expect(client.status).toBe(401);
    expect(client.body.error).toBe('invalid_client');
  });
});

describe('standalone launch', () => {
  it('signs in a practitioner, picks a patient and returns a code bound to that patient', async () => {
    const { verifier, challenge } = pkce();
    const start = await request(sandbox.app)
      .get('/auth/authorize')
      .query(
        authorizeQuery({ scope: 'launch/patient openid fhirUser patient/*.rs', code_challenge: challenge }),
      );
    expect(start.status).toBe(303);
    const login = new URL(start.headers.location as string);
    expect(login.pathname).toBe('/auth/login');
    const page = await request(sandbox.app).get(`${login.pathname}${login.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label><input type="radio" name="practitioner" value="rat-pr-001"');
    const requestId = login.searchParams.get('request') ?? '';
    const unknown = await request(sandbox.app)
      .post('/auth/login')
      .type('form')
      .send({ request: requestId, practitioner: 'nobody' });
    expect(unknown.status).toBe(400);
    const signedIn = await request(sandbox.app)
      .post('/auth/login')
      .type('form')
      .send({ request: requestId, practitioner: 'rat-pr-003' });
    expect(signedIn.status).toBe(303);
    const picker = new URL(signedIn.headers.location as string);
    expect(picker.pathname).toBe('/auth/select-patient');
    const pickerPage = await request(sandbox.app).get(`${picker.pathname}${picker.search}`);
    expect(pickerPage.text).toContain('value="rat-021"');
    const chosen = await request(sandbox.app)
      .post('/auth/select-patient')
      .type('form')
      .send({ request: requestId, patient: 'rat-021' });
    const back = new URL(chosen.headers.location as string);
    expect(back.searchParams.get('state')).toBe('state-123');
    const t = (
      await exchange(sandbox, { code: back.searchParams.get('code') ?? '', code_verifier: verifier })
    ).body;
    expect(t.patient).toBe('rat-021');
    expect(t.need_patient_banner).toBe(true);
    const { payload } = await jwtVerify(
      t.id_token,
      createLocalJWKSet((await request(sandbox.app).get('/.well-known/jwks.json')).body),
      { currentDate: new Date(now) },
    );
    expect(payload.fhirUser).toBe(`${FHIR}/Practitioner/rat-pr-003`);
    expect(
      (
        await request(sandbox.app)
          .get('/fhir/Patient/rat-001')
          .set('Authorization', `Bearer ${t.access_token}`)
      ).status,
    ).toBe(403);
    expect(
      (
        await request(sandbox.app)
          .get('/fhir/Patient/rat-021')
          .set('Authorization', `Bearer ${t.access_token}`)
      ).status,
    ).toBe(200);
  });

  it('needs the launch parameter when the launch scope is asked for', async () => {
    const res = await request(sandbox.app)
      .get('/auth/authorize')
      .query(authorizeQuery({ code_challenge: pkce().challenge }));
    expect(new URL(res.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });
});

describe('scope downgrade and service tokens', () => {
  it('grants read-only scopes when the downgrade toggle is on', async () => {
    const readOnly = await build({ scopeDowngrade: 'read-only' });
    const { code, verifier } = await ehrLaunchCode(readOnly, {
      scope: 'launch patient/*.cruds user/Observation.write openid fhirUser',
    });
    const t = (await exchange(readOnly, { code, code_verifier: verifier })).body;
    expect(t.scope).toBe('launch patient/*.rs openid fhirUser');
    const write = await request(readOnly.app)
      .post('/fhir/Observation')
      .set('Authorization', `Bearer ${t.access_token}`)
      .send({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'x' },
        subject: { reference: 'Patient/rat-015' },
      });
    expect(write.status).toBe(403);
  }, 180_000);

  it('mints fhirAuthorization tokens only for the registered CDS client', async () => {
    const t = await sandbox.services.issueServiceToken({
      clientId: 'rationale-cds',
      patient: 'rat-005',
      user: 'Practitioner/rat-pr-001',
      scope: 'patient/Patient.r patient/Observation.rs',
    });
    expect(t.scope).toBe('patient/Patient.r patient/Observation.rs');
    expect(
      (
        await request(sandbox.app)
          .get('/fhir/Observation?patient=rat-005')
          .set('Authorization', `Bearer ${t.access_token}`)
      ).status,
    ).toBe(200);
    expect(
      (
        await request(sandbox.app)
          .get('/fhir/Condition?patient=rat-005')
          .set('Authorization', `Bearer ${t.access_token}`)
      ).status,
    ).toBe(403);
    await expect(
      sandbox.services.issueServiceToken({
        clientId: 'rationale-app',
        patient: 'rat-005',
        user: 'Practitioner/rat-pr-001',
        scope: 'patient/*.rs',
      }),
    ).rejects.toThrow('invalid_client');
  });

  it('signs CDS Hooks JWTs with the ES384 key from the JWKS', async () => {
    const jwt = await sandbox.services.signHookJwt(
      'http://127.0.0.1:8081/cds-services/rationale-patient-view',
    );
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'ES384', typ: 'JWT', jku: `${BASE}/.well-known/jwks.json` });
    const jwks = (await request(sandbox.app).get('/.well-known/jwks.json')).body as JSONWebKeySet;
    expect(jwks.keys.find((k) => k.kid === header.kid)?.alg).toBe('ES384');
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer: sandbox.services.hookIssuer.iss,
      audience: 'http://127.0.0.1:8081/cds-services/rationale-patient-view',
      currentDate: new Date(now),
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(sandbox.services.hookIssuer.jwksUri).toBe(`${BASE}/.well-known/jwks.json`);
  });
});
