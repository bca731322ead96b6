/**
 * autocannon against the service with a fresh JWT on every request: each target (a CDS service
 * path, a request-body template and a pool of pre-signed tokens for that path's `aud`) is chosen in
 * turn by `setupRequest`, which sets the body (with a new hookInstance) and the Authorization
 * header. Latency is taken from autocannon's per-response timings (sub-millisecond), statuses are
 * counted per code.
 */
import autocannon from 'autocannon';
import { summarize, round, type LatencySummary } from './stats';
import type { TokenPool } from './tokens';
import type { BodyTemplate } from './workload';

export interface CannonTarget {
  path: string;
  bodies: BodyTemplate[];
  pool: TokenPool;
  /** Relative share of requests (default 1). */
  weight?: number;
}

export interface CannonOptions {
  baseUrl: string;
  targets: CannonTarget[];
  connections: number;
  /** Total requests. */
  amount: number;
  /** Requests per second across all connections (fixed-rate runs). */
  overallRate?: number;
  /** Called about once a second while running (memory sampling). */
  onTick?: (elapsedMs: number) => void;
  timeoutSeconds?: number;
}

export interface CannonResult {
  connections: number;
  requests: number;
  durationSeconds: number;
  /** Completed requests per second. */
  rps: number;
  latency: LatencySummary;
  /** Every response time (ms), in arrival order: for pooling runs. Not for reports. */
  samples: number[];
  statuses: Record<string, number>;
  /** Connection errors and timeouts (no HTTP answer). */
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Requests each target will get out of `amount` (for sizing token pools). */
export function shares(targets: readonly { weight?: number }[], amount: number): number[] {
  const total = targets.reduce((a, t) => a + (t.weight ?? 1), 0);
  return targets.map((t) => Math.ceil((amount * (t.weight ?? 1)) / total) + 64);
}

export async function runCannon(o: CannonOptions): Promise<CannonResult> {
  // Weighted round robin: a fixed schedule of target indices.
  const schedule: number[] = [];
  o.targets.forEach((t, i) => {
    for (let k = 0; k < (t.weight ?? 1); k++) schedule.push(i);
  });
  let turn = 0;
  const bodyTurn = o.targets.map(() => 0);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let finish!: (r: autocannon.Result) => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: o.baseUrl,
      connections: o.connections,
      amount: o.amount,
      overallRate: o.overallRate,
      timeout: o.timeoutSeconds ?? 10,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (req: autocannon.Request) => {
            const i = schedule[turn++ % schedule.length] as number;
            const target = o.targets[i] as CannonTarget;
            const body = target.bodies[bodyTurn[i]!++ % target.bodies.length] as BodyTemplate;
            return {
              ...req,
              method: 'POST',
              path: target.path,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${target.pool.take()}`,
              },
              body: body.render(),
            };
          },
        },
      ],
    },
    (err, result) => (err ? fail(err) : finish(result)),
  );
  // The run lasts from the start to the last response: autocannon notices the end of an `amount`
  // run only on its once-a-second tick, so its own duration is rounded up to whole seconds.
  let lastResponseAt = performance.now();
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    lastResponseAt = performance.now();
  });
  const started = Date.now();
  const startedAt = performance.now();
  const ticker = o.onTick ? setInterval(() => o.onTick?.(Date.now() - started), 1000) : undefined;
  const result = await done;
  if (ticker) clearInterval(ticker);
  const durationSeconds = round((lastResponseAt - startedAt) / 1000, 3);
  return {
    connections: o.connections,
    requests: latencies.length,
    durationSeconds,
    rps: round(latencies.length / durationSeconds, 1),
    latency: summarize(latencies),
    samples: latencies,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * Several runs against one service as one: latencies pooled, throughput as all requests over the
 * summed durations, statuses and errors added up.
 */
export function pooled(runs: readonly CannonResult[]): CannonResult {
  const samples = runs.flatMap((r) => r.samples);
  const durationSeconds = round(
    runs.reduce((a, r) => a + r.durationSeconds, 0),
    3,
  );
  const statuses: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const sum = (f: (r: CannonResult) => number) => runs.reduce((a, r) => a + f(r), 0);
  return {
    connections: runs[0]?.connections ?? 0,
    requests: samples.length,
    durationSeconds,
    rps: round(samples.length / durationSeconds, 1),
    latency: summarize(samples),
    samples,
    statuses,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
  };
}
