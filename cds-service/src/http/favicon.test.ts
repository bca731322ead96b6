import request from 'supertest';
import { buildHarness } from '../test-support/harness';

describe('the site icon', () => {
  it('answers /favicon.ico and /favicon.svg with an SVG instead of a 404', async () => {
    const h = await buildHarness();
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const res = await request(h.app).get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(String(res.body ?? res.text)).toContain('<svg');
    }
  });
});
