/**
 * The validation report as files: a self-contained HTML page (plots drawn server-side with
 * @observablehq/plot into a linkedom document and inlined as SVG: no script, no CDN, readable
 * offline), the whole report as JSON, and a CSV of every table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvText } from '../monitoring/report';
import type { FairnessRow, ModeReport, ValidationReport } from './aggregate';
import { CALIBRATION_METRICS, FAIRNESS_BAND, OVERALL } from './aggregate';
import type { Estimate } from './metrics';

import type * as PlotNamespace from '@observablehq/plot';

type PlotModule = typeof PlotNamespace;
/** A DOM document (linkedom's): Plot draws into it. */
type PlotDocument = object;
/** What is used of a rendered figure (Plot's own type names DOM types this Node project does not load). */
interface Rendered {
  outerHTML: string;
}

/** A Content-Security-Policy under which the report renders: inline styles, no script at all. */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const num = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);

const est = (e: Estimate, digits = 3) =>
  e.value === null
    ? '–'
    : `${num(e.value, digits)} <span class="ci">(${num(e.low, digits)}–${num(e.high, digits)})</span>`;

const MODE_TITLE = {
  crossSectional: 'Cross-sectional (mask and re-find)',
  asOf: 'As of past dates (replay)',
} as const;
const MAIN_METRICS = [
  'sensitivity',
  'specificity',
  'ppv',
  'npv',
  'flagRate',
  'auroc',
  'auprc',
  'brier',
  'ece',
] as const;
const FAIRNESS_PLOT_METRICS = ['flagRate', 'sensitivity', 'ppv', 'auroc'] as const;
/** Conditions drawn on the curve plots: overall and any with at least this many positives. */
const MIN_POSITIVES_TO_DRAW = 5;

interface PlotDeps {
  Plot: PlotModule;
  document: PlotDocument;
  horizonDays: number;
}

function svg(deps: PlotDeps, options: Parameters<PlotModule['plot']>[0], title: string): string {
  const el = deps.Plot.plot({
    ...options,
    // Plot's option type names the DOM's Document, which this Node project has no types for.
    document: deps.document as never,
    style: { fontSize: '11px' },
  }) as unknown as Rendered;
  return `<figure class="plot" data-plot="${esc(title)}"><figcaption>${esc(title)}</figcaption>${el.outerHTML}</figure>`;
}

function drawn(mode: ModeReport): Set<string> {
  return new Set(
    mode.metrics
      .filter((m) => m.conditionId === OVERALL || m.positives >= MIN_POSITIVES_TO_DRAW)
      .map((m) => m.conditionId),
  );
}

