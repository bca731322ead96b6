/**
 * Small pictures of the record (issue 20 §1), drawn with Observable Plot: a lab or vital trend with
 * the result's reference range and the rule's threshold marked, and a timeline of the findings that
 * moved a diagnosis. Every point is a link to its FHIR resource: the link opens the same source
 * dialog as a finding's button, so a point in a picture is as checkable as a line of text. Plot
 * and d3 are most of the app's size, so this module is loaded lazily (see lazy-plots.tsx).
 */
import type { Finding } from '@rationale/shared-types';
// The formatter alone: the package index would bring zod's schemas into the bundle.
import { formatValue } from '@rationale/shared-types/src/format';
import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import type { OpenFinding } from './FindingButton';
import { directionOf, formatDate } from './format';
import type { TimelineEntry, TrendSeries } from './trends';

const BLUE = '#1d4ed8';
const RED = '#b91c1c';
const ORANGE = '#b45309';
const GREEN = '#15803d';
const OP_TEXT = { '>=': '≥', '>': '>', '<': '<', '<=': '≤' } as const;

/** The href a point carries: its finding id, so a click is resolved without parsing a reference. */
const pointHref = (finding: Finding) => `#finding-${encodeURIComponent(finding.id)}`;

function pointName(finding: Finding): string {
  return `${finding.label}, ${formatDate(finding.date)}: open the source record`;
}

/**
 * Renders a Plot figure into a div and turns clicks (and Enter) on its point links into
 * `onOpenFinding`, so the page's source dialog opens instead of a navigation.
 */
