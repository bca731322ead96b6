/**
 * Per-model counters for the monitoring page (issue 16, "failure is contained"): calls by outcome,
 * latency percentiles over the recent calls, and the last failure, for each site model. Kept in
 * this process (each replica shows its own), never stored: the stored assessments carry each run.
 */
import type { SiteModelResult } from '@rationale/shared-types';

/** Latencies kept per model for the percentiles. */
const WINDOW = 1000;

/** One model as the monitoring page shows it. */
export interface SiteModelSnapshot {
  modelId: string;
  version: string;
  mode: 'silent' | 'live';
  runtime: 'onnx' | 'oip';
  calls: number;
  byStatus: Record<SiteModelResult['status'], number>;
  /** Over the last calls (at most 1000), answered or not. */
  latencyMs: { p50: number; p95: number; max: number } | null;
  lastFailure: { status: SiteModelResult['status']; at: string } | null;
}

export class SiteModelStats {
  private calls = 0;
  private readonly byStatus: SiteModelSnapshot['byStatus'] = {
    complete: 0,
    timeout: 0,
    unavailable: 0,
    'bad-response': 0,
    'circuit-open': 0,
  };
  private readonly latencies: number[] = [];
  private lastFailure: SiteModelSnapshot['lastFailure'] = null;

  constructor(private readonly model: Pick<SiteModelSnapshot, 'modelId' | 'version' | 'mode' | 'runtime'>) {}

  /** Counts one run; `at` is the assessment's time. */
  record(result: SiteModelResult, at: Date): void {
    this.calls++;
    this.byStatus[result.status]++;
    this.latencies.push(result.latencyMs);
    if (this.latencies.length > WINDOW) this.latencies.shift();
    if (result.status !== 'complete') this.lastFailure = { status: result.status, at: at.toISOString() };
  }

  snapshot(): SiteModelSnapshot {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
    return {
      ...this.model,
      calls: this.calls,
      byStatus: { ...this.byStatus },
      latencyMs: sorted.length
        ? { p50: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1] ?? 0 }
        : null,
      lastFailure: this.lastFailure,
    };
  }
}
