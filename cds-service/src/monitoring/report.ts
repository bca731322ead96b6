/**
 * The informaticists' monitoring report (issue 4 §7): per card topic and period, cards shown and
 * withheld (silent mode), accepted, overridden by reason, snoozed, the app's agree/disagree
 * verdicts, and the acceptance rate. Pure functions over the store's rows: query parsing, totals,
 * CSV. No I/O.
 */
import { siteModelResultSchema } from '@rationale/shared-types';
import { CdsError } from '../errors';
import type {
  HookPerformanceRow,
  MonitoringQuery,
  MonitoringRow,
  MonitoringSummary,
  SiteModelPerformanceRow,
} from '../store/store';
import type { LiveConfiguration } from './configuration';

export type Period = MonitoringQuery['period'];

export interface ReportRow extends MonitoringRow {
  /** accepted / shown; null when no card was shown. */
  acceptanceRate: number | null;
}

export interface MonitoringReport {
  from: string;
  to: string;
  period: Period;
  generatedAt: string;
  /** One row per period and topic, oldest period first. */
  rows: ReportRow[];
  /** One row per topic over the whole range (`period` is 'total'). */
  totals: ReportRow[];
  /** Every override reason code in the range, sorted: the CSV's reason columns. */
  overrideReasonCodes: string[];
  /** Unique patients and clinicians, per hook service, role and topic (when the store gave them). */
  summary?: MonitoringSummary;
  /** The configuration the service runs with, secrets masked. */
  configuration?: LiveConfiguration;
  /** Per hook service and period: calls, errors by status class, latency p50/p90/p99 (ms). */
  hookPerformance?: HookPerformanceRow[];
  /** The site's own models per model and version, over the range: calls by outcome, latency, last failure. */
  siteModels?: SiteModelPerformanceRow[];
}

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 90;
const MAX_RANGE_DAYS: Record<Period, number> = { day: 400, week: 3 * 366, month: 10 * 366 };
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads `from`, `to` and `period` from a query string. Dates are ISO (`2025-03-01` or a full
 * timestamp with offset); a date-only `to` includes that whole day (UTC). Defaults: the 90 days up
 * to now, by week. Throws `invalid-request` naming the parameter.
 */
export function parseMonitoringQuery(params: Record<string, unknown>, now: Date): MonitoringQuery {
  const period = single(params, 'period') ?? 'week';
  if (period !== 'day' && period !== 'week' && period !== 'month') {
    throw new CdsError('invalid-request', 'period must be day, week or month', { expression: ['period'] });
  }
  const toParam = single(params, 'to');
  const to = toParam === undefined ? now : parseInstant(toParam, 'to', true);
  const fromParam = single(params, 'from');
  const from =
    fromParam === undefined
      ? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS)
      : parseInstant(fromParam, 'from', false);
  if (from.getTime() >= to.getTime()) {
    throw new CdsError('invalid-request', 'from must be before to', { expression: ['from', 'to'] });
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS[period] * DAY_MS) {
    throw new CdsError(
      'invalid-request',
      `a ${period} report covers at most ${MAX_RANGE_DAYS[period]} days`,
      {
        expression: ['from', 'to'],
      },
    );
  }
  return { from, to, period };
}

function single(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string')
    throw new CdsError('invalid-request', `${name} must be given once`, { expression: [name] });
  return value;
}

function parseInstant(value: string, name: string, endOfDay: boolean): Date {
  if (DATE_ONLY.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(day.getTime()) && day.toISOString().startsWith(value)) {
      return endOfDay ? new Date(day.getTime() + DAY_MS) : day;
    }
  } else if (DATE_TIME.test(value)) {
    const instant = new Date(value);
    if (!Number.isNaN(instant.getTime())) return instant;
  }
  throw new CdsError('invalid-request', `${name} must be an ISO date (YYYY-MM-DD) or date-time`, {
    expression: [name],
  });
}

/** Adds acceptance rates and per-topic totals to the store's rows. */
export function buildReport(
  rows: MonitoringRow[],
  query: MonitoringQuery,
  generatedAt: Date,
): MonitoringReport {
  const totals = new Map<string, MonitoringRow>();
  const codes = new Set<string>();
  for (const row of rows) {
    const total = totals.get(row.topic) ?? emptyRow('total', row.topic);
    total.shown += row.shown;
    total.silent += row.silent;
    total.accepted += row.accepted;
    total.overridden += row.overridden;
    total.snoozed += row.snoozed;
    total.appAgree += row.appAgree;
    total.appDisagree += row.appDisagree;
    for (const [code, n] of Object.entries(row.overrideReasons)) {
      codes.add(code);
      total.overrideReasons[code] = (total.overrideReasons[code] ?? 0) + n;
    }
    totals.set(row.topic, total);
  }
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    period: query.period,
    generatedAt: generatedAt.toISOString(),
    rows: rows.map(withRate),
    totals: [...totals.values()]
      .sort((a, b) => b.shown - a.shown || a.topic.localeCompare(b.topic))
      .map(withRate),
    overrideReasonCodes: [...codes].sort(),
  };
}