function curvePlots(deps: PlotDeps, mode: ModeReport, title: string): string {
  const { Plot } = deps;
  const keep = drawn(mode);
  const curves = mode.curves.filter((c) => keep.has(c.conditionId));
  const roc = curves.flatMap((c) => c.roc.map((p) => ({ ...p, condition: c.conditionId })));
  const pr = curves.flatMap((c) => c.pr.map((p) => ({ ...p, condition: c.conditionId })));
  const rel = curves.flatMap((c) => c.reliability.map((b) => ({ ...b, condition: c.conditionId })));
  const common = { width: 420, height: 340, color: { legend: true }, grid: true } as const;
  return `<div class="plots">${[
    svg(
      deps,
      {
        ...common,
        x: { domain: [0, 1], label: 'False positive rate (1 − specificity)' },
        y: { domain: [0, 1], label: 'Sensitivity' },
        marks: [
          Plot.line(
            [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
            { x: 'x', y: 'y', stroke: '#bbb', strokeDasharray: '4,3' },
          ),
          Plot.line(roc, { x: 'fpr', y: 'tpr', stroke: 'condition', curve: 'step-after' }),
        ],
      },
      `ROC — ${title}`,
    ),
    svg(
      deps,
      {
        ...common,
        x: { domain: [0, 1], label: 'Recall (sensitivity)' },
        y: { domain: [0, 1], label: 'Precision (PPV)' },
        marks: [Plot.line(pr, { x: 'recall', y: 'precision', stroke: 'condition', curve: 'step-before' })],
      },
      `Precision–recall — ${title}`,
    ),
    svg(
      deps,
      {
        ...common,
        x: { domain: [0, 1], label: 'Mean predicted probability' },
        y: { domain: [0, 1], label: 'Observed proportion' },
        marks: [
          Plot.line(
            [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
            { x: 'x', y: 'y', stroke: '#bbb', strokeDasharray: '4,3' },
          ),
          Plot.line(rel, { x: 'predicted', y: 'observed', stroke: 'condition' }),
          Plot.dot(rel, {
            x: 'predicted',
            y: 'observed',
            stroke: 'condition',
            r: (d: { n: number }) => Math.sqrt(d.n),
          }),
        ],
      },
      `Reliability (calibration) — ${title}`,
    ),
    svg(
      deps,
      {
        width: 420,
        height: 340,
        marginLeft: 110,
        x: { label: 'Cards per 100 chart opens', grid: true },
        y: { label: null },
        marks: [
          Plot.barX(
            mode.cardBurden.filter((r) => r.kind !== 'topic'),
            { y: 'key', x: (r: { per100: Estimate }) => r.per100.value ?? 0, fill: 'key', sort: { y: '-x' } },
          ),
          Plot.ruleY(
            mode.cardBurden.filter((r) => r.kind !== 'topic'),
            {
              y: 'key',
              x1: (r: { per100: Estimate }) => r.per100.low ?? 0,
              x2: (r: { per100: Estimate }) => r.per100.high ?? 0,
              stroke: 'black',
            },
          ),
          Plot.ruleX([0]),
        ],
      },
      `Card burden by indicator — ${title}`,
    ),
  ].join('')}</div>`;
}

function leadTimePlot(deps: PlotDeps, mode: ModeReport): string {
  const rows = (mode.leadTimes ?? []).filter((r) => r.conditionId !== OVERALL);
  const points = rows.flatMap((r) => r.days.map((days) => ({ condition: r.conditionId, days })));
  const { Plot } = deps;
  if (points.length === 0)
    return svg(
      deps,
      {
        width: 860,
        height: 120,
        x: { domain: [0, deps.horizonDays], label: 'Days the card would have preceded the first recording' },
        marks: [
          Plot.frame({ stroke: '#ccc' }),
          Plot.text(['No condition was suggested before its first recording'], {
            frameAnchor: 'middle',
            fontSize: 13,
          }),
        ],
      },
      'Lead time (no detections)',
    );
  return svg(
    deps,
    {
      width: 860,
      height: 60 + 28 * rows.length,
      marginLeft: 120,
      x: { label: 'Days the card would have preceded the first recording', grid: true },
      y: { label: null },
      marks: [
        Plot.dot(points, { x: 'days', y: 'condition', stroke: 'condition', opacity: 0.7 }),
        Plot.tickX(
          rows.filter((r) => r.median !== null),
          { x: 'median', y: 'conditionId', stroke: 'black', strokeWidth: 2 },
        ),
      ],
    },
    'Lead time (dots: detections; tick: median)',
  );
}

function fairnessPlot(deps: PlotDeps, rows: FairnessRow[], title: string): string {
  const { Plot } = deps;
  const data = rows
    .filter(
      (r) => r.conditionId === OVERALL && (FAIRNESS_PLOT_METRICS as readonly string[]).includes(r.metric),
    )
    .filter((r) => r.ratio.value !== null)
    .map((r) => ({
      metric: r.metric,
      label: `${r.attribute}: ${r.group}${r.small ? ' (small)' : ''}`,
      ratio: Math.min(3, r.ratio.value!),
      low: Math.min(3, r.ratio.low ?? r.ratio.value!),
      high: Math.min(3, r.ratio.high ?? r.ratio.value!),
      flag: r.outsideBand ? 'outside 0.8–1.25' : 'within band',
    }));
  if (data.length === 0) return '';
  const labels = [...new Set(data.map((d) => d.label))];
  return svg(
    deps,
    {
      width: 900,
      height: 60 + 18 * labels.length,
      marginLeft: 240,
      x: { domain: [0, 3], label: 'Ratio to the reference group (capped at 3)', grid: true },
      y: { domain: labels, label: null },
      fx: { label: null },
      color: { domain: ['within band', 'outside 0.8–1.25'], range: ['steelblue', 'firebrick'], legend: true },
      marks: [
        Plot.rectX([FAIRNESS_BAND], { x1: 'low', x2: 'high', fill: '#eee' }),
        Plot.ruleX([1], { stroke: '#888' }),
        Plot.ruleY(data, { fx: 'metric', y: 'label', x1: 'low', x2: 'high', stroke: 'flag' }),
        Plot.dot(data, { fx: 'metric', y: 'label', x: 'ratio', fill: 'flag' }),
      ],
    },
    `Fairness ratios, all conditions pooled — ${title}`,
  );
}

