/**
 * The monitoring page: one server-rendered HTML document with no external assets. The admin token
 * is typed into a password field and sent by a small inline script as an `Authorization` header,
 * never put in a URL or in browser storage. When the page itself is requested with the header
 * (curl, or a proxy that adds it), the tables arrive already filled.
 */
import { ALL_OVERRIDE_REASONS } from '../cards/override-reasons';
import type {
  HookPerformanceRow,
  MonitoringQuery,
  MonitoringSummary,
  SiteModelPerformanceRow,
} from '../store/store';
import type { LiveConfiguration } from './configuration';
import { ERROR_SERIES, LATENCY_SERIES, type HookPlots } from './plots';
import type { MonitoringReport, ReportRow } from './report';
import type { ValidationReportEntry } from './validation-reports';

/** Override reason codes as the card offered them ("Patient declined"); unknown codes stay codes. */
const REASON_DISPLAY = new Map(ALL_OVERRIDE_REASONS.map((r) => [r.code, r.display]));

export interface MonitoringPageOptions {
  /** Per-response nonce for the inline style and script (the page's Content-Security-Policy). */
  nonce: string;
  /** Where the JSON and CSV live, e.g. `/admin`. */
  basePath: string;
  query: MonitoringQuery;
  /** Present when the request carried the admin token: the tables are rendered on the server. */
  report?: MonitoringReport;
  /** With the report: the validation reports in the configured folder; null when none is configured. */
  validationReports?: ValidationReportEntry[] | null;
  /** The per-hook latency and error plots (SVG, monitoring/plots.ts), when there were calls. */
  plots?: HookPlots;
}

/** The Content-Security-Policy that lets this page, and nothing else, run. */
export function monitoringPageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const COLUMNS: { key: string; label: string; numeric: boolean }[] = [
  { key: 'topic', label: 'Card type', numeric: false },
  { key: 'period', label: 'Period starting', numeric: false },
  { key: 'shown', label: 'Shown', numeric: true },
  { key: 'silent', label: 'Silent (not shown)', numeric: true },
  { key: 'accepted', label: 'Accepted', numeric: true },
  { key: 'acceptanceRate', label: 'Acceptance rate', numeric: true },
  { key: 'overridden', label: 'Overridden', numeric: true },
  { key: 'overrideReasons', label: 'Override reasons', numeric: false },
  { key: 'snoozed', label: 'Snoozed', numeric: true },
  { key: 'appAgree', label: 'App: agree', numeric: true },
  { key: 'appDisagree', label: 'App: disagree', numeric: true },
];

