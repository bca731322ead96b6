import { createSecretKey } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import request from 'supertest';
import { SignJWT, base64url } from 'jose';
import { useFhirMock } from '../test-support/fhir-server';
import { hookRequest } from '../test-support/fixtures';
import { buildHarness, EHR_ISS, PUBLIC_URL, type Harness } from '../test-support/harness';
import { makeKey, signToken } from '../test-support/jwt';
import type { ReplayGuard } from '../store/store';
import { loadConfig } from '../config';
import { createMemoryRateLimits } from './rate-limit';

const mock = useFhirMock();

const PV = '/cds-services/rationale-patient-view';

async function post(h: Harness, token: string | undefined, path = PV) {
  const r = request(h.app).post(path);
  if (token !== undefined) r.set('Authorization', `Bearer ${token}`);
  return r.send(hookRequest('patient-view'));
}

/**
 * Rate limits that note, as each call reaches its client's limit (the first step after its
 * signature check has passed), whether its body is already parsed.
 */
function bodyAtClientLimit() {
  const bodyAtCheck: boolean[] = [];
  // Only the rate-limit settings of this configuration are read.
  const limits = createMemoryRateLimits(loadConfig({ AUTH_REQUIRED: 'false' }));
  const rateLimits = {
    ...limits,
    client: ((req, res, next) => {
      bodyAtCheck.push(req.body !== undefined);
      limits.client(req, res, next);
    }) satisfies typeof limits.client,
  };
  return { bodyAtCheck, rateLimits };
}

/** A bare 401: no body at all (CDS Hooks best practices "JWT"). */
function expectBare401(res: request.Response) {
  expect(res.status).toBe(401);
  expect(res.text ?? '').toBe('');
}

