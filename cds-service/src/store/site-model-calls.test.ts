/**
 * Site-model monitoring shared across replicas (issue 16): every site-model call a store records
 * (queued with the hooks' records) is counted per model and version over the page's period, calls
 * from two stores on one PostgreSQL together, and the monitoring page shows the failures and the
 * latency from the store. On PGlite (one process per database) both writers are the one store.
 */
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createMonitoringRouter } from '../http/routes/monitoring';
import { describeUnless } from '../test-support/skip';
import { PgliteDatabase } from './database';
import { PostgresStore } from './postgres-store';
import type { SiteModelCall } from './store';
import { testBackends, type OpenedStore } from './testing';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(90_000);

const TOKEN = 'monitoring-admin-token-for-site-models-0123';
const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 12, minute));
const call = (patch: Partial<SiteModelCall>): SiteModelCall => ({
  modelId: 't2d-risk',
  version: '1.0.0',
  mode: 'silent',
  runtime: 'oip',
  hook: 'patient-view',
  at: at(0),
  durationMs: 10,
  status: 'complete',
  ...patch,
});

for (const backend of testBackends()) {
  describeUnless(backend.skip, `site-model calls on ${backend.name}`, () => {
    let opened: OpenedStore;
    let first: PostgresStore;
    let second: PostgresStore;

    beforeAll(async () => {
      opened = await backend.open();
      first = opened.store;
      second = opened.schema ? (await backend.open({ schema: opened.schema })).store : first;
      // Two replicas' calls, written through each one's write-behind batch.
      await Promise.all([
        first.recordSiteModelCall(call({ at: at(1), durationMs: 10 })),
        first.recordSiteModelCall(call({ at: at(2), durationMs: 20 })),
        first.recordSiteModelCall(call({ at: at(5), durationMs: 100, status: 'timeout' })),
        second.recordSiteModelCall(call({ at: at(3), durationMs: 30 })),
        second.recordSiteModelCall(call({ at: at(7), durationMs: 40, status: 'unavailable', mode: 'live' })),
        second.recordSiteModelCall(
          call({ version: '2.0.0', runtime: 'onnx', at: at(4), durationMs: 5, hook: undefined }),
        ),
        // Outside the period: counted nowhere.
        first.recordSiteModelCall(call({ at: at(-120), durationMs: 1, status: 'bad-response' })),
      ]);
    });
    afterAll(async () => {
      if (second !== first) await second.close();
      await opened?.cleanup();
    });

    const query = { from: at(0), to: at(60), period: 'day' as const };

    it('counts each model and version over the period, from every store on the database', async () => {
      // Read through the other store: what one replica wrote, the other's page shows.
      expect(await first.siteModelPerformance(query)).toEqual([
        {
          modelId: 't2d-risk',
          version: '1.0.0',
          mode: 'live',
          runtime: 'oip',
          calls: 5,
          byStatus: { complete: 3, timeout: 1, unavailable: 1 },
          // Continuous percentiles over 10, 20, 30, 40 and 100 ms, answered or not.
          p50Ms: 30,
          p90Ms: expect.closeTo(76, 5) as number,
          p99Ms: expect.closeTo(97.6, 5) as number,
          lastFailure: { status: 'unavailable', at: at(7).toISOString() },
        },
        {
          modelId: 't2d-risk',
          version: '2.0.0',
          mode: 'silent',
          runtime: 'onnx',
          calls: 1,
          byStatus: { complete: 1 },
          p50Ms: 5,
          p90Ms: 5,
          p99Ms: 5,
          lastFailure: null,
        },
      ]);
      expect(await second.siteModelPerformance(query)).toEqual(await first.siteModelPerformance(query));
    });

    it('has nothing for a period without calls', async () => {
      expect(await first.siteModelPerformance({ from: at(60), to: at(120), period: 'day' })).toEqual([]);
    });

    it("shows each model's failures and latency on the monitoring page", async () => {
      const app = express();
      app.use('/admin', createMonitoringRouter({ store: first, adminToken: TOKEN, clock: () => at(60) }));
      const range = `from=${encodeURIComponent(at(0).toISOString())}&to=${encodeURIComponent(at(60).toISOString())}&period=day`;
      const page = await request(app).get(`/admin/?${range}`).set('Authorization', `Bearer ${TOKEN}`);
      expect(page.status).toBe(200);
      const body = /<table[^>]*id="site-models"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(page.text)?.[1] ?? '';
      const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
        [...(m[1] ?? '').matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]),
      );
      expect(rows).toEqual([
        [
          't2d-risk',
          '1.0.0',
          'live',
          'oip',
          '5',
          '3',
          '1',
          '1',
          '0',
          '0',
          '30.0',
          '76.0',
          '97.6',
          `unavailable at ${at(7).toISOString()}`,
        ],
        ['t2d-risk', '2.0.0', 'silent', 'onnx', '1', '1', '0', '0', '0', '0', '5.0', '5.0', '5.0', '—'],
      ]);
      const json = await request(app)
        .get(`/admin/monitoring?${range}`)
        .set('Authorization', `Bearer ${TOKEN}`);
      expect(json.body.siteModels).toHaveLength(2);
    });

    it("exports each model's calls by outcome, latency and last failure as the CSV's site-model section", async () => {
      const app = express();
      app.use('/admin', createMonitoringRouter({ store: first, adminToken: TOKEN, clock: () => at(60) }));
      const range = `from=${encodeURIComponent(at(0).toISOString())}&to=${encodeURIComponent(at(60).toISOString())}&period=day`;
      const csv = await request(app)
        .get(`/admin/monitoring.csv?${range}`)
        .set('Authorization', `Bearer ${TOKEN}`);
      expect(csv.status).toBe(200);
      // The card section first (no card in this range: its header alone), one empty line, then the models.
      const [cards, models] = csv.text.split('\r\n\r\n');
      expect(cards).toMatch(/^period,topic,shown,/);
      expect(models?.split('\r\n')).toEqual([
        'site_model,version,mode,runtime,calls,complete,timeout,unavailable,bad_response,circuit_open,' +
          'p50_ms,p90_ms,p99_ms,last_failure,last_failure_at',
        `t2d-risk,1.0.0,live,oip,5,3,1,1,0,0,30.0,76.0,97.6,unavailable,${at(7).toISOString()}`,
        't2d-risk,2.0.0,silent,onnx,1,1,0,0,0,0,5.0,5.0,5.0,,',
        '',
      ]);
      // A range without site-model calls: the card section alone, as before.
      const none = `from=${encodeURIComponent(at(60).toISOString())}&to=${encodeURIComponent(at(120).toISOString())}&period=day`;
      const plain = await request(app)
        .get(`/admin/monitoring.csv?${none}`)
        .set('Authorization', `Bearer ${TOKEN}`);
      expect(plain.text).not.toContain('site_model');
      expect(plain.text.split('\r\n').filter(Boolean)).toHaveLength(1);
    });

    // Last: it deletes what the tests above read.
    it('purges hook-call and site-model-call rows older than the retention cut-off, from every store', async () => {
      await first.recordHookCall({
        serviceId: 'rationale-patient-view',
        hook: 'patient-view',
        at: at(-120),
        durationMs: 3,
        status: 200,
      });
      // Two rows before minute 2 (one hook call, one site-model call at -120) plus minute 1's.
      await expect(second.purgeMonitoring(at(2))).resolves.toBe(3);
      const left = await first.siteModelPerformance({ from: at(-180), to: at(60), period: 'day' });
      expect(left.reduce((n, r) => n + r.calls, 0)).toBe(5);
      await expect(first.purgeMonitoring(at(2))).resolves.toBe(0);
    });
  });
}

describe('site-model calls in the write-behind batch', () => {
  it('are written with the hook calls queued beside them in one statement', async () => {
    const db = await PgliteDatabase.open({ dataDir: ':memory:' });
    const store = new PostgresStore(db, { logger: pino({ level: 'silent' }) });
    try {
      await store.migrate();
      const statements: string[] = [];
      const query = db.query.bind(db);
      db.query = (sql: string, params?: unknown[]) => {
        statements.push(sql);
        return query(sql, params);
      };
      await Promise.all([
        store.recordSiteModelCall(call({ status: 'timeout' })),
        store.recordSiteModelCall(call({})),
        store.recordHookCall({
          serviceId: 'rationale-patient-view',
          hook: 'patient-view',
          at: at(0),
          durationMs: 12,
          status: 200,
        }),
      ]);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toContain('INSERT INTO site_model_calls');
      expect(statements[0]).toContain('INSERT INTO hook_calls');
      const [row] = await store.siteModelPerformance({ from: at(0), to: at(1), period: 'day' });
      expect(row).toMatchObject({ calls: 2, byStatus: { complete: 1, timeout: 1 } });
    } finally {
      await store.close();
    }
  });
});