function PlotFigure({
  caption,
  build,
  findings,
  onOpenFinding,
  className,
}: {
  caption: string;
  build: () => SVGSVGElement | HTMLElement;
  findings: readonly Finding[];
  onOpenFinding: OpenFinding;
  className: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const latestBuild = useRef(build);
  latestBuild.current = build;
  // Redrawn only when what is drawn changes (an assessment refetched while the LLM is pending
  // arrives as a new object with the same findings).
  const signature = findings.map((f) => `${f.id}:${f.value ?? ''}:${f.date ?? ''}`).join('|') + caption;
  useEffect(() => {
    const element = holder.current;
    if (!element) return undefined;
    const figure = latestBuild.current();
    // Each point link is named by its finding (Plot puts the name on the circle inside it).
    for (const link of figure.querySelectorAll('a')) {
      const named = link.querySelector('[aria-label]');
      const name = named?.getAttribute('aria-label');
      if (name) {
        link.setAttribute('aria-label', name);
        named?.removeAttribute('aria-label');
      }
    }
    element.replaceChildren(figure);
    return () => figure.remove();
  }, [signature]);
  const byHref = new Map(findings.map((f) => [pointHref(f), f]));
  const open = (event: React.MouseEvent<HTMLDivElement>) => {
    const link = (event.target as Element).closest('a');
    const href = link?.getAttribute('href') ?? '';
    const finding = byHref.get(href);
    if (!link || !finding) return;
    event.preventDefault();
    onOpenFinding(finding, link as Element as HTMLElement);
  };
  return (
    <figure className={`plot ${className}`}>
      {/* Clicks (and Enter) on the point links inside arrive here; the links themselves take focus. */}
      <div ref={holder} onClick={open} />
      <figcaption className="muted">{caption}</figcaption>
    </figure>
  );
}

/** A lab or vital trend: line and points, the reference range shaded, the rule's threshold dashed. */
export function TrendPlot({ series, onOpenFinding }: { series: TrendSeries; onOpenFinding: OpenFinding }) {
  const { points, threshold, referenceRange, unit, label } = series;
  const build = () => {
    const dates = points.map((p) => new Date(p.date ?? ''));
    const first = dates[0] ?? new Date();
    const last = dates.at(-1) ?? first;
    // A single result still gets a readable width of axis around it.
    const pad = Math.max((last.getTime() - first.getTime()) * 0.08, 15 * 86_400_000);
    const x1 = new Date(first.getTime() - pad);
    const x2 = new Date(last.getTime() + pad);
    const values = points.map((p) => p.value ?? 0);
    const extra = [threshold?.value, referenceRange?.low, referenceRange?.high].filter(
      (v): v is number => v !== undefined,
    );
    const lo = Math.min(...values, ...extra);
    const hi = Math.max(...values, ...extra);
    const margin = (hi - lo || Math.abs(hi) || 1) * 0.15;
    const y1 = lo - margin;
    const y2 = hi + margin;
    return Plot.plot({
      width: 340,
      height: 150,
      marginLeft: 44,
      marginRight: 12,
      style: { fontSize: '11px', background: 'transparent', overflow: 'visible' },
      ariaLabel: `${label} over time`,
      x: { type: 'utc', domain: [x1, x2], ticks: 3, label: null },
      y: { domain: [y1, y2], label: unit ?? null, grid: true, ticks: 4 },
      marks: [
        referenceRange
          ? Plot.rectY([referenceRange], {
              x1,
              x2,
              y1: referenceRange.low ?? y1,
              y2: referenceRange.high ?? y2,
              fill: GREEN,
              fillOpacity: 0.12,
              className: 'reference-range',
              ariaHidden: 'true',
            })
          : null,
        threshold
          ? Plot.ruleY([threshold.value], {
              stroke: RED,
              strokeDasharray: '5,3',
              strokeWidth: 1.5,
              className: 'threshold',
              ariaHidden: 'true',
            })
          : null,
        threshold
          ? Plot.text([threshold.value], {
              x: x2,
              y: (v: number) => v,
              text: () => `${OP_TEXT[threshold.op]} ${formatValue(threshold.value)}`,
              textAnchor: 'end',
              dy: -6,
              fill: RED,
              ariaHidden: 'true',
            })
          : null,
        Plot.line(points, {
          x: (p: Finding) => new Date(p.date ?? ''),
          y: 'value',
          stroke: BLUE,
          ariaHidden: 'true',
        }),
        Plot.dot(points, {
          x: (p: Finding) => new Date(p.date ?? ''),
          y: 'value',
          r: 4.5,
          fill: BLUE,
          stroke: 'white',
          href: pointHref,
          ariaLabel: pointName,
          title: (p: Finding) => `${p.label}, ${formatDate(p.date)}`,
        }),
      ],
    });
  };
  const parts = [
    `${label}: ${points.length} result${points.length === 1 ? '' : 's'}`,
    threshold
      ? `dashed line: the rule's threshold ${OP_TEXT[threshold.op]} ${formatValue(threshold.value)}${unit ? ` ${unit}` : ''}`
      : '',
    referenceRange ? 'shaded band: the laboratory reference range' : 'no reference range reported',
    'each point opens its record',
  ].filter(Boolean);
  return (
    <PlotFigure
      caption={parts.join('; ')}
      build={build}
      findings={points}
      onOpenFinding={onOpenFinding}
      className="trend-plot"
    />
  );
}

/** When the findings that moved a diagnosis were recorded: one row per finding, raises and lowers coloured. */
export function FindingTimeline({
  entries,
  onOpenFinding,
  label,
}: {
  entries: readonly TimelineEntry[];
  onOpenFinding: OpenFinding;
  label: string;
}) {
  const build = () => {
    const rows = [...new Set(entries.map((e) => e.contribution.label))];
    const dates = entries.map((e) => Date.parse(e.finding.date ?? ''));
    const first = Math.min(...dates);
    const last = Math.max(...dates);
    const pad = Math.max((last - first) * 0.05, 15 * 86_400_000);
    return Plot.plot({
      width: 640,
      height: 28 * rows.length + 40,
      marginLeft: 230,
      marginRight: 16,
      style: { fontSize: '11px', background: 'transparent', overflow: 'visible' },
      ariaLabel: `Timeline of the findings that moved ${label}`,
      x: { type: 'utc', domain: [new Date(first - pad), new Date(last + pad)], ticks: 5, label: null },
      y: { domain: rows, label: null },
      marks: [
        Plot.ruleY(rows, { stroke: '#e5e7eb', ariaHidden: 'true' }),
        Plot.dot(entries, {
          x: (e: TimelineEntry) => new Date(e.finding.date ?? ''),
          y: (e: TimelineEntry) => e.contribution.label,
          r: 5,
          symbol: (e: TimelineEntry) =>
            directionOf(e.contribution.likelihoodRatio) === 'lowers' ? 'triangle2' : 'circle',
          fill: (e: TimelineEntry) =>
            directionOf(e.contribution.likelihoodRatio) === 'lowers' ? ORANGE : BLUE,
          href: (e: TimelineEntry) => pointHref(e.finding),
          ariaLabel: (e: TimelineEntry) =>
            `${directionOf(e.contribution.likelihoodRatio) === 'lowers' ? 'Against' : 'For'}: ${pointName(e.finding)}`,
          title: (e: TimelineEntry) => `${e.finding.label}, ${formatDate(e.finding.date)}`,
        }),
      ],
    });
  };
  return (
    <PlotFigure
      caption="Blue circles argue for the diagnosis, orange triangles against it; each point opens its record."
      build={build}
      findings={entries.map((e) => e.finding)}
      onOpenFinding={onOpenFinding}
      className="timeline-plot"
    />
  );
}