describe('CDS client JWT', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await buildHarness();
  });

  it('accepts a valid ES384 token', async () => {
    const res = await post(h, await h.token(PV));
    expect(res.status).toBe(200);
  });

  it('accepts a valid RS384 token', async () => {
    const res = await post(h, await h.token(PV, { key: h.rs384 }));
    expect(res.status).toBe(200);
  });

  it('rejects a request without a token', async () => {
    expectBare401(await post(h, undefined));
  });

  it('without a token reads no body: a bare 401 even for a body that is not JSON or is too large', async () => {
    const notJson = await request(h.app).post(PV).set('Content-Type', 'application/json').send('{"hook": ');
    expectBare401(notJson);
    const tooLarge = await request(h.app)
      .post(PV)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(12 * 1024 * 1024) }));
    expectBare401(tooLarge);
    // With a valid token the same body is read and refused for what it is.
    const parsed = await request(h.app)
      .post(PV)
      .set('Authorization', `Bearer ${await h.token(PV)}`)
      .set('Content-Type', 'application/json')
      .send('{"hook": ');
    expect(parsed.status).toBe(400);
  });

  it('answers a token whose signature fails with a bare 401, though its body was parsed during the check', async () => {
    const stranger = await makeKey('ES384', 'ehr-es384');
    const forged = () => h.token(PV, { key: stranger });
    const notJson = await request(h.app)
      .post(PV)
      .set('Authorization', `Bearer ${await forged()}`)
      .set('Content-Type', 'application/json')
      .send('{"hook": ');
    expectBare401(notJson);
    const tooLarge = await request(h.app)
      .post(PV)
      .set('Authorization', `Bearer ${await forged()}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(12 * 1024 * 1024) }));
    expectBare401(tooLarge);
    // The valid body was parsed while the forged signature was checked, and still only a bare 401.
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const body = hookRequest('patient-view');
      const res = await request(h.app)
        .post(PV)
        .set('Authorization', `Bearer ${await forged()}`)
        .send(body);
      expectBare401(res);
      const hookInstance = body.hookInstance as string;
      expect(parse.mock.calls.some(([text]) => String(text).includes(hookInstance))).toBe(true);
    } finally {
      parse.mockRestore();
    }
  });

  it("parses a hook's body while its token's signature is checked, not after", async () => {
    const { bodyAtCheck, rateLimits } = bodyAtClientLimit();
    const parsedEarly = await buildHarness({ deps: { rateLimits } });
    const res = await post(parsedEarly, await parsedEarly.token(PV));
    expect(res.status).toBe(200);
    expect(bodyAtCheck).toEqual([true]);
    // Discovery has no body: nothing is parsed for it.
    const discovery = await request(parsedEarly.app)
      .get('/cds-services')
      .set('Authorization', `Bearer ${await parsedEarly.token('/cds-services')}`);
    expect(discovery.status).toBe(200);
    expect(bodyAtCheck).toEqual([true, false]);
  });

  it('rejects alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'ehr-es384' }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({ iss: EHR_ISS, aud: `${PUBLIC_URL}${PV}`, iat: now, exp: now + 300, jti: 'none-1' }),
    );
    expectBare401(await post(h, `${header}.${payload}.`));
  });

  it('rejects HS256 signed with the public key as the secret', async () => {
    const secret = createSecretKey(Buffer.from(JSON.stringify(h.es384.publicJwk)));
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      iss: EHR_ISS,
      aud: `${PUBLIC_URL}${PV}`,
      iat: now,
      exp: now + 300,
      jti: 'hs-1',
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'ehr-es384' })
      .sign(secret);
    expectBare401(await post(h, token));
  });

  it('rejects an expired token', async () => {
    expectBare401(await post(h, await h.token(PV, { iatOffsetSeconds: -600, expInSeconds: -120 })));
  });

  it('rejects a token whose nbf is in the future', async () => {
    expectBare401(await post(h, await h.token(PV, { nbfOffsetSeconds: 600 })));
  });

  it('accepts clock skew under 60 s on nbf', async () => {
    expect((await post(h, await h.token(PV, { nbfOffsetSeconds: 30 }))).status).toBe(200);
  });

  it('rejects a token issued in the future', async () => {
    expectBare401(await post(h, await h.token(PV, { iatOffsetSeconds: 600, expInSeconds: 900 })));
  });

  it('rejects a token issued more than an hour ago', async () => {
    expectBare401(await post(h, await h.token(PV, { iatOffsetSeconds: -4000, expInSeconds: 300 })));
  });

  it('rejects a token for another audience', async () => {
    expectBare401(
      await post(h, await h.token(PV, { aud: `${PUBLIC_URL}/cds-services/rationale-order-sign` })),
    );
  });

  it('rejects a token for the discovery URL used on a service call', async () => {
    expectBare401(await post(h, await h.token('/cds-services')));
  });

  it('rejects an unknown issuer', async () => {
    expectBare401(await post(h, await h.token(PV, { iss: 'https://unknown.example' })));
  });

  it('rejects an unknown kid', async () => {
    expectBare401(await post(h, await h.token(PV, { kid: 'rotated-away' })));
  });

  it('rejects a token without kid', async () => {
    expectBare401(await post(h, await h.token(PV, { kid: null })));
  });

  it('rejects a token without typ JWT', async () => {
    expectBare401(await post(h, await h.token(PV, { typ: 'at+jwt' })));
  });

  it('rejects a token signed by a key the issuer does not hold', async () => {
    const stranger = await makeKey('ES384', 'ehr-es384');
    expectBare401(await post(h, await h.token(PV, { key: stranger })));
  });

  it('rejects a jku that is not allowlisted for the issuer, without fetching it', async () => {
    const stranger = await makeKey('ES384', 'attacker-kid');
    const jku = 'https://attacker.example/jwks.json';
    expectBare401(await post(h, await h.token(PV, { key: stranger, jku })));
    expect(mock.requests).toHaveLength(0);
  });

  it("verifies with the issuer's inline keys when they hold the kid, whatever jku says, fetching nothing", async () => {
    const res = await post(h, await h.token(PV, { jku: 'https://unreachable.example/jwks.json' }));
    expect(res.status).toBe(200);
    expect(mock.requests).toHaveLength(0);
  });

  it('rejects a replayed jti', async () => {
    const token = await h.token(PV, { jti: 'once-only' });
    expect((await post(h, token)).status).toBe(200);
    expectBare401(await post(h, token));
  });

  it('rejects a replay shared through the store by another replica', async () => {
    const other = await buildHarness();
    await other.store.rememberJti(EHR_ISS, 'seen-elsewhere', new Date(Date.now() + 60_000), new Date());
    expectBare401(await post(other, await other.token(PV, { jti: 'seen-elsewhere' })));
  });

  it('still rejects a replay on this replica when the store is down', async () => {
    const down = await buildHarness();
    down.store.failing = true;
    const token = await down.token(PV, { jti: 'store-down' });
    expect((await post(down, token)).status).toBe(200);
    expectBare401(await post(down, token));
  });

  it("serves the request while the token's id is written, and answers only once it is stored", async () => {
    const w = await buildHarness();
    let store!: () => void;
    const stored = new Promise<void>((resolve) => (store = resolve));
    const guard: ReplayGuard = w.store;
    guard.claimJti = async (issuer, jti, expiresAt, now) => ({
      fresh: await w.store.rememberJti(issuer, jti, expiresAt, now),
      stored,
    });
    let answered = false;
    const pending = post(w, await w.token(PV)).then((res) => {
      answered = true;
      return res;
    });
    // The hook's work is done (its assessment recorded) while the id is still being written…
    for (let i = 0; i < 500 && w.store.assessments.size === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(w.store.assessments.size).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    // …but nothing is answered until the write has settled.
    expect(answered).toBe(false);
    store();
    expect((await pending).status).toBe(200);
  });

  it('answers when writing the id fails (logged), and this replica still refuses its replay', async () => {
    const w = await buildHarness();
    const guard: ReplayGuard = w.store;
    guard.claimJti = async (issuer, jti, expiresAt, now) => ({
      fresh: await w.store.rememberJti(issuer, jti, expiresAt, now),
      stored: Promise.reject(new Error('disk full')),
    });
    const token = await w.token(PV, { jti: 'write-failed' });
    expect((await post(w, token)).status).toBe(200);
    expect(w.logs.join('')).toContain('store unavailable: jti replay checked by this replica only');
    expectBare401(await post(w, token));
  });

  it('rejects a tampered payload', async () => {
    const token = await h.token(PV);
    const [head, payload, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    claims.exp += 3600;
    const forged = `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    expectBare401(await post(h, forged));
  });

  it('rejects a token without jti', async () => {
    expectBare401(await post(h, await h.token(PV, { jti: null })));
  });

  it('rejects a malformed token', async () => {
    expectBare401(await post(h, 'not.a.jwt'));
  });

  it('checks the feedback route against …/{id}/feedback and …/{id}', async () => {
    const body = {
      feedback: [{ card: 'c1', outcome: 'overridden', outcomeTimestamp: '2026-05-01T10:00:00Z' }],
    };
    for (const aud of [`${PUBLIC_URL}${PV}/feedback`, `${PUBLIC_URL}${PV}`]) {
      const res = await request(h.app)
        .post(`${PV}/feedback`)
        .set('Authorization', `Bearer ${await h.token(PV, { aud })}`)
        .send(body);
      expect(res.status).toBe(200);
    }
    const wrong = await request(h.app)
      .post(`${PV}/feedback`)
      .set('Authorization', `Bearer ${await h.token('/cds-services')}`)
      .send(body);
    expectBare401(wrong);
  });

  it('requires a token for discovery', async () => {
    expectBare401(await request(h.app).get('/cds-services'));
  });

  it('derives aud from the request when PUBLIC_URL is unset', async () => {
    const local = await buildHarness({ env: { PUBLIC_URL: '' } });
    const test = request(local.app);
    const res = await test.get('/cds-services');
    expectBare401(res);
    const server = local.app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const token = await local.token('', { aud: `http://127.0.0.1:${port}/cds-services` });
      const ok = await request(`http://127.0.0.1:${port}`)
        .get('/cds-services')
        .set('Authorization', `Bearer ${token}`);
      expect(ok.status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('enforces the tenant when the issuer is configured with one', async () => {
    const t = await buildHarness({
      issuers: (k) => [{ iss: EHR_ISS, jwks: { keys: [k.es384.publicJwk] }, tenant: 'site-a' }],
    });
    expect((await post(t, await t.token(PV, { extra: { tenant: 'site-a' } }))).status).toBe(200);
    expectBare401(await post(t, await t.token(PV, { extra: { tenant: 'site-b' } })));
  });

  it('never logs the token', async () => {
    const token = await h.token(PV);
    await post(h, token);
    await post(h, token);
    expect(h.logs.join('')).not.toContain(token.split('.')[2] ?? 'x');
  });
});

describe('keys by URL', () => {
  it('fetches the JWKS from jwksUri and refetches it when a new kid appears', async () => {
    const first = await makeKey('RS384', 'k1');
    const second = await makeKey('ES384', 'k2');
    let published = [first.publicJwk];
    let fetches = 0;
    mock.server.use(
      http.get('https://ehr.example/jwks.json', () => {
        fetches += 1;
        return HttpResponse.json({ keys: published });
      }),
    );
    const h = await buildHarness({
      issuers: () => [{ iss: EHR_ISS, jwksUri: 'https://ehr.example/jwks.json' }],
    });
    expect((await post(h, await h.token(PV, { key: first }))).status).toBe(200);
    expect((await post(h, await h.token(PV, { key: first }))).status).toBe(200);
    expect(fetches).toBe(1);
    published = [first.publicJwk, second.publicJwk];
    // jose refetches on an unknown kid once its 30 s cooldown since the last fetch has passed.
    const realNow = Date.now;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 31_000);
    try {
      expect((await post(h, await h.token(PV, { key: second }))).status).toBe(200);
    } finally {
      spy.mockRestore();
    }
    expect(fetches).toBe(2);
  });

  it("parses early only the body of a call whose check no other call's overlaps", async () => {
    const key = await makeKey('ES384', 'k-overlap');
    // The JWKS answers only once both calls are in their checks.
    let publish: () => void = () => undefined;
    const bothWaiting = new Promise<void>((resolve) => (publish = resolve));
    mock.server.use(
      http.get('https://ehr.example/overlap-jwks.json', async () => {
        await bothWaiting;
        return HttpResponse.json({ keys: [key.publicJwk] });
      }),
    );
    const { bodyAtCheck, rateLimits } = bodyAtClientLimit();
    const h = await buildHarness({
      issuers: () => [{ iss: EHR_ISS, jwksUri: 'https://ehr.example/overlap-jwks.json' }],
      deps: { rateLimits },
    });
    const calls = [post(h, await h.token(PV, { key })), post(h, await h.token(PV, { key }))];
    await new Promise((resolve) => setTimeout(resolve, 200));
    publish();
    const answers = await Promise.all(calls);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    // The first call in its check was parsed during it; the second, which overlapped it, after.
    expect([...bodyAtCheck].sort()).toEqual([false, true]);
  });

  it('honours an allowlisted jku', async () => {
    const key = await makeKey('ES384', 'epic-1');
    const jku = 'https://epic.example/api/epic/2019/Security/Open/PublicKeys/530013/530013';
    mock.server.use(http.get(jku, () => HttpResponse.json({ keys: [key.publicJwk] })));
    const h = await buildHarness({ issuers: () => [{ iss: EHR_ISS, jku: [jku], profile: 'epic' }] });
    expect(
      (await post(h, await signToken({ iss: EHR_ISS, aud: `${PUBLIC_URL}${PV}`, key, jku }))).status,
    ).toBe(200);
  });

  it("honours a jku equal to the issuer's configured jwksUri without listing it again", async () => {
    const key = await makeKey('ES384', 'sbx-1');
    const jwksUri = 'https://sandbox.example/.well-known/jwks.json';
    mock.server.use(http.get(jwksUri, () => HttpResponse.json({ keys: [key.publicJwk] })));
    const h = await buildHarness({ issuers: () => [{ iss: EHR_ISS, jwksUri }] });
    expect(
      (await post(h, await signToken({ iss: EHR_ISS, aud: `${PUBLIC_URL}${PV}`, key, jku: jwksUri }))).status,
    ).toBe(200);
    expectBare401(
      await post(
        h,
        await signToken({ iss: EHR_ISS, aud: `${PUBLIC_URL}${PV}`, key, jku: `${jwksUri}?other` }),
      ),
    );
  });

  it('answers 401, not a hang, when the JWKS URL is down', async () => {
    const key = await makeKey('ES384', 'k1');
    mock.server.use(http.get('https://ehr.example/jwks.json', () => HttpResponse.error()));
    const h = await buildHarness({
      issuers: () => [{ iss: EHR_ISS, jwksUri: 'https://ehr.example/jwks.json' }],
    });
    expectBare401(await post(h, await h.token(PV, { key })));
  });
});

describe('authentication switched off', () => {
  it('accepts calls without a token when AUTH_REQUIRED=false', async () => {
    const h = await buildHarness({ env: { AUTH_REQUIRED: 'false', TRUSTED_ISSUERS: '' } });
    expect((await post(h, undefined)).status).toBe(200);
  });
});
