/**
 * The monitoring page's pictures (issue 20 §2): latency percentiles and error rates per hook over
 * time, drawn on the server with @observablehq/plot into a linkedom document, as the validation
 * report draws its plots, and inlined as SVG: no script, no CDN. Plot's own <style> elements are
 * left out (the page's Content-Security-Policy admits only its nonce'd style block, which carries
 * the equivalent rules); the colours are fixed here so the page's legend can name them.
 */
import type * as PlotNamespace from '@observablehq/plot';
import type { HookPerformanceRow } from '../store/store';

type PlotModule = typeof PlotNamespace;

/** The series colours, named in the page's legend (monitoring/page.ts). */
export const LATENCY_SERIES = [
  { key: 'p50', label: 'Median (p50)', color: '#1d4ed8' },
  { key: 'p90', label: '90th percentile', color: '#b45309' },
  { key: 'p99', label: '99th percentile', color: '#b91c1c' },
] as const;
export const ERROR_SERIES = [
  { key: '4xx', label: 'Refused (4xx: token, request, missing data)', color: '#b45309' },
  { key: '5xx', label: 'Failed (5xx)', color: '#b91c1c' },
] as const;

export interface HookPlots {
  /** SVG: p50/p90/p99 latency (ms) per period, one panel per hook service. */
  latency: string;
  /** SVG: share of calls answered 4xx and 5xx per period, one panel per hook service. */
  errors: string;
}

/** Draws both plots; undefined when there is no call to draw. */
export async function drawHookPlots(rows: readonly HookPerformanceRow[]): Promise<HookPlots | undefined> {
  if (rows.length === 0) return undefined;
  const Plot = await import('@observablehq/plot');
  const { parseHTML } = await import('linkedom');
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>') as unknown as {
    document: object;
  };
  const services = [...new Set(rows.map((r) => r.service))].sort();
  const height = 50 + 130 * services.length;
  // Periods are buckets, not instants: a point scale labels each by its first day (at most 8 labels).
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const step = Math.ceil(periods.length / 8);
  const day = (r: HookPerformanceRow) => r.period;
  const latency = rows.flatMap((r) => [
    { period: day(r), service: r.service, series: 'p50', ms: r.p50Ms, calls: r.calls },
    { period: day(r), service: r.service, series: 'p90', ms: r.p90Ms, calls: r.calls },
    { period: day(r), service: r.service, series: 'p99', ms: r.p99Ms, calls: r.calls },
  ]);
  const errors = rows.flatMap((r) => [
    {
      period: day(r),
      service: r.service,
      series: '4xx',
      rate: (100 * r.clientErrors) / r.calls,
      calls: r.calls,
    },
    {
      period: day(r),
      service: r.service,
      series: '5xx',
      rate: (100 * r.serverErrors) / r.calls,
      calls: r.calls,
    },
  ]);
  const common = {
    document,
    className: 'hook-plot',
    width: 760,
    height,
    marginLeft: 56,
    marginRight: 150,
    grid: true,
    fy: { domain: services, label: null },
    x: {
      type: 'point',
      domain: periods,
      ticks: periods.filter((_, i) => i % step === 0),
      label: 'Period starting',
      inset: 20,
    },
  } as const;
  const draw = (options: Parameters<PlotModule['plot']>[0]) =>
    withoutStyleElements((Plot.plot(options) as unknown as { outerHTML: string }).outerHTML);
  return {
    latency: draw({
      ...common,
      ariaLabel: 'Hook latency percentiles over time',
      ariaDescription:
        'Median, 90th and 99th percentile response time in milliseconds per period, one panel per hook.',
      y: { label: 'Response time (ms)', zero: true },
      color: { domain: LATENCY_SERIES.map((s) => s.key), range: LATENCY_SERIES.map((s) => s.color) },
      marks: [
        // The line joins the points; it is decorative (axe allows no ARIA name on an SVG group).
        Plot.line(latency, {
          x: 'period',
          y: 'ms',
          fy: 'service',
          z: 'series',
          stroke: 'series',
          ariaHidden: 'true',
        }),
        Plot.dot(latency, {
          x: 'period',
          y: 'ms',
          fy: 'service',
          fill: 'series',
          r: 2.5,
          title: (d: (typeof latency)[number]) =>
            `${d.service} ${d.period}: ${d.series} ${d.ms.toFixed(0)} ms (${d.calls} calls)`,
        }),
      ],
    }),
    errors: draw({
      ...common,
      ariaLabel: 'Hook error rates over time',
      ariaDescription: 'Share of calls answered 4xx and 5xx per period, in percent, one panel per hook.',
      y: { label: 'Calls answered with an error (%)', zero: true, domain: [0, 100] },
      color: { domain: ERROR_SERIES.map((s) => s.key), range: ERROR_SERIES.map((s) => s.color) },
      marks: [
        Plot.line(errors, {
          x: 'period',
          y: 'rate',
          fy: 'service',
          z: 'series',
          stroke: 'series',
          ariaHidden: 'true',
        }),
        Plot.dot(errors, {
          x: 'period',
          y: 'rate',
          fy: 'service',
          fill: 'series',
          r: 2.5,
          title: (d: (typeof errors)[number]) =>
            `${d.service} ${d.period}: ${d.series} ${d.rate.toFixed(1)}% of ${d.calls} calls`,
        }),
      ],
    }),
  };
}

/** Plot's <style> elements out: the page's nonce'd style block carries their rules. */
function withoutStyleElements(svg: string): string {
  return svg.replace(/<style>[\s\S]*?<\/style>/g, '');
}
