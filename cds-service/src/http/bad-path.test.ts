import request from 'supertest';
import { buildHarness } from '../test-support/harness';

describe('a request path that is not valid percent-encoding', () => {
  it('is a 400 OperationOutcome, not a 500', async () => {
    const h = await buildHarness();
    const path = '/cds-services/%E0%A4%A';
    const res = await request(h.app)
      .post(path)
      .set('authorization', `Bearer ${await h.token(path)}`)
      .send({});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'invalid' }] });
  });
});
