import { pooled, type CannonResult } from './cannon';
import { floorMarkdown, floorTargets, type FloorRow } from './floor';
import { summarize } from './stats';

function run(samples: number[], durationSeconds: number, status = '200'): CannonResult {
  return {
    connections: 16,
    requests: samples.length,
    durationSeconds,
    rps: samples.length / durationSeconds,
    latency: summarize(samples),
    samples,
    statuses: { [status]: samples.length },
    errors: 0,
    timeouts: 0,
    non2xx: status === '200' ? 0 : samples.length,
  };
}

/** A row whose service is `slower`× the floor's latency and `share` of its throughput. */
function row(chart: string, connections: number, slower: number, share: number): FloorRow {
  const floorSamples = Array.from({ length: 100 }, (_, i) => 1 + i / 100);
  return {
    chart,
    bytes: 110_000,
    resources: 100,
    connections,
    floor: run(floorSamples, 1),
    service: run(
      floorSamples.map((s) => s * slower),
      1 / share,
    ),
  };
}

describe('the bench against its floor', () => {
  it('pools blocks: latencies together, throughput as all calls over the summed durations', () => {
    const p = pooled([run([1, 2, 3], 1), run([4, 5], 4, '503')]);
    expect(p.requests).toBe(5);
    expect(p.durationSeconds).toBe(5);
    expect(p.rps).toBe(1);
    expect(p.latency.max).toBe(5);
    expect(p.latency.p50).toBe(3);
    expect(p.statuses).toEqual({ '200': 3, '503': 2 });
    expect(p.non2xx).toBe(2);
  });

  it('judges the issue-21 targets as ratios to the floor measured in the same run', () => {
    const pass = floorTargets([
      row('median', 1, 1.9, 0.9),
      row('median', 16, 1.9, 0.61),
      row('p90', 16, 3, 0.51),
    ]);
    expect(pass.map((t) => t.pass)).toEqual([true, true, true, true]);

    const fail = floorTargets([
      row('median', 1, 2.2, 0.9),
      row('median', 16, 2.1, 0.59),
      row('p90', 16, 1, 0.49),
    ]);
    expect(fail.map((t) => [t.target, t.measured, t.pass])).toEqual([
      ['median chart, c=1: p50 ≤ 2× the floor’s', '2.2×', false],
      ['median chart, c=16: throughput ≥ 60 % of the floor’s', '59 %', false],
      ['median chart, c=16: p99 ≤ 2× the floor’s', '2.1×', false],
      ['90th-percentile chart, c=16: throughput ≥ 50 % of the floor’s', '49 %', false],
    ]);
  });

  it('prints both services’ figures and the ratio for every row', () => {
    const md = floorMarkdown([row('median', 16, 2, 0.5)]);
    expect(md).toMatch(/\| median \(107\.4 KB, 100 resources\) \| 16 \| floor \| 100 \| 100 \|/);
    expect(md).toMatch(/\| median \(107\.4 KB, 100 resources\) \| 16 \| service \| 100 \| 50 \|/);
    expect(md).toContain('| | | **service ÷ floor** | | **0.5** | **2** |');
    expect(md).toContain('| median chart, c=16: throughput ≥ 60 % of the floor’s | 50 % | **fail** |');
  });
});
