/**
 * Monitoring for informaticists (issue 4 §7), mounted at `/admin`:
 *   GET /admin/monitoring?from&to&period   the report as JSON
 *   GET /admin/monitoring.csv?from&to&period   the same as CSV
 *   GET /admin/validation   the validation reports in the configured folder, as JSON
 *   GET /admin/validation/:report/:file   one report's report.html, report.json or CSV table
 *   GET /admin/hooks.csv?from&to&period   per hook: calls, errors and latency percentiles as CSV
 *   GET /admin/   the page (filters, unique counts, tables, live configuration; the token typed in, or
 *                 taken from the `#token=` fragment of the link npm start prints, and sent as a header)
 * Off unless ADMIN_TOKEN is set: with no token configured every route answers 404. The data
 * routes need `Authorization: Bearer <ADMIN_TOKEN>` (compared in constant time); anything else
 * is a bare 401. Responses are never cached.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response } from 'express';
import { CdsError } from '../../errors';
import type { LiveConfiguration } from '../../monitoring/configuration';
import { monitoringPageCsp, renderMonitoringPage } from '../../monitoring/page';
import { drawHookPlots } from '../../monitoring/plots';
import {
  buildReport,
  hookPerformanceToCsv,
  parseMonitoringQuery,
  reportToCsv,
  type MonitoringReport,
} from '../../monitoring/report';
import {
  contentTypeOf,
  listValidationReports,
  validationReportFile,
  VALIDATION_REPORT_CSP,
} from '../../monitoring/validation-reports';
import type { MonitoringQuery, MonitoringReadModel } from '../../store/store';

export interface MonitoringRouterDeps {
  store: MonitoringReadModel;
  /** ADMIN_TOKEN; unset turns monitoring off (404). */
  adminToken?: string;
  clock: () => Date;
  /** The live configuration, secrets masked, shown on the page and in the JSON. */
  configuration?: LiveConfiguration;
  /** validationReportsDir: the folder of `rationale validate` reports listed and served; unset: none. */
  validationReportsDir?: string;
}

/** Builds the `/admin` router. */
export function createMonitoringRouter(deps: MonitoringRouterDeps): express.Router {
  const router = express.Router();
  const expected = deps.adminToken ? digest(deps.adminToken) : undefined;

  if (!expected) {
    // Monitoring is off by default: indistinguishable from a route that does not exist.
    router.use((req, _res, next) =>
      next(new CdsError('not-found', `No route for ${req.method} ${req.baseUrl}${req.path}`)),
    );
    return router;
  }

  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    next();
  });

  /** 'ok' for the right token, 'absent' for no Authorization header, 'wrong' for anything else. */
  const authorization = (req: Request): 'ok' | 'absent' | 'wrong' => {
    const header = req.get('authorization');
    if (header === undefined) return 'absent';
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return 'wrong';
    return timingSafeEqual(digest(match[1]), expected) ? 'ok' : 'wrong';
  };
  const requireToken = (req: Request, _res: Response, next: NextFunction) => {
    if (authorization(req) === 'ok') next();
    else next(new CdsError('unauthorized', 'admin token required'));
  };

  const report = async (query: MonitoringQuery): Promise<MonitoringReport> => {
    const [rows, summary, hookPerformance, siteModels] = await Promise.all([
      deps.store.monitoring(query),
      deps.store.monitoringSummary(query),
      deps.store.hookPerformance(query),
      deps.store.siteModelPerformance(query),
    ]);
    return {
      ...buildReport(rows, query, deps.clock()),
      summary,
      hookPerformance,
      siteModels,
      ...(deps.configuration ? { configuration: deps.configuration } : {}),
    };
  };

  router.get('/monitoring', requireToken, async (req, res) => {
    const query = parseMonitoringQuery(req.query, deps.clock());
    res.json(await report(query));
  });

  router.get('/monitoring.csv', requireToken, async (req, res) => {
    const query = parseMonitoringQuery(req.query, deps.clock());
    const csv = reportToCsv(await report(query));
    const name = `rationale-monitoring-${query.period}-${query.from.toISOString().slice(0, 10)}-${query.to.toISOString().slice(0, 10)}.csv`;
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${name}"`)
      .send(csv);
  });

  const validationReports = () =>
    deps.validationReportsDir ? listValidationReports(deps.validationReportsDir) : undefined;

  router.get('/validation', requireToken, (_req, res) => {
    const reports = validationReports();
    res.json({ configured: reports !== undefined, reports: reports ?? [] });
  });

  router.get('/validation/:report/:file', requireToken, (req, res) => {
    const { report: name, file } = req.params as { report: string; file: string };
    const path = deps.validationReportsDir && validationReportFile(deps.validationReportsDir, name, file);
    if (!path) throw new CdsError('not-found', 'No such validation report file');
    // A download, not a page of this origin; and were it opened here, sandboxed with nothing to load.
    res
      .type(contentTypeOf(file))
      .set('Content-Disposition', `attachment; filename="${name}-${file}"`)
      .set('Content-Security-Policy', VALIDATION_REPORT_CSP)
      .set('X-Content-Type-Options', 'nosniff')
      .send(readFileSync(path));
  });

  router.get('/hooks.csv', requireToken, async (req, res) => {
    const query = parseMonitoringQuery(req.query, deps.clock());
    const csv = hookPerformanceToCsv(await deps.store.hookPerformance(query));
    const name = `rationale-hooks-${query.period}-${query.from.toISOString().slice(0, 10)}-${query.to.toISOString().slice(0, 10)}.csv`;
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${name}"`)
      .send(csv);
  });

  router.get('/', async (req, res) => {
    const auth = authorization(req);
    if (auth === 'wrong') throw new CdsError('unauthorized', 'admin token required');
    const query = parseMonitoringQuery(req.query, deps.clock());
    const nonce = randomBytes(16).toString('base64');
    const loaded = auth === 'ok' ? await report(query) : undefined;
    const plots = loaded ? await drawHookPlots(loaded.hookPerformance ?? []) : undefined;
    const html = renderMonitoringPage({
      nonce,
      basePath: req.baseUrl,
      query,
      ...(loaded ? { report: loaded, validationReports: validationReports() ?? null } : {}),
      ...(plots ? { plots } : {}),
    });
    res.set('Content-Security-Policy', monitoringPageCsp(nonce)).type('html').send(html);
  });

  router.use((req, _res, next) =>
    next(new CdsError('not-found', `No route for ${req.method} ${req.baseUrl}${req.path}`)),
  );
  return router;
}

/** Fixed-length digests, so the comparison takes the same time whatever the presented token's length. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
