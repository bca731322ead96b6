import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { buildHarness } from '../test-support/harness';

describe('SMART app static build at /app/', () => {
  it('serves the build with frame-ancestors from FRAME_ANCESTORS and no X-Frame-Options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rationale-dist-'));
    writeFileSync(join(dir, 'launch.html'), '<!doctype html><title>launch</title>');
    const h = await buildHarness({
      env: { FRAME_ANCESTORS: 'https://ehr.example.org,https://*.cerner.com' },
      deps: { staticAppDir: dir },
    });
    const res = await request(h.app).get('/app/launch.html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('launch');
    expect(res.headers['content-security-policy']).toBe(
      "script-src 'self';script-src-attr 'none';object-src 'none';base-uri 'self';" +
        'frame-ancestors https://ehr.example.org https://*.cerner.com',
    );
    expect(res.headers['x-frame-options']).toBeUndefined();
    // The API keeps helmet's framing protection.
    const api = await request(h.app).get('/api/model-card');
    expect(api.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('is absent when the app has not been built', async () => {
    const h = await buildHarness({ deps: { staticAppDir: join(tmpdir(), 'does-not-exist-rationale') } });
    expect((await request(h.app).get('/app/launch.html')).status).toBe(404);
  });
});
