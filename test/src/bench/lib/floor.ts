/**
 * The service against its floor, in the same run: the floor server (`floor-server.ts`: body read,
 * JSON.parse, JWT verify with jose, empty card list) and the CDS service get the same bodies at the
 * same concurrency, in alternating blocks (floor, service, service, floor, …) so that a change in
 * the machine's load during the run falls on both. Each figure is reported with its ratio to the
 * floor's; ratios are what this machine's shared cores measure most reliably.
 */
import { pooled, runCannon, type CannonResult } from './cannon';
import type { ProofStack } from './stack';
import { round } from './stats';
import { TokenPool } from './tokens';
import { BodyTemplate, type SizedChart } from './workload';

export interface FloorRow {
  chart: string;
  bytes: number;
  resources: number;
  connections: number;
  floor: CannonResult;
  service: CannonResult;
}

export interface FloorTarget {
  target: string;
  measured: string;
  pass: boolean;
}

const PATIENT_VIEW = '/cds-services/rationale-patient-view';

async function run(
  stack: ProofStack,
  baseUrl: string,
  bodies: BodyTemplate[],
  connections: number,
  amount: number,
): Promise<CannonResult> {
  const pool = await TokenPool.create(stack.client, `${baseUrl}${PATIENT_VIEW}`, amount + 64);
  return runCannon({ baseUrl, connections, amount, targets: [{ path: PATIENT_VIEW, bodies, pool }] });
}

/**
 * Measures `chart` at `connections` on the floor and on the service: a warm-up of each (not
 * counted), then `blocks` blocks of `perBlock` calls to each, in ABBA order.
 */
export async function compareWithFloor(
  stack: ProofStack,
  chart: { label: string; sized: SizedChart },
  connections: number,
  perBlock: number,
  blocks: number,
): Promise<FloorRow> {
  const floorUrl = stack.floor?.url;
  if (!floorUrl) throw new Error('the stack was started without its floor server');
  const bodies = [new BodyTemplate(chart.sized.request)];
  const warm = Math.min(1000, perBlock * blocks);
  await run(stack, floorUrl, bodies, connections, warm);
  await run(stack, stack.service.url, bodies, connections, warm);
  const floor: CannonResult[] = [];
  const service: CannonResult[] = [];
  for (let b = 0; b < blocks; b++) {
    const order = b % 2 === 0 ? ['floor', 'service'] : ['service', 'floor'];
    for (const who of order) {
      if (who === 'floor') floor.push(await run(stack, floorUrl, bodies, connections, perBlock));
      else service.push(await run(stack, stack.service.url, bodies, connections, perBlock));
    }
  }
  return {
    chart: chart.label,
    bytes: chart.sized.bytes,
    resources: chart.sized.resources,
    connections,
    floor: pooled(floor),
    service: pooled(service),
  };
}

/** service ÷ floor, rounded. */
export function ratio(service: number, floor: number): number {
  return round(service / floor, 2);
}

function fmt(n: number): string {
  return Number.isFinite(n) ? String(round(n, 1)) : '—';
}

function statusText(s: Record<string, number>): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
}

/** The issue-21 targets, judged on the rows (median chart c=1 and c=16, 90th-percentile chart c=16). */
export function floorTargets(rows: readonly FloorRow[]): FloorTarget[] {
  const find = (chart: string, c: number) => rows.find((r) => r.chart === chart && r.connections === c);
  const out: FloorTarget[] = [];
  const m1 = find('median', 1);
  const m16 = find('median', 16);
  const p16 = find('p90', 16);
  if (m1) {
    const r = ratio(m1.service.latency.p50, m1.floor.latency.p50);
    out.push({ target: 'median chart, c=1: p50 ≤ 2× the floor’s', measured: `${r}×`, pass: r <= 2 });
  }
  if (m16) {
    const t = ratio(m16.service.rps, m16.floor.rps);
    out.push({
      target: 'median chart, c=16: throughput ≥ 60 % of the floor’s',
      measured: `${Math.round(t * 100)} %`,
      pass: t >= 0.6,
    });
    const p = ratio(m16.service.latency.p99, m16.floor.latency.p99);
    out.push({ target: 'median chart, c=16: p99 ≤ 2× the floor’s', measured: `${p}×`, pass: p <= 2 });
  }
  if (p16) {
    const t = ratio(p16.service.rps, p16.floor.rps);
    out.push({
      target: '90th-percentile chart, c=16: throughput ≥ 50 % of the floor’s',
      measured: `${Math.round(t * 100)} %`,
      pass: t >= 0.5,
    });
  }
  return out;
}

/** The comparison as Markdown: both services' figures, the ratios, and the targets. */
export function floorMarkdown(rows: readonly FloorRow[]): string {
  const chartName = (r: FloorRow) =>
    `${r.chart === 'median' ? 'median' : '90th percentile'} (${round(r.bytes / 1024, 1)} KB, ${r.resources} resources)`;
  const lines = [
    '| chart | c | | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | statuses |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    for (const [who, x] of [
      ['floor', r.floor],
      ['service', r.service],
    ] as const) {
      lines.push(
        `| ${chartName(r)} | ${r.connections} | ${who} | ${x.requests} | ${fmt(x.rps)} | ${fmt(x.latency.p50)} | ${fmt(x.latency.p90)} | ${fmt(x.latency.p99)} | ${fmt(x.latency.max)} | ${statusText(x.statuses)} |`,
      );
    }
    lines.push(
      `| | | **service ÷ floor** | | **${ratio(r.service.rps, r.floor.rps)}** | **${ratio(r.service.latency.p50, r.floor.latency.p50)}** | ${ratio(r.service.latency.p90, r.floor.latency.p90)} | **${ratio(r.service.latency.p99, r.floor.latency.p99)}** | ${ratio(r.service.latency.max, r.floor.latency.max)} | |`,
    );
  }
  const targets = floorTargets(rows);
  return [
    lines.join('\n'),
    '',
    '| target (ratio to the floor, same run) | measured | |',
    '|---|---:|---|',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.pass ? 'pass' : '**fail**'} |`),
  ].join('\n');
}
