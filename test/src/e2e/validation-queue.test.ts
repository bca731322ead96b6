/**
 * Validation past one machine: `rationale validate --queue` enqueues batches on PostgreSQL
 * (TEST_DATABASE_URL) and two real `rationale worker` processes consume them. The report must equal
 * a single-process run's, every batch must be counted once, and re-running with the same run id
 * must reuse the finished batches. A run with a calibration file (`rationale calibrate` on the same
 * patients) carries it to the workers, which build that run's pipeline from the stored definition:
 * its before-and-after comparison equals a single process's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  rationale,
  readReport,
  startWorker,
  stopAll,
  type CliOptions,
  type CliProcess,
} from '../support/rationale-cli';
import { linkSyntheaBundles, SYNTHEA } from '../support/synthea';

const DATABASE_URL = process.env.TEST_DATABASE_URL;
const PATIENTS = 24;
const BATCH = 3;

const describeWithDb = DATABASE_URL && existsSync(SYNTHEA) ? describe : describe.skip;

interface ReportJson {
  source: unknown;
  crossSectional: unknown;
  asOf: unknown;
  fairness: unknown;
  timings: { threads: number };
  calibrationComparison?: {
    calibration: string;
    crossSectional?: Array<{
      before: { brier: { value: number | null } };
      after: { brier: { value: number | null } };
    }>;
  };
}

describeWithDb('validation on a PostgreSQL queue with two worker processes', () => {
  const schema = `vq_${randomBytes(6).toString('hex')}`;
  const env = { ...process.env, DATABASE_URL: DATABASE_URL! };
  let dir: string;
  let workers: Array<CliProcess & { readyText: string }> = [];
  let db: pg.Pool;

  const validate = (options: CliOptions) =>
    rationale(
      'validate',
      { bundles: join(dir, 'bundles'), mode: 'both', every: 730, replicates: 50, batch: BATCH, ...options },
      { env },
    );
  const validateQueued = (out: string) =>
    validate({ queue: true, queueSchema: schema, runId: 'run-1', out: join(dir, out) });
  const report = (name: string) => readReport<ReportJson>(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'validation-queue-'));
    linkSyntheaBundles(join(dir, 'bundles'), PATIENTS);
    db = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    // Both workers are up when each has said so.
    workers = await Promise.all(['w1', 'w2'].map((id) => startWorker({ queueSchema: schema, id }, env)));
    await validateQueued('queued');
    await validate({ threads: 1, out: join(dir, 'single') });
    // The same patients' calibration, validated before and after on the queue and in one process.
    await rationale(
      'calibrate',
      { bundles: join(dir, 'bundles'), out: join(dir, 'calibration.json') },
      { env },
    );
    const calibrated = { mode: 'cross-sectional', calibration: join(dir, 'calibration.json') };
    await validate({
      ...calibrated,
      queue: true,
      queueSchema: schema,
      runId: 'run-cal',
      out: join(dir, 'cal-queued'),
    });
    await validate({ ...calibrated, threads: 1, out: join(dir, 'cal-single') });
  }, 900_000);

  afterAll(async () => {
    await stopAll(workers);
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db?.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('gives the same report as a single process', () => {
    const queued = report('queued');
    const single = report('single');
    expect(queued.source).toEqual(single.source);
    expect(queued.crossSectional).toEqual(single.crossSectional);
    expect(queued.asOf).toEqual(single.asOf);
    expect(queued.fairness).toEqual(single.fairness);
    expect(single.timings.threads).toBe(1);
  });

  it('replays on the compiled bundle the worker-thread pool runs, not on the sources through tsx', () => {
    expect(workers.map((w) => w.readyText)).toEqual([
      expect.stringContaining('(compiled bundle)'),
      expect.stringContaining('(compiled bundle)'),
    ]);
  });

  it('counts every batch once, and both workers took part', async () => {
    const { rows } = await db.query<{ worker: string; batches: string }>(
      `SELECT worker, count(*) AS batches FROM ${schema}.validation_outcome WHERE run_id = 'run-1' GROUP BY worker ORDER BY worker`,
    );
    expect(rows.map((r) => r.worker)).toEqual(['w1', 'w2']);
    expect(rows.reduce((n, r) => n + Number(r.batches), 0)).toBe(PATIENTS / BATCH);
  });

  it("carries a calibration file in the run: the comparison equals a single process's", async () => {
    const queued = report('cal-queued');
    const single = report('cal-single');
    expect(queued.calibrationComparison?.calibration).toBe('calibration.json');
    // The calibration moves some condition's Brier score: the runs differ with and without it.
    expect(
      single.calibrationComparison?.crossSectional?.some((r) => r.after.brier.value !== r.before.brier.value),
    ).toBe(true);
    expect(queued.calibrationComparison).toEqual(single.calibrationComparison);
    expect(queued.crossSectional).toEqual(single.crossSectional);
    // Two definitions stored once for the run (without the calibration, and with it), the workers
    // reading them, not the file; each batch counted once per replay.
    const models = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.validation_run_model WHERE run_id = 'run-cal'`,
    );
    expect(Number(models.rows[0]!.n)).toBe(2);
    const batches = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.validation_outcome WHERE run_id = 'run-cal'`,
    );
    expect(Number(batches.rows[0]!.n)).toBe((2 * PATIENTS) / BATCH);
  });

  it('resumes a run by id without replaying finished batches', async () => {
    const before = await db.query<{ n: string }>(
      `SELECT max(finished_at)::text AS n FROM ${schema}.validation_outcome WHERE run_id = 'run-1'`,
    );
    await validateQueued('resumed');
    const after = await db.query<{ n: string; count: string }>(
      `SELECT max(finished_at)::text AS n, count(*) FROM ${schema}.validation_outcome WHERE run_id = 'run-1'`,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect(Number(after.rows[0]!.count)).toBe(PATIENTS / BATCH);
    expect(report('resumed').fairness).toEqual(report('single').fairness);
    expect(report('resumed').crossSectional).toEqual(report('single').crossSectional);
  }, 600_000);
});
