/**
 * The database goes away under a running service (PostgreSQL behind a proxy this test cuts):
 * hooks still answer with cards (storage degrades, and the log says so), feedback answers 503 with
 * an OperationOutcome and Retry-After so the EHR retries, and every feedback entry acknowledged
 * with a 2xx, before or after the outage, is in the database.
 */
import pg from 'pg';
import { startProofStack, type ProofStack } from '../bench/lib/stack';
import { describeUnless } from '../../../cds-service/src/test-support/skip';
import {
  freshDatabase,
  postgresUnavailable,
  startProxy,
  type CuttableProxy,
  type Postgres,
} from './postgres';

describeUnless(postgresUnavailable(), 'database unavailable', () => {
  let db: Postgres;
  let proxy: CuttableProxy;
  let stack: ProofStack;
  let skip: string | undefined;

  beforeAll(async () => {
    db = await freshDatabase();
    skip = db.unavailable;
    if (skip) return;
    proxy = await startProxy(db.url);
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    stack = await startProofStack({ env: { DATABASE_URL: viaProxy.toString(), LOG_LEVEL: 'info' } });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await proxy?.close();
    await db?.close();
  }, 60_000);

  const pv = '/cds-services/rationale-patient-view';

  async function post(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: any; headers: Headers; ms: number }> {
    const url = `${stack.service.url}${path}`;
    const started = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await stack.client.token(url)}`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      headers: res.headers,
      ms: performance.now() - started,
    };
  }
  const feedback = (card: string) => ({
    feedback: [{ card, outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }],
  });

  it('keeps answering hooks, refuses feedback with 503, and loses nothing acknowledged', async () => {
    if (skip) {
      console.warn(`SKIPPED: database fault test: ${skip}`);
      return;
    }
    process.stdout.write(`database fault test on ${new URL(db.url).port}\n`);
    const request = await stack.workbench.request('patient-view', 'rat-020');
    const acked: string[] = [];

    // Healthy: hook and feedback both work.
    const before = await post(pv, { ...request, hookInstance: crypto.randomUUID() });
    expect(before.status).toBe(200);
    for (let i = 0; i < 5; i++) {
      const card = crypto.randomUUID();
      const r = await post(`${pv}/feedback`, feedback(card));
      expect(r.status).toBe(200);
      acked.push(card);
    }

    proxy.cut();
    const hook = await post(pv, { ...request, hookInstance: crypto.randomUUID() });
    expect(hook.status).toBe(200);
    expect(hook.body.cards.length).toBeGreaterThan(0);
    expect(hook.ms).toBeLessThan(10_000);
    const refused: string[] = [];
    for (let i = 0; i < 3; i++) {
      const card = crypto.randomUUID();
      const r = await post(`${pv}/feedback`, feedback(card));
      expect(r.status).toBe(503);
      expect(r.body.resourceType).toBe('OperationOutcome');
      expect(r.headers.get('retry-after')).toBe('5');
      refused.push(card);
    }
    const health = await fetch(`${stack.service.url}/healthz`);
    expect(health.status).toBe(503);
    expect(stack.service.output()).toMatch(/store unavailable/);

    // Restored: the EHR retries the refused feedback and it is stored.
    proxy.restore();
    for (const card of refused) {
      let status = 0;
      for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
        status = (await post(`${pv}/feedback`, feedback(card))).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
      acked.push(card);
    }

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ card_uuid: string }>(
        'SELECT card_uuid FROM feedback WHERE card_uuid = ANY($1)',
        [acked],
      );
      expect(new Set(rows.map((r) => r.card_uuid))).toEqual(new Set(acked));
    } finally {
      await client.end();
    }
    expect(stack.service.alive()).toBe(true);
  }, 180_000);
});
