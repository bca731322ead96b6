/**
 * The monitoring page: one server-rendered HTML document with no external assets. The admin token
 * is typed into a password field and sent by a small inline script as an `Authorization` header,
 * never put in a URL or in browser storage. When the page itself is requested with the header
 * (curl, or a proxy that adds it), the tables arrive already filled.
 */
import type { MonitoringQuery } from '../store/store';
import type { MonitoringReport, ReportRow } from './report';

export interface MonitoringPageOptions {
  /** Per-response nonce for the inline style and script (the page's Content-Security-Policy). */
  nonce: string;
  /** Where the JSON and CSV live, e.g. `/admin`. */
  basePath: string;
  query: MonitoringQuery;
  /** Present when the request carried the admin token: the tables are rendered on the server. */
  report?: MonitoringReport;
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
  { key: 'topic', label: 'Card topic', numeric: false },
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
  .hint { color: #4a4a4a; max-width: 60rem; }
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
</form>
<p id="token-hint" class="hint">The token is sent as an Authorization header and is not stored by this page.</p>
<p id="status" role="status" aria-live="polite">${esc(status)}</p>
<h2 id="totals-heading">Totals by topic</h2>
${table('totals', 'Totals over the whole range, one row per card topic', report?.totals ?? [])}
<h2 id="rows-heading">By period</h2>
${table('rows', 'One row per card topic and period', report?.rows ?? [])}
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

function table(id: string, caption: string, rows: ReportRow[]): string {
  const head = COLUMNS.map((c) => `<th scope="col">${esc(c.label)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${COLUMNS.map((c) => cell(row, c.key, c.numeric)).join('')}</tr>`)
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
      return entries.length ? entries.map(([code, n]) => `${code}: ${n}`).join(', ') : '–';
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

/** Fetches JSON (or CSV) with the typed token as a header and fills the tables with textContent only. */
const SCRIPT = `(function () {
  'use strict';
  var COLUMNS = ${JSON.stringify(COLUMNS)};
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
  function text(row, key) {
    if (key === 'acceptanceRate') return row.acceptanceRate === null ? '\\u2013' : (row.acceptanceRate * 100).toFixed(1) + '%';
    if (key === 'overrideReasons') {
      var entries = Object.keys(row.overrideReasons).sort().map(function (k) { return k + ': ' + row.overrideReasons[k]; });
      return entries.length ? entries.join(', ') : '\\u2013';
    }
    return String(row[key]);
  }
  function fill(id, rows) {
    var body = document.querySelector('#' + id + ' tbody');
    while (body.firstChild) body.removeChild(body.firstChild);
    rows.forEach(function (row) {
      var tr = document.createElement('tr');
      COLUMNS.forEach(function (c) {
        var cell = document.createElement(c.key === 'topic' ? 'th' : 'td');
        if (c.key === 'topic') cell.setAttribute('scope', 'row');
        if (c.numeric) cell.className = 'num';
        cell.textContent = text(row, c.key);
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
  }
  function failed(res) {
    status.textContent = res.status === 401 ? 'The admin token was not accepted.' : 'The report could not be loaded (HTTP ' + res.status + ').';
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    status.textContent = 'Loading\\u2026';
    fetch(form.dataset.endpoint + '?' + query(), { headers: headers(), cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        if (!res.ok) return failed(res);
        return res.json().then(function (report) {
          fill('totals', report.totals);
          fill('rows', report.rows);
          var shown = report.totals.reduce(function (n, r) { return n + r.shown; }, 0);
          var accepted = report.totals.reduce(function (n, r) { return n + r.accepted; }, 0);
          status.textContent = report.totals.length + ' topics, ' + shown + ' cards shown, ' + accepted + ' accepted, ' +
            report.from.slice(0, 10) + ' to ' + report.to.slice(0, 10) + ' by ' + report.period + '.';
        });
      })
      .catch(function () { status.textContent = 'The service did not answer.'; });
  });
  document.getElementById('csv').addEventListener('click', function () {
    status.textContent = 'Preparing CSV\\u2026';
    fetch(form.dataset.csv + '?' + query(), { headers: headers(), cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        if (!res.ok) return failed(res);
        return res.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var a = document.createElement('a');
          a.href = url;
          a.download = 'rationale-monitoring.csv';
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 0);
          status.textContent = 'CSV downloaded.';
        });
      })
      .catch(function () { status.textContent = 'The service did not answer.'; });
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
