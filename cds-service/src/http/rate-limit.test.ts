import request from 'supertest';
import { EHR_ISS, buildHarness, type Harness } from '../test-support/harness';
import { addressKey } from './rate-limit';

const DISCOVERY = '/cds-services';
const OTHER_ISS = 'https://other-ehr.example/cds-client';

async function discover(h: Harness, extra: { iss?: string; tenant?: string; xff?: string } = {}) {
  const token = await h.token(DISCOVERY, {
    ...(extra.iss ? { iss: extra.iss } : {}),
    ...(extra.tenant ? { extra: { tenant: extra.tenant } } : {}),
  });
  const req = request(h.app).get(DISCOVERY).set('Authorization', `Bearer ${token}`);
  return extra.xff ? req.set('X-Forwarded-For', extra.xff) : req;
}

function tokenless(h: Harness, xff?: string) {
  const req = request(h.app).get(DISCOVERY);
  return xff ? req.set('X-Forwarded-For', xff) : req;
}

async function statuses(n: number, call: (i: number) => Promise<{ status: number }>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(i)).status);
  return out;
}

describe('rate limits keyed by the authenticated client', () => {
  it('refuses a client past its limit with 429, Retry-After and an OperationOutcome', async () => {
    const h = await buildHarness({ env: { CLIENT_RATE_LIMIT_PER_MINUTE: '3' } });
    expect(await statuses(3, () => discover(h))).toEqual([200, 200, 200]);
    const res = await discover(h);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].code).toBe('throttled');
  });

  it('counts each issuer and each tenant separately, with a limit a site sets per issuer', async () => {
    const h = await buildHarness({
      env: { CLIENT_RATE_LIMIT_PER_MINUTE: '2' },
      issuers: (k) => [
        { iss: EHR_ISS, jwks: { keys: [k.es384.publicJwk] }, rateLimitPerMinute: 5 },
        { iss: OTHER_ISS, jwks: { keys: [k.es384.publicJwk] } },
      ],
    });
    // The first issuer has its own limit of 5; the second the default of 2.
    expect(await statuses(6, () => discover(h))).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await statuses(3, () => discover(h, { iss: OTHER_ISS }))).toEqual([200, 200, 429]);
    // The same issuer for another tenant has counters of its own.
    expect(await statuses(3, () => discover(h, { iss: OTHER_ISS, tenant: 'hospital-b' }))).toEqual([
      200, 200, 429,
    ]);
  });

  it('never counts an authenticated EHR against its address', async () => {
    const h = await buildHarness({ env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '2' } });
    expect(await statuses(10, () => discover(h))).toEqual(Array(10).fill(200));
  });
});

describe('the strict limit for calls that fail authentication', () => {
  it('turns 401s from one address into 429s past the limit while the EHR at that address is answered', async () => {
    const h = await buildHarness({ env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '3' } });
    expect(await statuses(3, () => tokenless(h))).toEqual([401, 401, 401]);
    const refused = await tokenless(h);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
    expect(refused.body.resourceType).toBe('OperationOutcome');
    // A bad token counts as a failed authentication too.
    const forged = await request(h.app).get(DISCOVERY).set('Authorization', 'Bearer not.a.jwt');
    expect(forged.status).toBe(429);
    expect(await statuses(5, () => discover(h))).toEqual(Array(5).fill(200));
  });

  it('ignores X-Forwarded-For by default: a rotating header neither escapes the limit nor blames another address', async () => {
    const h = await buildHarness({ env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '3' } });
    const flood = await statuses(6, (i) => tokenless(h, `203.0.113.${i + 1}`));
    expect(flood).toEqual([401, 401, 401, 429, 429, 429]);
    // The flood named 203.0.113.x; the EHR sending that same header is still answered.
    expect((await discover(h, { xff: '203.0.113.1' })).status).toBe(200);
  });

  it('ignores X-Forwarded-For from an address that is not a listed proxy', async () => {
    const h = await buildHarness({
      env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '10.0.0.5,10.1.0.0/16' },
    });
    expect(await statuses(4, (i) => tokenless(h, `198.51.100.${i + 1}`))).toEqual([401, 401, 429, 429]);
  });

  it('counts the client behind a listed proxy by the address the proxy adds', async () => {
    const h = await buildHarness({
      env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' },
    });
    expect(await statuses(3, () => tokenless(h, '198.51.100.7'))).toEqual([401, 401, 429]);
    // Another client behind the same proxy has its own counter.
    expect((await tokenless(h, '198.51.100.8')).status).toBe(401);
  });
});

describe('the address a failing call is counted under', () => {
  it('is an IPv4 address as itself, IPv4-mapped included, and an IPv6 address by its /56', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:1ff::1')).toBe('2001:db8:1:100::/56');
    expect(addressKey('2001:0db8:0001:01aa:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:100::/56');
    expect(addressKey('2001:db8:1:200::1')).toBe('2001:db8:1:200::/56');
    expect(addressKey('::1')).toBe('0:0:0:0::/56');
  });

  it('refuses a client rotating IPv6 addresses within its /56, not its neighbour in another /56', async () => {
    const h = await buildHarness({
      env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' },
    });
    const rotating = await statuses(4, (i) => tokenless(h, `2001:db8:1:1${i}::${i + 1}`));
    expect(rotating).toEqual([401, 401, 429, 429]);
    expect((await tokenless(h, '2001:db8:1:200::1')).status).toBe(401);
  });
});