/** Renders the page. Every value interpolated into the HTML is escaped. */
export function renderMonitoringPage(options: MonitoringPageOptions): string {
  const { nonce, query, report } = options;
  const fromDay = query.from.toISOString().slice(0, 10);
  // The form's "to" is inclusive: show the last day the range covers.
  const toDay = new Date(query.to.getTime() - 1).toISOString().slice(0, 10);
  const status = report ? summary(report) : 'Enter the admin token and choose Show to load the report.';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Rationale: card monitoring</title>
<style nonce="${esc(nonce)}">
  body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; background: #fff; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
  form { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: end; margin: 1rem 0; }
  label { display: flex; flex-direction: column; font-weight: 600; font-size: .85rem; gap: .2rem; }
  input, select, button { font: inherit; padding: .3rem .5rem; }
  button { cursor: pointer; }
  :focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
  table { border-collapse: collapse; margin-bottom: 1rem; }
  caption { text-align: left; font-weight: 600; padding: .25rem 0; }
  th, td { border: 1px solid #c8c8c8; padding: .3rem .55rem; text-align: left; vertical-align: top; }
  th { background: #f1f3f5; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  #status { min-height: 1.5em; }
  dl.figures { display: flex; flex-wrap: wrap; gap: .75rem; margin: .5rem 0; }
  dl.figures div { border: 1px solid #c8c8c8; border-radius: 6px; padding: .4rem .8rem; min-width: 9rem; }
  dl.figures dt { font-size: .85rem; color: #4a4a4a; }
  dl.figures dd { margin: 0; font-size: 1.5rem; font-weight: 700; font-variant-numeric: tabular-nums; }
  .notice { background: #fff8db; border: 1px solid #8a6d00; padding: .4rem .7rem; max-width: 60rem; }
  .hint { color: #4a4a4a; max-width: 60rem; }
  figure.plot { margin: .5rem 0 1rem; }
  figure.plot figcaption { font-weight: 600; margin-bottom: .25rem; }
  svg.hook-plot { display: block; height: auto; max-width: 100%; background: #fff; }
  svg.hook-plot text, svg.hook-plot tspan { white-space: pre; }
  ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: 0; margin: .25rem 0; font-size: .85rem; }
  ul.legend li::before { content: ''; display: inline-block; width: 1.1em; height: .3em; margin-right: .4em; vertical-align: middle; background: currentColor; }
${[...LATENCY_SERIES, ...ERROR_SERIES].map((s) => `  ul.legend li.series-${s.key}::before { background: ${s.color}; }`).join('\n')}
</style>
</head>
<body>
<main>
<h1>Card monitoring</h1>
<p class="hint">Per card topic and period: cards shown to clinicians, cards withheld in silent mode, cards accepted
and overridden (by reason), snoozes applied, and clinicians' agree/disagree verdicts in the reasoning app.
Acceptance rate is accepted cards divided by cards shown. Periods are UTC weeks (starting Monday), days or months.</p>
<form id="filters" method="get" action="${esc(options.basePath)}/" data-endpoint="${esc(options.basePath)}/monitoring" data-csv="${esc(options.basePath)}/monitoring.csv">
  <label for="token">Admin token
    <input id="token" type="password" autocomplete="off" spellcheck="false" aria-describedby="token-hint">
  </label>
  <label for="from">From
    <input id="from" name="from" type="date" value="${esc(fromDay)}" required>
  </label>
  <label for="to">To (inclusive)
    <input id="to" name="to" type="date" value="${esc(toDay)}" required>
  </label>
  <label for="period">Period
    <select id="period" name="period">
${(['day', 'week', 'month'] as const)
  .map(
    (p) =>
      `      <option value="${p}"${p === query.period ? ' selected' : ''}>${p[0]?.toUpperCase()}${p.slice(1)}</option>`,
  )
  .join('\n')}
    </select>
  </label>
  <button type="submit">Show</button>
  <button type="button" id="csv">Download CSV</button>
  <button type="button" id="hooks-csv" data-csv="${esc(options.basePath)}/hooks.csv">Download hook performance CSV</button>
</form>
<p id="token-hint" class="hint">The token is sent as an Authorization header and is not stored by this page.</p>
<p id="status" role="status" aria-live="polite">${esc(status)}</p>
<div id="report">
${report?.configuration ? silentBanner(report.configuration) : ''}
${report?.summary ? summarySection(report.summary, topicNames(report)) : ''}
${report?.hookPerformance ? performanceSection(report.hookPerformance, options.plots) : ''}
${report?.summary ? versionSection(report.summary) : ''}
${report?.summary ? dataQualitySection(report.summary) : ''}
${report?.siteModels?.length ? siteModelSection(report.siteModels) : ''}
<h2 id="totals-heading">Totals by card type</h2>
${table('totals', 'Totals over the whole range, one row per card type', report?.totals ?? [], topicNames(report))}
<h2 id="rows-heading">By period</h2>
${table('rows', 'One row per card type and period', report?.rows ?? [], topicNames(report))}
${options.validationReports !== undefined ? validationSection(options.validationReports, options.basePath) : ''}
${report?.configuration ? configurationSection(report.configuration) : ''}
</div>
</main>
<script nonce="${esc(nonce)}">
${SCRIPT}
</script>
</body>
</html>
`;
}

function summary(report: MonitoringReport): string {
  const shown = report.totals.reduce((n, r) => n + r.shown, 0);
  const accepted = report.totals.reduce((n, r) => n + r.accepted, 0);
  return `${report.totals.length} topics, ${shown} cards shown, ${accepted} accepted, ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)} by ${report.period}.`;
}

/** Topic code → the card type's readable name, from the cards as they were issued. */
function topicNames(report: MonitoringReport | undefined): ReadonlyMap<string, string> {
  return new Map(
    (report?.summary?.byTopic ?? []).flatMap((t) => (t.display ? [[t.topic, t.display] as const] : [])),
  );
}

function simpleTable(
  id: string,
  caption: string,
  head: string[],
  rows: string[][],
  numeric: boolean[],
): string {
  return simpleTableHtml(
    id,
    caption,
    head,
    rows.map((r) => r.map(esc)),
    numeric,
  );
}

function silentBanner(configuration: LiveConfiguration): string {
  if (configuration.silent) {
    return '<p class="notice" id="silent-status"><strong>The service is silent:</strong> every enabled hook computes and counts its cards but shows none to clinicians.</p>';
  }
  if (configuration.silentHooks.length > 0) {
    return `<p class="notice" id="silent-status"><strong>Partly silent:</strong> ${esc(configuration.silentHooks.join(', '))} compute and count cards without showing them.</p>`;
  }
  return '<p id="silent-status">The service is live: cards are shown to clinicians.</p>';
}

/** Who saw what: impressions beside unique patients and clinicians, per hook, per role, per card type. */
function summarySection(summary: MonitoringSummary, names: ReadonlyMap<string, string>): string {
  const t = summary.totals;
  const rate = (a: number, b: number) => (b > 0 ? `${((a / b) * 100).toFixed(1)}%` : '–');
  return `<h2 id="summary-heading">Reach</h2>
<dl class="figures" id="reach">
  <div><dt>Cards shown (impressions)</dt><dd id="cards-shown">${t.cardsShown}</dd></div>
  <div><dt>Unique patients</dt><dd id="unique-patients">${t.uniquePatients}</dd></div>
  <div><dt>Unique clinicians</dt><dd id="unique-clinicians">${t.uniqueClinicians}</dd></div>
  <div><dt>Hook calls</dt><dd id="hook-calls">${t.hookCalls}</dd></div>
  <div><dt>Cards withheld (silent)</dt><dd>${t.cardsSilent}</dd></div>
  <div><dt>App launches from cards</dt><dd id="app-launches">${t.appLaunches}</dd></div>
</dl>
<p class="hint">A chart reopened six times shows its cards six times: six impressions, one patient. Clinicians are counted by the hook's userId.</p>
<h2 id="services-heading">By hook</h2>
${simpleTable(
  'by-service',
  'Per hook service: calls, cards shown, unique patients and clinicians',
  ['Hook service', 'Calls', 'Cards shown', 'Cards per call', 'Unique patients', 'Unique clinicians'],
  summary.byService.map((r) => [
    r.service,
    String(r.calls),
    String(r.cardsShown),
    r.calls > 0 ? (r.cardsShown / r.calls).toFixed(2) : '–',
    String(r.uniquePatients),
    String(r.uniqueClinicians),
  ]),
  [false, true, true, true, true, true],
)}
<h2 id="roles-heading">By clinician role</h2>
${simpleTable(
  'by-role',
  'Per clinician role (the type of the hook userId): cards shown, clinicians, acceptance',
  ['Role', 'Cards shown', 'Unique clinicians', 'Accepted', 'Overridden', 'Acceptance rate'],
  summary.byRole.map((r) => [
    r.role,
    String(r.cardsShown),
    String(r.uniqueClinicians),
    String(r.accepted),
    String(r.overridden),
    rate(r.accepted, r.cardsShown),
  ]),
  [false, true, true, true, true, true],
)}
<h2 id="topics-heading">Unique patients and clinicians by card type</h2>
${simpleTable(
  'by-topic',
  'Per card type: the distinct patients and clinicians its cards reached',
  ['Card type', 'Unique patients', 'Unique clinicians', 'Topic code'],
  summary.byTopic.map((r) => [
    names.get(r.topic) ?? r.topic,
    String(r.uniquePatients),
    String(r.uniqueClinicians),
    r.topic,
  ]),
  [false, true, true, false],
)}`;
}

/** The `rationale validate` reports, each file a button that downloads it with the token. */
function validationSection(reports: ValidationReportEntry[] | null, basePath: string): string {
  const heading = '<h2 id="validation-heading">Validation reports</h2>';
  if (reports === null)
    return `${heading}\n<p class="hint" id="validation-reports">No reports folder is configured: set validationReportsDir (VALIDATION_REPORTS_DIR) to a folder of <code>rationale validate --out</code> reports.</p>`;
  if (reports.length === 0)
    return `${heading}\n<p class="hint" id="validation-reports">The reports folder holds no report yet: run <code>rationale validate --out</code> into a sub-folder of it.</p>`;
  return `${heading}
<p class="hint">Accuracy, calibration, fairness and lead time of the model on this site's population (<code>rationale validate</code>). Files download with the admin token; open report.html from your downloads.</p>
${simpleTableHtml(
  'validation-reports',
  'Validation reports, newest first',
  ['Report', 'Generated', 'Patients', 'Model', 'Modes', 'Store figures', 'Files'],
  reports.map((r) => [
    esc(r.name),
    esc(r.generatedAt?.replace('T', ' ').slice(0, 16) ?? '–'),
    r.patients === undefined ? '–' : String(r.patients),
    esc(r.model ?? '–'),
    esc(r.modes.join(', ') || '–'),
    r.storeFigures ? 'yes' : 'no',
    r.files
      .map(
        (f) =>
          `<button type="button" data-download="${esc(`${basePath}/validation/${encodeURIComponent(r.name)}/${encodeURIComponent(f)}`)}" data-filename="${esc(`${r.name}-${f}`)}">${esc(f)}</button>`,
      )
      .join(' '),
  ]),
  [false, false, true, false, false, false, false],
)}`;
}

/** A table with a caption, a header row and a row header per row; its cells are already escaped HTML. */
function simpleTableHtml(
  id: string,
  caption: string,
  head: string[],
  rows: string[][],
  numeric: boolean[],
): string {
  return `<table id="${id}">
<caption>${esc(caption)}</caption>
<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows
  .map(
    (r) =>
      `<tr>${r.map((v, i) => (i === 0 ? `<th scope="row">${v}</th>` : `<td${numeric[i] ? ' class="num"' : ''}>${v}</td>`)).join('')}</tr>`,
  )
  .join('\n')}
</tbody>
</table>`;
}

/** Latency percentiles and error rates per hook over time: the plots, their legend, the numbers. */
function performanceSection(rows: readonly HookPerformanceRow[], plots: HookPlots | undefined): string {
  const legend = (series: readonly { key: string; label: string }[]) =>
    `<ul class="legend">${series.map((s) => `<li class="series-${esc(s.key)}">${esc(s.label)}</li>`).join('')}</ul>`;
  const pct = (n: number, d: number) => (d > 0 ? `${((n / d) * 100).toFixed(1)}%` : '–');
  return `<h2 id="performance-heading">Hook performance</h2>
<p class="hint">Every call to a hook service is timed, whatever it answered: a refused token, a malformed request or
missing data (4xx) and a failure of the service (5xx) count as calls. Response time is measured from the request
reaching the service to the answer being sent.</p>
${
  plots
    ? `<figure class="plot" id="latency-plot"><figcaption>Response time per hook (ms)</figcaption>${legend(LATENCY_SERIES)}${plots.latency}</figure>
<figure class="plot" id="errors-plot"><figcaption>Calls answered with an error, per hook (%)</figcaption>${legend(ERROR_SERIES)}${plots.errors}</figure>`
    : '<p>No hook calls in this range.</p>'
}
${simpleTable(
  'hook-performance',
  'Per hook service and period: calls, errors and response time',
  [
    'Hook service',
    'Period starting',
    'Calls',
    'Errors 4xx',
    'Errors 5xx',
    'Error rate',
    'p50 ms',
    'p90 ms',
    'p99 ms',
  ],
  rows.map((r) => [
    r.service,
    r.period,
    String(r.calls),
    String(r.clientErrors),
    String(r.serverErrors),
    pct(r.clientErrors + r.serverErrors, r.calls),
    r.p50Ms.toFixed(0),
    r.p90Ms.toFixed(0),
    r.p99Ms.toFixed(0),
  ]),
  [false, false, true, true, true, true, true, true, true],
)}`;
}

/** Which model and knowledge base produced what: assessments and cards per version. */
function versionSection(summary: MonitoringSummary): string {
  return `<h2 id="versions-heading">Model and knowledge versions</h2>
<p class="hint">Each assessment and card is stored with the model version and the hash of the knowledge base that
produced it; a change of version shows here as a new row. "unrecorded" counts what was stored before versions were kept.</p>
${simpleTable(
  'by-version',
  'Per model version and knowledge base: assessments made, cards shown and withheld',
  ['Model', 'Version', 'Knowledge base', 'Assessments', 'Cards shown', 'Cards withheld (silent)'],
  summary.byVersion.map((r) => [
    r.model,
    r.version,
    r.knowledgeBaseHash,
    String(r.assessments),
    String(r.cardsShown),
    String(r.cardsSilent),
  ]),
  [false, false, false, true, true, true],
)}`;
}

const DATA_QUALITY_TEXT: Readonly<Record<string, string>> = {
  'element-ignored': 'A field the model does not need was unreadable and ignored',
  'resource-skipped': 'A resource the model needs was unreadable and skipped',
  'response-truncated': 'A FHIR answer was cut at its size limit',
  'resources-capped': 'A record was cut at its resource limit',
  'key-unavailable': 'The EHR did not send a prefetch key',
};

/** What of the records could not be read, by kind (issue 18): what the site's data costs the model. */
function dataQualitySection(summary: MonitoringSummary): string {
  return `<h2 id="data-quality-heading">What of the records could not be read</h2>
<p class="hint">Hooks read the EHR's data liberally: an unreadable field or resource costs that piece, not the patient's cards.
Each is counted here; a kind that grows points at how the site's EHR sends its data.</p>
${
  summary.byDataQuality.length
    ? simpleTable(
        'by-data-quality',
        'Data-quality issues by kind: issues, and assessments with at least one',
        ['Kind', 'Issues', 'Assessments'],
        summary.byDataQuality.map((r) => [
          DATA_QUALITY_TEXT[r.kind] ?? r.kind,
          String(r.issues),
          String(r.assessments),
        ]),
        [false, true, true],
      )
    : '<p>Every record in this period was read whole.</p>'
}`;
}

/** Each site model and version over the period: how its calls ended, how long they took, its last failure. */
function siteModelSection(models: readonly SiteModelPerformanceRow[]): string {
  return `<h2 id="site-models-heading">Site models</h2>
<p class="hint">The organisation's own models (configuration <code>models</code>), every call in the period from every
replica. A model that times out, is unavailable or answers in the wrong shape is cut at its budget; the hook answers with
the other cards. "Circuit open": calls skipped while a failing server is left alone. Latency counts every call, answered
or not.</p>
${simpleTable(
  'site-models',
  'Per site model and version over the period: calls by outcome, latency, last failure',
  [
    'Model',
    'Version',
    'Mode',
    'Runtime',
    'Calls',
    'Answered',
    'Timeout',
    'Unavailable',
    'Bad response',
    'Circuit open',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'Last failure',
  ],
  models.map((m) => [
    m.modelId,
    m.version,
    m.mode,
    m.runtime,
    String(m.calls),
    String(m.byStatus.complete ?? 0),
    String(m.byStatus.timeout ?? 0),
    String(m.byStatus.unavailable ?? 0),
    String(m.byStatus['bad-response'] ?? 0),
    String(m.byStatus['circuit-open'] ?? 0),
    m.p50Ms.toFixed(1),
    m.p90Ms.toFixed(1),
    m.p99Ms.toFixed(1),
    m.lastFailure ? `${m.lastFailure.status} at ${m.lastFailure.at}` : '—',
  ]),
  [false, false, false, false, true, true, true, true, true, true, true, true, true, false],
)}`;
}

function configurationSection(configuration: LiveConfiguration): string {
  return `<h2 id="configuration-heading">Live configuration</h2>
<p class="hint">What this service runs with now; secrets are never shown.</p>
${simpleTable(
  'configuration',
  'The running configuration, secrets masked',
  ['Setting', 'Value'],
  configuration.rows.map((r) => [r.setting, r.value]),
  [false, false],
)}`;
}

function table(
  id: string,
  caption: string,
  rows: ReportRow[],
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const head = COLUMNS.map((c) => `<th scope="col">${esc(c.label)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${COLUMNS.map((c) => cell({ ...row, topic: names.get(row.topic) ?? row.topic }, c.key, c.numeric)).join('')}</tr>`,
    )
    .join('\n');
  return `<table id="${id}">
<caption>${esc(caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

function cell(row: ReportRow, key: string, numeric: boolean): string {
  const text = formatCell(row, key);
  if (key === 'topic') return `<th scope="row">${esc(text)}</th>`;
  return `<td${numeric ? ' class="num"' : ''}>${esc(text)}</td>`;
}

/** The text of a cell; the inline script formats the same way. */
export function formatCell(row: ReportRow, key: string): string {
  switch (key) {
    case 'acceptanceRate':
      return row.acceptanceRate === null ? '–' : `${(row.acceptanceRate * 100).toFixed(1)}%`;
    case 'overrideReasons': {
      const entries = Object.entries(row.overrideReasons).sort(([a], [b]) => a.localeCompare(b));
      return entries.length
        ? entries.map(([code, n]) => `${REASON_DISPLAY.get(code) ?? code}: ${n}`).join(', ')
        : '–';
    }
    default: {
      const value = (row as unknown as Record<string, unknown>)[key];
      return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
    }
  }
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Fetches the report page (or CSV) with the typed token as a header and moves the rendered report in. */
const SCRIPT = `(function () {
  'use strict';
  var form = document.getElementById('filters');
  var token = document.getElementById('token');
  var status = document.getElementById('status');
  function query() {
    var p = new URLSearchParams();
    ['from', 'to', 'period'].forEach(function (name) {
      var value = form.elements[name].value;
      if (value) p.set(name, value);
    });
    return p.toString();
  }
  function headers() {
    return token.value ? { Authorization: 'Bearer ' + token.value } : {};
  }
  function failed(res) {
    status.textContent = res.status === 401 ? 'The admin token was not accepted.' : 'The report could not be loaded (HTTP ' + res.status + ').';
  }
  // The server renders the report (it escapes every value); with the token the page asks for the
  // same page and moves its report and status in, as parsed nodes: no HTML strings are assigned.
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    status.textContent = 'Loading\u2026';
    fetch(form.getAttribute('action') + '?' + query(), { headers: headers(), cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        if (!res.ok) return failed(res);
        return res.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var fresh = doc.getElementById('report');
          var current = document.getElementById('report');
          if (!fresh || !current) { status.textContent = 'The report could not be read.'; return; }
          // A copy first: adopting a node removes it from the live childNodes list.
          var nodes = Array.prototype.slice.call(fresh.childNodes).map(function (n) { return document.adoptNode(n); });
          current.replaceChildren.apply(current, nodes);
          var freshStatus = doc.getElementById('status');
          status.textContent = freshStatus ? freshStatus.textContent : 'Report loaded.';
        });
      })
      .catch(function () { status.textContent = 'The service did not answer.'; });
  });
  // Fetched with the token as a header, saved under the given name.
  function download(href, filename, label) {
    status.textContent = 'Preparing ' + label + '\\u2026';
    fetch(href, { headers: headers(), cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        if (!res.ok) return failed(res);
        return res.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var a = document.createElement('a');
          a.href = url;
          a.download = filename;
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 0);
          status.textContent = label + ' downloaded.';
        });
      })
      .catch(function () { status.textContent = 'The service did not answer.'; });
  }
  document.getElementById('csv').addEventListener('click', function () {
    download(form.dataset.csv + '?' + query(), 'rationale-monitoring.csv', 'CSV');
  });
  // Validation report files: buttons inside the report, which is replaced on every Show.
  document.getElementById('report').addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button[data-download]');
    if (button) download(button.dataset.download, button.dataset.filename, button.dataset.filename);
  });
  document.getElementById('hooks-csv').addEventListener('click', function () {
    download(this.dataset.csv + '?' + query(), 'rationale-hooks.csv', 'CSV');
  });
  // The link npm start prints carries the token in the fragment, which no server or log sees:
  // take it, drop it from the address bar and history, and load the report.
  var fromLink = /(?:^|&)token=([^&]+)/.exec(location.hash.slice(1));
  if (fromLink) {
    token.value = decodeURIComponent(fromLink[1]);
    history.replaceState(null, '', location.pathname + location.search);
    form.requestSubmit();
  }
})();`;