function emptyRow(period: string, topic: string): MonitoringRow {
  return {
    period,
    topic,
    shown: 0,
    silent: 0,
    accepted: 0,
    overridden: 0,
    overrideReasons: {},
    snoozed: 0,
    appAgree: 0,
    appDisagree: 0,
  };
}

function withRate(row: MonitoringRow): ReportRow {
  return {
    ...row,
    overrideReasons: { ...row.overrideReasons },
    acceptanceRate: row.shown > 0 ? row.accepted / row.shown : null,
  };
}

/**
 * The report as CSV (RFC 4180: comma-separated, CRLF line ends, fields with commas, quotes or line
 * breaks quoted, quotes doubled), a header row first, then the period rows, then the totals. One
 * `overridden:<reason>` column per reason code. Text that a spreadsheet would run as a formula
 * (a leading = + - @) is prefixed with an apostrophe: reason codes come from the EHR.
 *
 * When the site's own models were called in the range, a second section follows after one empty
 * line, with its own header: what the monitoring page's "Site models" table shows (`siteModelsToCsv`).
 * The card section comes first and is unchanged, so a reader of the first table reads it as before.
 */
export function reportToCsv(report: MonitoringReport): string {
  const cards = cardsToCsv(report);
  return report.siteModels?.length ? `${cards}\r\n${siteModelsToCsv(report.siteModels)}` : cards;
}

/** How a site-model call can end, in the page's column order: one count column each. */
const SITE_MODEL_STATUSES = siteModelResultSchema.shape.status.options;

/**
 * Site-model performance as CSV (same conventions as `reportToCsv`): one row per model and version
 * over the range, as the monitoring page shows it: mode and runtime of the latest call, calls, the
 * count per outcome (`complete`, `timeout`, `unavailable`, `bad_response`, `circuit_open`), latency
 * p50/p90/p99 in ms over every call, answered or not, and the last failure's outcome and time.
 */
export function siteModelsToCsv(rows: readonly SiteModelPerformanceRow[]): string {
  const header = [
    'site_model',
    'version',
    'mode',
    'runtime',
    'calls',
    ...SITE_MODEL_STATUSES.map((status) => status.replace('-', '_')),
    'p50_ms',
    'p90_ms',
    'p99_ms',
    'last_failure',
    'last_failure_at',
  ];
  const lines = [
    header,
    ...rows.map((r) => [
      csvText(r.modelId),
      csvText(r.version),
      r.mode,
      r.runtime,
      String(r.calls),
      ...SITE_MODEL_STATUSES.map((status) => String(r.byStatus[status] ?? 0)),
      r.p50Ms.toFixed(1),
      r.p90Ms.toFixed(1),
      r.p99Ms.toFixed(1),
      r.lastFailure?.status ?? '',
      r.lastFailure?.at ?? '',
    ]),
  ];
  return lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n';
}

function cardsToCsv(report: MonitoringReport): string {
  const header = [
    'period',
    'topic',
    'shown',
    'silent',
    'accepted',
    'overridden',
    'acceptance_rate',
    'snoozed',
    'app_agree',
    'app_disagree',
    ...report.overrideReasonCodes.map((code) => `overridden:${code}`),
  ];
  const lines = [header.map(csvText)];
  for (const row of [...report.rows, ...report.totals]) {
    lines.push([
      csvText(row.period),
      csvText(row.topic),
      String(row.shown),
      String(row.silent),
      String(row.accepted),
      String(row.overridden),
      row.acceptanceRate === null ? '' : row.acceptanceRate.toFixed(4),
      String(row.snoozed),
      String(row.appAgree),
      String(row.appDisagree),
      ...report.overrideReasonCodes.map((code) => String(row.overrideReasons[code] ?? 0)),
    ]);
  }
  return lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n';
}

/** One CSV text field, neutralized against formula injection and quoted when it must be. */
export function csvText(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Per-hook performance as CSV (same conventions as `reportToCsv`): one row per period and hook
 * service with calls, answers by status class, the error rate and the latency percentiles in ms.
 */
export function hookPerformanceToCsv(rows: readonly HookPerformanceRow[]): string {
  const header = [
    'period',
    'hook_service',
    'calls',
    'ok',
    'client_errors_4xx',
    'server_errors_5xx',
    'error_rate',
    'p50_ms',
    'p90_ms',
    'p99_ms',
  ];
  const lines = [
    header,
    ...rows.map((r) => [
      csvText(r.period),
      csvText(r.service),
      String(r.calls),
      String(r.ok),
      String(r.clientErrors),
      String(r.serverErrors),
      r.calls > 0 ? ((r.clientErrors + r.serverErrors) / r.calls).toFixed(4) : '',
      r.p50Ms.toFixed(1),
      r.p90Ms.toFixed(1),
      r.p99Ms.toFixed(1),
    ]),
  ];
  return lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n';
}
