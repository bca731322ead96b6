/**
 * SMART App Launch 2.2 checks of the app's authorization request (smart-app-launch.md §2, §8),
 * captured in Chromium: the EHR (sandbox) creates a launch, the app's launch page is loaded, and
 * the request it sends to the sandbox's authorize endpoint is intercepted and inspected.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startStack, type Stack } from '../support/stack';

describe('SMART App Launch: the app authorization request', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack({ build: 'missing' });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('uses PKCE S256, a UUID state, aud = the FHIR base, SMART v2 scopes, and echoes launch', async () => {
    const res = await fetch(`${stack.sandboxUrl}/ehr/api/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        patientId: 'rat-020',
        userId: 'Practitioner/rat-pr-001',
        appContext: 'proof-app-context',
      }),
    });
    expect(res.status).toBe(200);
    const launchUrl = new URL(((await res.json()) as { url: string }).url);
    const launch = launchUrl.searchParams.get('launch');
    expect(launch).toBeTruthy();

    const page = await browser.newPage();
    try {
      const authorize = new Promise<URL>((resolve) => {
        void page.route('**/auth/authorize**', async (route) => {
          resolve(new URL(route.request().url()));
          await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>captured</p>' });
        });
      });
      await page.goto(launchUrl.toString());
      const url = await Promise.race([
        authorize,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the app never called authorize')), 30_000),
        ),
      ]);
      const q = url.searchParams;
      expect(url.origin + url.pathname).toBe(`${stack.sandboxUrl}/auth/authorize`);
      expect(q.get('response_type')).toBe('code');
      expect(q.get('client_id')).toBe('rationale-app');
      expect(q.get('code_challenge_method')).toBe('S256');
      // S256 challenge: 43 base64url characters (a SHA-256 digest).
      expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // state: a UUID v4 (122 random bits).
      expect(q.get('state')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(q.get('aud')).toBe(stack.fhirUrl);
      expect(q.get('launch')).toBe(launch);
      expect(q.get('redirect_uri')).toBe(`${stack.cdsUrl}/app/`);
      const scopes = (q.get('scope') ?? '').split(' ');
      expect(scopes).toEqual(expect.arrayContaining(['launch', 'openid', 'fhirUser']));
      const resourceScopes = scopes.filter((s) => /^(patient|user|system)\//.test(s));
      expect(resourceScopes.length).toBeGreaterThan(0);
      // v2 syntax: .r / .rs / .cruds, never v1 .read / .write / .*
      for (const s of resourceScopes) expect(s).toMatch(/\.[cruds]+(\?.*)?$/);
    } finally {
      await page.close();
    }
  }, 120_000);
});
