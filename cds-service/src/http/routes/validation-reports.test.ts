/**
 * Validation reports on the monitoring page, through HTTP: the configured folder's reports are
 * listed and their files served to the admin token only (bare 401 otherwise, 404 with monitoring
 * off), nothing outside the folder or beside the report files is served, and the page lists them.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import helmet from 'helmet';
import pino from 'pino';
import request from 'supertest';
import { testBackends, type OpenedStore } from '../../store/testing';
import { errorHandler } from '../error-handler';
import { createMonitoringRouter } from './monitoring';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(60_000);

const TOKEN = 'validation-admin-token-0123456789abcdef';
const NOW = new Date('2026-04-02T12:00:00.000Z');
const auth = { Authorization: `Bearer ${TOKEN}` };
const pglite = testBackends().find((b) => b.name === 'pglite');

describe('validation reports on the monitoring page', () => {
  let opened: OpenedStore;
  let root: string;
  let reports: string;
  const html = '<!doctype html><html lang="en"><title>Validation</title><p>AUROC 0.70</p></html>\n';
  const csv = 'condition,metric,value\nckd,auroc,0.7\n';

  const appWith = (options: { adminToken?: string; validationReportsDir?: string }) => {
    const app = express();
    app.use(helmet());
    app.use('/admin', createMonitoringRouter({ store: opened.store, clock: () => NOW, ...options }));
    app.use(errorHandler(pino({ level: 'silent' })));
    return app;
  };

  beforeAll(async () => {
    opened = await pglite!.open();
    root = mkdtempSync(join(tmpdir(), 'validation-reports-'));
    reports = join(root, 'reports');
    const report = (name: string, json: unknown) => {
      mkdirSync(join(reports, name), { recursive: true });
      writeFileSync(
        join(reports, name, 'report.json'),
        typeof json === 'string' ? json : JSON.stringify(json),
      );
    };
    report('2026-03-site', {
      generatedAt: '2026-03-31T08:00:00.000Z',
      model: { name: 'rationale', version: '1.2.0', knowledgeBaseHash: 'abc' },
      source: { kind: 'bulk-export', patients: 221, unreadable: 0, rejected: 0 },
      crossSectional: {},
      asOf: {},
      fairness: [],
      store: { from: '2025-03-31T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z', rows: [] },
    });
    writeFileSync(join(reports, '2026-03-site', 'report.html'), html);
    writeFileSync(join(reports, '2026-03-site', 'metrics-cross-sectional.csv'), csv);
    writeFileSync(join(reports, '2026-03-site', 'notes.txt'), 'not a report file');
    report('older', {
      generatedAt: '2026-01-15T08:00:00.000Z',
      source: { patients: 50 },
      crossSectional: {},
      fairness: [],
    });
    report('broken', '{ not json');
    // Links out of the folder: a report whose report.json, and a file, live elsewhere.
    writeFileSync(join(root, 'secret.csv'), 'patient,ssn\n');
    writeFileSync(join(root, 'outside.json'), JSON.stringify({ generatedAt: '2026-04-01T00:00:00Z' }));
    mkdirSync(join(reports, 'escape'));
    symlinkSync(join(root, 'outside.json'), join(reports, 'escape', 'report.json'));
    symlinkSync(join(root, 'secret.csv'), join(reports, '2026-03-site', 'secret.csv'));
  });
  afterAll(async () => {
    await opened?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('answers 404 when monitoring is off (no admin token)', async () => {
    const off = appWith({ validationReportsDir: reports });
    await request(off).get('/admin/validation').set(auth).expect(404);
    await request(off).get('/admin/validation/2026-03-site/report.html').set(auth).expect(404);
  });

  it.each(['/admin/validation', '/admin/validation/2026-03-site/report.html'])(
    'answers a bare 401 on %s without the token or with a wrong one',
    async (path) => {
      const app = appWith({ adminToken: TOKEN, validationReportsDir: reports });
      for (const res of [
        await request(app).get(path).expect(401),
        await request(app).get(path).set('Authorization', `Bearer ${TOKEN}x`).expect(401),
      ]) {
        expect(res.text).toBe('');
        expect(res.headers['content-disposition']).toBeUndefined();
      }
    },
  );

  it('lists the reports in the folder, newest first, with the files served for each', async () => {
    const app = appWith({ adminToken: TOKEN, validationReportsDir: reports });
    const res = await request(app).get('/admin/validation').set(auth).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      configured: true,
      reports: [
        {
          name: '2026-03-site',
          generatedAt: '2026-03-31T08:00:00.000Z',
          patients: 221,
          model: 'rationale 1.2.0',
          modes: ['cross-sectional', 'as-of'],
          storeFigures: true,
          files: ['report.html', 'report.json', 'metrics-cross-sectional.csv'],
        },
        {
          name: 'older',
          generatedAt: '2026-01-15T08:00:00.000Z',
          patients: 50,
          modes: ['cross-sectional'],
          storeFigures: false,
          files: ['report.json'],
        },
      ],
    });
  });

  it('serves a report file as a download, report.html sandboxed', async () => {
    const app = appWith({ adminToken: TOKEN, validationReportsDir: reports });
    const page = await request(app).get('/admin/validation/2026-03-site/report.html').set(auth).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toBe(html);
    expect(page.headers['content-disposition']).toBe('attachment; filename="2026-03-site-report.html"');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
    expect(page.headers['cache-control']).toBe('no-store');
    const table = await request(app)
      .get('/admin/validation/2026-03-site/metrics-cross-sectional.csv')
      .set(auth)
      .expect(200);
    expect(table.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(table.text).toBe(csv);
    const json = await request(app).get('/admin/validation/older/report.json').set(auth).expect(200);
    expect(json.body).toMatchObject({ source: { patients: 50 } });
  });

  it.each([
    ['a file that is not a report file', '/admin/validation/2026-03-site/notes.txt'],
    ['a link out of the folder', '/admin/validation/2026-03-site/secret.csv'],
    ['a report whose report.json links out', '/admin/validation/escape/report.json'],
    ['a path out of the folder', '/admin/validation/..%2F..%2Fsecret.csv/report.json'],
    ['a parent folder as the report', '/admin/validation/../secret.csv'],
    ['a report that does not exist', '/admin/validation/none/report.html'],
    ['a file the report lacks', '/admin/validation/older/report.html'],
  ])('answers 404 to %s', async (_name, path) => {
    const app = appWith({ adminToken: TOKEN, validationReportsDir: reports });
    const res = await request(app).get(path).set(auth).expect(404);
    expect(res.text).not.toContain('ssn');
  });

  it('says so when no folder is configured, and serves nothing', async () => {
    const app = appWith({ adminToken: TOKEN });
    const res = await request(app).get('/admin/validation').set(auth).expect(200);
    expect(res.body).toEqual({ configured: false, reports: [] });
    await request(app).get('/admin/validation/2026-03-site/report.html').set(auth).expect(404);
    const page = await request(app).get('/admin/').set(auth).expect(200);
    expect(page.text).toContain('No reports folder is configured');
  });

  it('lists the reports on the page for the admin, each file a download button', async () => {
    const app = appWith({ adminToken: TOKEN, validationReportsDir: reports });
    const page = await request(app).get('/admin/').set(auth).expect(200);
    const section = /<table id="validation-reports">([\s\S]*?)<\/table>/.exec(page.text)?.[1] ?? '';
    expect(section).toContain('<th scope="row">2026-03-site</th>');
    expect(section).toContain('<th scope="row">older</th>');
    expect(section).toContain(
      'data-download="/admin/validation/2026-03-site/report.html" data-filename="2026-03-site-report.html"',
    );
    expect(section).not.toContain('broken');
    expect(section).not.toContain('escape');
    // Without the token the page is the empty form: no report is named.
    const anonymous = await request(app).get('/admin/').expect(200);
    expect(anonymous.text).not.toContain('2026-03-site');
  });

  it('serves the bytes on disk (the report may be rewritten by a later run)', async () => {
    const app = appWith({ adminToken: TOKEN, validationReportsDir: reports });
    const path = join(reports, 'older', 'report.json');
    const next = JSON.stringify({ generatedAt: '2026-01-16T00:00:00.000Z', source: { patients: 51 } });
    writeFileSync(path, next);
    const res = await request(app).get('/admin/validation/older/report.json').set(auth).expect(200);
    expect(res.text).toBe(readFileSync(path, 'utf8'));
  });
});
