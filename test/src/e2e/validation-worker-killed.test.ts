/**
 * A killed worker's batch is retried: two real `rationale worker` processes on PostgreSQL
 * (TEST_DATABASE_URL). The first is alone when the run starts, so the first batch taken is its own;
 * it is killed with SIGKILL while it holds that batch (no chance to finish or release it). The
 * second worker starts then. With `--expire-seconds 20 --supervise-seconds 1` pg-boss hands the
 * orphaned batch back about 20 s after it was taken (900 s by default); the run completes with every batch counted once and the same
 * report as a single process.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  rationale,
  readReport,
  spawnRationale,
  startWorker as startRationaleWorker,
  stopAll,
  type CliOptions,
  type CliProcess,
} from '../support/rationale-cli';
import { linkSyntheaBundles, SYNTHEA } from '../support/synthea';

const DATABASE_URL = process.env.TEST_DATABASE_URL;
const PATIENTS = 9;
const BATCH = 3;
/** Longer than a batch of 3 takes on a loaded machine: a live worker's batch is not taken back. */
const EXPIRE_SECONDS = 20;
const QUEUE = 'rationale-validation-batch';

const describeWithDb = DATABASE_URL && existsSync(SYNTHEA) ? describe : describe.skip;

interface ReportJson {
  source: unknown;
  crossSectional: unknown;
  asOf: unknown;
  fairness: unknown;
}

describeWithDb('a worker killed while it holds a batch', () => {
  const schema = `vk_${randomBytes(6).toString('hex')}`;
  const env = { ...process.env, DATABASE_URL: DATABASE_URL! };
  const common: CliOptions = { mode: 'both', every: 730, replicates: 30, batch: BATCH };
  let dir: string;
  let db: pg.Pool;
  const workers: CliProcess[] = [];
  let killedBatch: number | undefined;
  let finishedBeforeKill: number | undefined;
  let coordinatorExit: { code: number | null; stderr: string } | undefined;

  const startWorker = async (id: string): Promise<CliProcess> => {
    const w = await startRationaleWorker({ queueSchema: schema, id, superviseSeconds: 1 }, env);
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'validation-killed-'));
    linkSyntheaBundles(join(dir, 'bundles'), PATIENTS);
    db = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });

    const first = await startWorker('first');
    const coordinator = spawnRationale(
      'validate',
      {
        bundles: join(dir, 'bundles'),
        ...common,
        queue: true,
        queueSchema: schema,
        runId: 'run-k',
        expireSeconds: EXPIRE_SECONDS,
        superviseSeconds: 1,
        out: join(dir, 'queued'),
      },
      env,
    );
    let coordinatorText = '';
    coordinator.stderr.on('data', (d: Buffer) => (coordinatorText += d.toString()));
    const coordinatorDone = new Promise<void>((resolve) =>
      coordinator.once('exit', (code) => {
        coordinatorExit = { code, stderr: coordinatorText };
        resolve();
      }),
    );

    // The first worker is the only one running: the first active job is its batch.
    const deadline = Date.now() + 300_000;
    while (killedBatch === undefined && Date.now() < deadline && !coordinatorExit) {
      const { rows } = await db
        .query<{ batch_no: number }>(
          `SELECT (data->>'batchNo')::int AS batch_no FROM ${schema}.job WHERE name = $1 AND state = 'active' LIMIT 1`,
          [QUEUE],
        )
        .catch(() => ({ rows: [] as { batch_no: number }[] })); // the schema is not created yet
      if (rows[0]) {
        first.kill('SIGKILL');
        killedBatch = rows[0].batch_no;
      } else await sleep(20);
    }
    await new Promise<void>((resolve) =>
      first.exitCode !== null || first.signalCode !== null ? resolve() : first.once('exit', () => resolve()),
    );
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.validation_outcome WHERE run_id = 'run-k'`,
    );
    finishedBeforeKill = Number(rows[0]!.n);

    await startWorker('second');
    await coordinatorDone;
    await rationale(
      'validate',
      { bundles: join(dir, 'bundles'), ...common, threads: 1, out: join(dir, 'single') },
      { env },
    );
  }, 900_000);

  afterAll(async () => {
    await stopAll(workers);
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db?.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const report = (name: string) => readReport<ReportJson>(dir, name);

  it('killed the first worker before it finished the batch it held', () => {
    expect(killedBatch).toBeDefined();
    expect(finishedBeforeKill).toBe(0);
  });

  it('completes the run, the orphaned batch retried by the second worker', async () => {
    expect(coordinatorExit?.code).toBe(0);
    const { rows } = await db.query<{ batch_no: number; worker: string }>(
      `SELECT batch_no, worker FROM ${schema}.validation_outcome WHERE run_id = 'run-k' ORDER BY batch_no`,
    );
    expect(rows.map((r) => r.batch_no)).toEqual([0, 1, 2]);
    expect(new Set(rows.map((r) => r.worker))).toEqual(new Set(['second']));
    // pg-boss gave the batch back after its expiry: the job that ran to completion is a retry.
    const job = await db.query<{ state: string; retry_count: number }>(
      `SELECT state, retry_count FROM ${schema}.job WHERE name = $1 AND (data->>'batchNo')::int = $2`,
      [QUEUE, killedBatch],
    );
    expect(job.rows).toHaveLength(1);
    expect(job.rows[0]!.state).toBe('completed');
    expect(job.rows[0]!.retry_count).toBeGreaterThanOrEqual(1);
  });

  it('counts every batch once: the report equals a single process run', () => {
    const queued = report('queued');
    const single = report('single');
    expect(queued.source).toEqual(single.source);
    expect(queued.crossSectional).toEqual(single.crossSectional);
    expect(queued.asOf).toEqual(single.asOf);
    expect(queued.fairness).toEqual(single.fairness);
  });
});
