import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import pino from 'pino';
import request from 'supertest';
import { createStore } from '../../store/index';
import type { Store } from '../../store/store';
import { sampleIssuedCard, testBackends, type OpenedStore } from '../../store/testing';
import { errorHandler } from '../error-handler';
import { createMonitoringRouter } from './monitoring';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(60_000);

const TOKEN = 'monitoring-admin-token-0123456789abcdef';
const NOW = new Date('2025-03-20T12:00:00.000Z');
const T0 = new Date('2025-03-03T10:00:00.000Z'); // a Monday
const at = (days: number, hours = 0) => new Date(T0.getTime() + days * 86_400_000 + hours * 3_600_000);

function appWith(store: Store, adminToken?: string): express.Express {
  const app = express();
  app.use(helmet());
  app.use('/admin', createMonitoringRouter({ store, adminToken, clock: () => NOW }));
  app.use(errorHandler(pino({ level: 'silent' })));
  return app;
}

const card = (topic: string, issuedAt: Date, silent = false) => sampleIssuedCard(topic, issuedAt, { silent });

const pglite = testBackends().find((b) => b.name === 'pglite');

describe('monitoring router', () => {
  let opened: OpenedStore;
  let app: express.Express;

  beforeAll(async () => {
    opened = await pglite!.open();
    const store = opened.store;
    const ckd = [card('dxckd', at(0)), card('dxckd', at(1)), card('dxckd', at(2)), card('dxckd', at(3))];
    const af = [card('rxafanticoagulation', at(0)), card('rxafanticoagulation', at(8))];
    await store.recordIssuedCards([...ckd, ...af, card('dxckd', at(2), true)]);
    await store.saveFeedback(
      'rationale-patient-view',
      [
        {
          card: ckd[0]!.cardUuid,
          outcome: 'accepted',
          outcomeTimestamp: at(0, 1).toISOString(),
          acceptedSuggestions: [{ id: 's' }],
        },
        // Reason codes come from the EHR: one carries CSV metacharacters, one a formula, one markup.
        {
          card: ckd[1]!.cardUuid,
          outcome: 'overridden',
          outcomeTimestamp: at(1, 1).toISOString(),
          overrideReason: { reason: { code: 'declined, "per patient"' } },
        },
        {
          card: ckd[2]!.cardUuid,
          outcome: 'overridden',
          outcomeTimestamp: at(2, 1).toISOString(),
          overrideReason: { reason: { code: '=HYPERLINK("x")' } },
        },
        {
          card: af[0]!.cardUuid,
          outcome: 'overridden',
          outcomeTimestamp: at(0, 1).toISOString(),
          overrideReason: { reason: { code: '<script>alert(1)</script>' } },
        },
      ],
      at(3),
    );
    await store.snooze({
      patientId: ckd[1]!.patientId,
      topic: 'dxckd',
      until: at(90),
      reason: 'overridden',
      createdAt: at(1, 1),
    });
    await store.saveAppFeedback(
      { assessmentId: randomUUID(), target: { type: 'hypothesis', id: 'h1', key: 'ckd' }, verdict: 'agree' },
      at(1),
    );
    app = appWith(store, TOKEN);
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  const auth = { Authorization: `Bearer ${TOKEN}` };
  const range = { from: '2025-03-01', to: '2025-03-16', period: 'week' };

  describe('authorization', () => {
    it.each(['/admin/monitoring', '/admin/monitoring.csv', '/admin/'])(
      'answers 404 on %s when no admin token is configured',
      async (path) => {
        const off = appWith(opened.store, undefined);
        await request(off).get(path).expect(404);
        await request(off).get(path).set(auth).expect(404);
      },
    );

    it.each(['/admin/monitoring', '/admin/monitoring.csv'])(
      'answers a bare 401 on %s without a token',
      async (path) => {
        const res = await request(app).get(path).expect(401);
        expect(res.text).toBe('');
        expect(res.headers['www-authenticate']).toBe('Bearer');
      },
    );

    it.each([
      ['a wrong token', `Bearer ${TOKEN.slice(0, -1)}x`],
      ['a longer token', `Bearer ${TOKEN}x`],
      ['a short token', 'Bearer x'],
      ['another scheme', `Basic ${TOKEN}`],
      ['no credentials', 'Bearer'],
    ])('answers a bare 401 to %s', async (_name, header) => {
      const res = await request(app).get('/admin/monitoring').set('Authorization', header).expect(401);
      expect(res.text).toBe('');
      const page = await request(app).get('/admin/').set('Authorization', header).expect(401);
      expect(page.text).toBe('');
    });

    it('answers 200 with the token, never cached', async () => {
      const res = await request(app).get('/admin/monitoring').set(auth).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('GET /admin/monitoring', () => {
    it('reports per topic and week, with acceptance rate and totals', async () => {
      const res = await request(app).get('/admin/monitoring').query(range).set(auth).expect(200);
      expect(res.body).toMatchObject({
        from: '2025-03-01T00:00:00.000Z',
        to: '2025-03-17T00:00:00.000Z',
        period: 'week',
        generatedAt: NOW.toISOString(),
      });
      expect(res.body.rows).toEqual([
        {
          period: '2025-03-03',
          topic: 'dxckd',
          shown: 4,
          silent: 1,
          accepted: 1,
          overridden: 2,
          overrideReasons: { 'declined, "per patient"': 1, '=HYPERLINK("x")': 1 },
          snoozed: 1,
          appAgree: 1,
          appDisagree: 0,
          acceptanceRate: 0.25,
        },
        expect.objectContaining({
          period: '2025-03-03',
          topic: 'rxafanticoagulation',
          shown: 1,
          accepted: 0,
          overridden: 1,
          acceptanceRate: 0,
        }),
        expect.objectContaining({
          period: '2025-03-10',
          topic: 'rxafanticoagulation',
          shown: 1,
          overridden: 0,
          acceptanceRate: 0,
        }),
      ]);
      expect(res.body.totals).toEqual([
        expect.objectContaining({
          period: 'total',
          topic: 'dxckd',
          shown: 4,
          silent: 1,
          accepted: 1,
          acceptanceRate: 0.25,
        }),
        expect.objectContaining({
          period: 'total',
          topic: 'rxafanticoagulation',
          shown: 2,
          overridden: 1,
          acceptanceRate: 0,
        }),
      ]);
    });

    it('buckets by day on request', async () => {
      const res = await request(app)
        .get('/admin/monitoring')
        .query({ ...range, period: 'day' })
        .set(auth)
        .expect(200);
      const ckd = (res.body.rows as { topic: string; period: string; shown: number }[]).filter(
        (r) => r.topic === 'dxckd',
      );
      expect(ckd.map((r) => [r.period, r.shown])).toEqual([
        ['2025-03-03', 1],
        ['2025-03-04', 1],
        ['2025-03-05', 1],
        ['2025-03-06', 1],
      ]);
    });

    it.each([
      [{ period: 'year' }, 'period'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2025-02-30' }, 'to'],
      [{ from: '2025-03-10', to: '2025-03-01' }, 'from'],
      [{ from: '2020-01-01', to: '2025-01-01', period: 'day' }, 'from'],
    ])('answers 400 naming the parameter for %p', async (query, field) => {
      const res = await request(app).get('/admin/monitoring').query(query).set(auth).expect(400);
      expect(res.body.issue[0].expression).toContain(field);
    });

    it('answers 503 when the database is unavailable', async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise((resolve) => probe.close(resolve)); // nothing listens there any more
      const unreachable = await createStore({
        databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
        dataDir: ':memory:',
        logger: pino({ level: 'silent' }),
        migrate: false,
      });
      try {
        const res = await request(appWith(unreachable, TOKEN)).get('/admin/monitoring').set(auth).expect(503);
        expect(res.body.resourceType).toBe('OperationOutcome');
        expect(res.headers['retry-after']).toBe('5');
      } finally {
        await unreachable.close();
      }
    });
  });

  describe('GET /admin/monitoring.csv', () => {
    it('exports a header row, the period rows and the totals, quoted and safe for spreadsheets', async () => {
      const res = await request(app).get('/admin/monitoring.csv').query(range).set(auth).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="rationale-monitoring-week-2025-03-01-2025-03-17.csv"',
      );
      const lines = res.text.split('\r\n');
      expect(lines.at(-1)).toBe('');
      expect(lines[0]).toBe(
        'period,topic,shown,silent,accepted,overridden,acceptance_rate,snoozed,app_agree,app_disagree,' +
          `overridden:<script>alert(1)</script>,"overridden:=HYPERLINK(""x"")","overridden:declined, ""per patient"""`,
      );
      expect(lines.slice(1, -1)).toEqual([
        '2025-03-03,dxckd,4,1,1,2,0.2500,1,1,0,0,1,1',
        '2025-03-03,rxafanticoagulation,1,0,0,1,0.0000,0,0,0,1,0,0',
        '2025-03-10,rxafanticoagulation,1,0,0,0,0.0000,0,0,0,0,0,0',
        'total,dxckd,4,1,1,2,0.2500,1,1,0,0,1,1',
        'total,rxafanticoagulation,2,0,0,1,0.0000,0,0,0,1,0,0',
      ]);
    });

    it('leaves the rate empty when no card was shown and neutralizes formulas', async () => {
      const { csvText, reportToCsv } = await import('../../monitoring/report');
      expect(csvText('=1+1')).toBe("'=1+1");
      expect(csvText('-2')).toBe("'-2");
      expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
      expect(csvText('a\nb')).toBe('"a\nb"');
      const csv = reportToCsv({
        from: '',
        to: '',
        period: 'week',
        generatedAt: '',
        overrideReasonCodes: [],
        totals: [],
        rows: [
          {
            period: '2025-03-03',
            topic: 'dxckd',
            shown: 0,
            silent: 2,
            accepted: 0,
            overridden: 0,
            overrideReasons: {},
            snoozed: 0,
            appAgree: 0,
            appDisagree: 0,
            acceptanceRate: null,
          },
        ],
      });
      expect(csv.split('\r\n')[1]).toBe('2025-03-03,dxckd,0,2,0,0,,0,0,0');
    });
  });

  describe('GET /admin/', () => {
    it('serves the page without data to a browser without the token, with a nonce-only CSP', async () => {
      const res = await request(app).get('/admin/').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const csp = res.headers['content-security-policy'] as string;
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.text).toContain(`<script nonce="${nonce}">`);
      expect(res.text).toContain('<input id="token" type="password"');
      expect(res.text).toContain('data-endpoint="/admin/monitoring"');
      expect(res.text).not.toContain('dxckd');
      // A different nonce on every response.
      const again = await request(app).get('/admin/').expect(200);
      expect(again.headers['content-security-policy']).not.toBe(csp);
    });

    it('has labelled filters and tables with captions and column headers', async () => {
      const res = await request(app).get('/admin').query(range).expect(200);
      expect(res.text).toContain('<html lang="en">');
      for (const id of ['token', 'from', 'to', 'period']) expect(res.text).toContain(`<label for="${id}">`);
      expect(res.text).toContain('<input id="from" name="from" type="date" value="2025-03-01" required>');
      expect(res.text).toContain('<input id="to" name="to" type="date" value="2025-03-16" required>');
      expect(res.text).toContain('<option value="week" selected>Week</option>');
      expect(res.text).toContain('<caption>Totals over the whole range, one row per card type</caption>');
      expect(res.text).toContain('<th scope="col">Acceptance rate</th>');
      expect(res.text).toContain('role="status"');
      // The token field has no name: a form submitted without the script never puts it in a URL.
      expect(res.text).not.toMatch(/name="token"/);
      expect(res.text).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    });

    it('renders the tables on the server when the page is requested with the token, escaping EHR text', async () => {
      const res = await request(app).get('/admin/').query(range).set(auth).expect(200);
      expect(res.text).toContain('<th scope="row">dxckd</th>');
      expect(res.text).toContain('<td class="num">25.0%</td>');
      expect(res.text).toContain('&#60;script&#62;alert(1)&#60;/script&#62;: 1');
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).toContain('2 topics, 6 cards shown, 1 accepted');
    });

    it('answers 404 for unknown admin paths', async () => {
      await request(app).get('/admin/nothing-here').set(auth).expect(404);
    });
  });
});