function metricsTable(mode: ModeReport): string {
  const head = ['condition', 'patients', 'cases', 'positives', 'flagged', 'prevalence', ...MAIN_METRICS];
  const rows = mode.metrics.map(
    (m) =>
      `<tr><th>${esc(m.conditionId)}</th><td>${m.patients}</td><td>${m.cases}</td><td>${m.positives}</td><td>${m.flagged}</td><td>${est(m.metrics.prevalence)}</td>${MAIN_METRICS.map((k) => `<td>${est(m.metrics[k])}</td>`).join('')}</tr>`,
  );
  return table(head, rows);
}

function table(head: string[], rows: string[]): string {
  return `<div class="table"><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function modeSection(
  deps: PlotDeps,
  key: 'crossSectional' | 'asOf',
  mode: ModeReport,
  fairness: FairnessRow[],
): string {
  const title = MODE_TITLE[key];
  const overall = mode.curves.find((c) => c.conditionId === OVERALL);
  const parts = [
    `<section id="${key}"><h2>${title}</h2>`,
    `<p>${mode.patients} patients, ${mode.chartOpens} chart opens. Each value has its 95% bootstrap interval (patients resampled).</p>`,
    metricsTable(mode),
    curvePlots(deps, mode, title),
  ];
  if (overall)
    parts.push(
      '<h3>Threshold table (all conditions pooled; flag = probability ≥ cut)</h3>',
      table(
        ['cut', 'flagged', 'sensitivity', 'specificity', 'PPV', 'flag rate'],
        overall.thresholds.map(
          (t) =>
            `<tr><td>${t.threshold}</td><td>${t.flagged}</td><td>${num(t.sensitivity)}</td><td>${num(t.specificity)}</td><td>${num(t.ppv)}</td><td>${num(t.flagRate)}</td></tr>`,
        ),
      ),
    );
  if (mode.leadTimes) {
    parts.push(
      '<h3>Lead time</h3>',
      leadTimePlot(deps, mode),
      table(
        [
          'condition',
          'suggested before recording',
          'recorded without earlier suggestion',
          'median days',
          'IQR',
        ],
        mode.leadTimes.map(
          (r) =>
            `<tr><th>${esc(r.conditionId)}</th><td>${r.detected}</td><td>${r.missed}</td><td>${num(r.median, 0)}</td><td>${num(r.q1, 0)}–${num(r.q3, 0)}</td></tr>`,
        ),
      ),
    );
  }
  parts.push(
    '<h3>Rules</h3>',
    table(
      [
        'rule',
        'fired',
        'per 100 chart opens',
        ...(key === 'asOf' ? ['action taken within horizon', 'known'] : []),
      ],
      mode.rules.map(
        (r) =>
          `<tr><th>${esc(r.ruleId)}</th><td>${r.fired}</td><td>${est(r.per100, 1)}</td>${r.actionTaken ? `<td>${est(r.actionTaken)}</td><td>${r.actionTaken.known}</td>` : ''}</tr>`,
      ),
    ),
    '<h3>Cards per 100 chart opens</h3>',
    table(
      ['indicator or topic', 'kind', 'cards', 'per 100 chart opens'],
      mode.cardBurden.map(
        (r) =>
          `<tr><th>${esc(r.key)}</th><td>${r.kind}</td><td>${r.cards}</td><td>${est(r.per100, 1)}</td></tr>`,
      ),
    ),
    '<h3>Fairness audit</h3>',
    `<p>Every metric by sex, race, ethnicity (US Core extensions) and age band, as a ratio to the largest group; ratios outside ${FAIRNESS_BAND.low}–${FAIRNESS_BAND.high} are marked ⚑. Groups under 30 patients or 10 positive cases are marked small: their intervals are wide, read them as such.</p>`,
    fairnessPlot(deps, fairness, title),
    fairnessTable(fairness),
    '</section>',
  );
  return parts.join('\n');
}

function fairnessTable(rows: FairnessRow[]): string {
  return table(
    ['condition', 'attribute', 'group', 'reference', 'patients', 'positives', 'metric', 'value', 'ratio', ''],
    rows.map(
      (r) =>
        `<tr${r.outsideBand ? ' class="flag"' : ''}><td>${esc(r.conditionId)}</td><td>${r.attribute}</td><td>${esc(r.group)}${r.small ? ' <em>(small)</em>' : ''}</td><td>${esc(r.reference)}</td><td>${r.patients}</td><td>${r.positives}</td><td>${r.metric}</td><td>${est(r.value)}</td><td>${est(r.ratio, 2)}</td><td>${r.outsideBand ? '⚑' : ''}</td></tr>`,
    ),
  );
}

function storeSection(report: ValidationReport): string {
  if (!report.store) return '';
  return `<section id="store"><h2>From the store: silent mode, acceptance and overrides</h2><p>${esc(report.store.from)} to ${esc(report.store.to)}.</p>${table(
    ['topic', 'shown', 'silent', 'accepted', 'overridden', 'acceptance', 'override rate', 'override reasons'],
    report.store.rows.map(
      (r) =>
        `<tr><th>${esc(r.topic)}</th><td>${r.shown}</td><td>${r.silent}</td><td>${r.accepted}</td><td>${r.overridden}</td><td>${num(r.acceptanceRate)}</td><td>${num(r.overrideRate)}</td><td>${esc(
          Object.entries(r.overrideReasons)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        )}</td></tr>`,
    ),
  )}</section>`;
}

/** AUROC, Brier and ECE per condition without and with the calibration, with the change. */
function calibrationSection(report: ValidationReport): string {
  const c = report.calibrationComparison;
  if (!c) return '';
  const delta = (b: Estimate, a: Estimate) =>
    a.value === null || b.value === null
      ? '–'
      : `${a.value - b.value >= 0 ? '+' : ''}${num(a.value - b.value, 3)}`;
  const modeTable = (key: 'crossSectional' | 'asOf') => {
    const rows = c[key];
    if (!rows) return '';
    return `<h3>${MODE_TITLE[key]}</h3>${table(
      ['condition', ...CALIBRATION_METRICS.flatMap((m) => [`${m} before`, `${m} after`, 'change'])],
      rows.map(
        (r) =>
          `<tr><th>${esc(r.conditionId)}</th>${CALIBRATION_METRICS.map(
            (m) =>
              `<td>${est(r.before[m])}</td><td>${est(r.after[m])}</td><td>${delta(r.before[m], r.after[m])}</td>`,
          ).join('')}</tr>`,
      ),
    )}`;
  };
  return `<section id="calibration"><h2>Before and after calibration</h2><p>The same patients replayed with the published priors and likelihood ratios (before) and with ${esc(c.calibration)} (after). Higher AUROC, lower Brier score and lower expected calibration error are better; intervals are bootstrap 95%.</p>${modeTable('crossSectional')}${modeTable('asOf')}</section>`;
}

/** The report as one self-contained HTML page. */
export async function renderReportHtml(report: ValidationReport): Promise<string> {
  const Plot = await import('@observablehq/plot');
  const { parseHTML } = await import('linkedom');
  const dom = parseHTML('<!doctype html><html><head></head><body></body></html>') as unknown as {
    document: PlotDocument;
  };
  const deps: PlotDeps = { Plot, document: dom.document, horizonDays: report.options.horizonDays };
  const o = report.options;
  const sections = [
    report.crossSectional
      ? modeSection(
          deps,
          'crossSectional',
          report.crossSectional,
          report.fairness.filter((f) => f.mode === 'crossSectional'),
        )
      : '',
    report.asOf
      ? modeSection(
          deps,
          'asOf',
          report.asOf,
          report.fairness.filter((f) => f.mode === 'asOf'),
        )
      : '',
    calibrationSection(report),
    storeSection(report),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<title>Rationale validation report</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;max-width:1400px}
h1{font-size:1.5rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}h3{margin-top:1.5rem}
table{border-collapse:collapse;font-size:12px;margin:.5rem 0}th,td{border:1px solid #ddd;padding:2px 6px;text-align:right}
thead th{background:#f4f4f4}tbody th{text-align:left}td:first-child{text-align:left}
.ci{color:#777}.table{overflow-x:auto}.plots{display:flex;flex-wrap:wrap;gap:1rem}
figure.plot{margin:0}figcaption{font-weight:600;font-size:13px;margin-bottom:4px}tr.flag td{background:#fdecea}
.note{color:#555}
</style></head><body>
<h1>Rationale validation report</h1>
<p>Generated ${esc(report.generatedAt)}${report.model ? ` by ${esc(report.model.name)} ${esc(report.model.version)} (knowledge base ${esc(report.model.knowledgeBaseHash.slice(0, 12))})` : ''}.
Source: ${report.source.kind === 'bulk-export' ? 'FHIR Bulk Data export' : 'folder of bundles'}, ${report.source.patients} patients${report.source.unreadable ? `, ${report.source.unreadable} unreadable` : ''}${report.source.rejected ? `, ${report.source.rejected} refused by the shape check` : ''}.
Replay: ${esc(o.mode)}; as-of index dates one per ${o.everyDays || 'every'} day(s) over the last ${o.lookbackYears} years, horizon ${o.horizonDays} days; card budget ${o.cardBudget}; ${o.bootstrap.replicates} bootstrap replicates, seed ${o.bootstrap.seed}.
${report.timings ? `Run: ${report.timings.seconds.toFixed(1)} s, ${report.timings.patientsPerSecond.toFixed(1)} patients/s on ${report.timings.threads} lane(s).` : ''}</p>
<p class="note">Labels are what the record says: a condition counts as present when it is recorded, so an undiagnosed condition the model finds counts against its PPV. The same code that answers live hooks produced every assessment here.</p>
${sections.join('\n')}
</body></html>
`;
}

function csv(head: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cell = (v: string | number | null | undefined) =>
    v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : csvText(v);
  return [head.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

const estCols = (name: string) => [name, `${name}_low`, `${name}_high`];
const estVals = (e: Estimate | undefined) => [e?.value ?? null, e?.low ?? null, e?.high ?? null];

/** Every table of the report as CSV, by file name. */
export function reportCsvFiles(report: ValidationReport): Record<string, string> {
  const files: Record<string, string> = {};
  for (const key of ['crossSectional', 'asOf'] as const) {
    const rows = report.calibrationComparison?.[key];
    if (!rows) continue;
    files[`calibration-${key === 'crossSectional' ? 'cross-sectional' : 'as-of'}.csv`] = csv(
      [
        'condition',
        ...CALIBRATION_METRICS.flatMap((m) => [...estCols(`${m}_before`), ...estCols(`${m}_after`)]),
      ],
      rows.map((r) => [
        r.conditionId,
        ...CALIBRATION_METRICS.flatMap((m) => [...estVals(r.before[m]), ...estVals(r.after[m])]),
      ]),
    );
  }
  const metricNames = ['prevalence', ...MAIN_METRICS] as const;
  for (const key of ['crossSectional', 'asOf'] as const) {
    const mode = report[key];
    if (!mode) continue;
    const slug = key === 'crossSectional' ? 'cross-sectional' : 'as-of';
    files[`metrics-${slug}.csv`] = csv(
      ['condition', 'patients', 'cases', 'positives', 'flagged', ...metricNames.flatMap(estCols)],
      mode.metrics.map((m) => [
        m.conditionId,
        m.patients,
        m.cases,
        m.positives,
        m.flagged,
        ...metricNames.flatMap((k) => estVals(m.metrics[k])),
      ]),
    );
    files[`thresholds-${slug}.csv`] = csv(
      ['condition', 'threshold', 'flagged', 'sensitivity', 'specificity', 'ppv', 'flag_rate'],
      mode.curves.flatMap((c) =>
        c.thresholds.map((t) => [
          c.conditionId,
          t.threshold,
          t.flagged,
          t.sensitivity,
          t.specificity,
          t.ppv,
          t.flagRate,
        ]),
      ),
    );
    files[`calibration-${slug}.csv`] = csv(
      ['condition', 'bin_low', 'bin_high', 'n', 'mean_predicted', 'observed'],
      mode.curves.flatMap((c) =>
        c.reliability.map((b) => [c.conditionId, b.low, b.high, b.n, b.predicted, b.observed]),
      ),
    );
    files[`roc-${slug}.csv`] = csv(
      ['condition', 'fpr', 'tpr'],
      mode.curves.flatMap((c) => c.roc.map((p) => [c.conditionId, p.fpr, p.tpr])),
    );
    files[`pr-${slug}.csv`] = csv(
      ['condition', 'recall', 'precision'],
      mode.curves.flatMap((c) => c.pr.map((p) => [c.conditionId, p.recall, p.precision])),
    );
    files[`rules-${slug}.csv`] = csv(
      ['rule', 'fired', ...estCols('per_100_chart_opens'), ...estCols('action_taken'), 'action_known'],
      mode.rules.map((r) => [
        r.ruleId,
        r.fired,
        ...estVals(r.per100),
        ...estVals(r.actionTaken),
        r.actionTaken?.known ?? null,
      ]),
    );
    files[`card-burden-${slug}.csv`] = csv(
      ['key', 'kind', 'cards', ...estCols('per_100_chart_opens')],
      mode.cardBurden.map((r) => [r.key, r.kind, r.cards, ...estVals(r.per100)]),
    );
    if (mode.leadTimes)
      files['lead-times.csv'] = csv(
        ['condition', 'detected', 'missed', 'median_days', 'q1_days', 'q3_days'],
        mode.leadTimes.map((r) => [r.conditionId, r.detected, r.missed, r.median, r.q1, r.q3]),
      );
  }
  files['fairness.csv'] = csv(
    [
      'mode',
      'condition',
      'attribute',
      'group',
      'reference',
      'patients',
      'cases',
      'positives',
      'small',
      'metric',
      ...estCols('value'),
      ...estCols('ratio'),
      'outside_band',
    ],
    report.fairness.map((r) => [
      r.mode,
      r.conditionId,
      r.attribute,
      r.group,
      r.reference,
      r.patients,
      r.cases,
      r.positives,
      r.small ? 'true' : 'false',
      r.metric,
      ...estVals(r.value),
      ...estVals(r.ratio),
      r.outsideBand ? 'true' : 'false',
    ]),
  );
  if (report.store)
    files['store.csv'] = csv(
      [
        'topic',
        'shown',
        'silent',
        'accepted',
        'overridden',
        'acceptance_rate',
        'override_rate',
        'override_reasons',
      ],
      report.store.rows.map((r) => [
        r.topic,
        r.shown,
        r.silent,
        r.accepted,
        r.overridden,
        r.acceptanceRate,
        r.overrideRate,
        Object.entries(r.overrideReasons)
          .map(([k, v]) => `${k}:${v}`)
          .join(' '),
      ]),
    );
  return files;
}

/** Writes report.html, report.json and the CSV files into `dir` (created). Returns the paths. */
export async function writeReport(report: ValidationReport, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    written.push(join(dir, name));
  };
  put('report.html', await renderReportHtml(report));
  put('report.json', `${JSON.stringify(report, null, 1)}\n`);
  for (const [name, text] of Object.entries(reportCsvFiles(report))) put(name, text);
  return written;
}
