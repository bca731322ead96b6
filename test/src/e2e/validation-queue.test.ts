/**
 * Validation past one machine: `rationale validate --queue` enqueues batches on PostgreSQL
 * (TEST_DATABASE_URL) and two real `rationale worker` processes consume them. The report must equal
 * a single-process run's, every batch must be counted once, and re-running with the same run id
 * must reuse the finished batches.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { REPO_ROOT } from '../support/stack';
import { linkSyntheaBundles, SYNTHEA } from '../support/synthea';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'cds-service/bin/rationale.cjs');
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
}

describeWithDb('validation on a PostgreSQL queue with two worker processes', () => {
  const schema = `vq_${randomBytes(6).toString('hex')}`;
  const env = { ...process.env, DATABASE_URL: DATABASE_URL! };
  const common = ['--mode', 'both', '--every', '730', '--replicates', '50', '--batch', String(BATCH)];
  let dir: string;
  let workers: ChildProcess[] = [];
  let db: pg.Pool;

  const validate = (args: string[]) =>
    run(process.execPath, [CLI, 'validate', '--bundles', join(dir, 'bundles'), ...common, ...args], {
      cwd: REPO_ROOT,
      env,
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  const report = (name: string) =>
    JSON.parse(readFileSync(join(dir, name, 'report.json'), 'utf8')) as ReportJson;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'validation-queue-'));
    linkSyntheaBundles(join(dir, 'bundles'), PATIENTS);
    db = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    workers = ['w1', 'w2'].map((id) =>
      spawn(process.execPath, [CLI, 'worker', '--queue-schema', schema, '--id', id], {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    // Both workers are up when each has said so.
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let text = '';
            w.stderr!.on('data', (d: Buffer) => {
              text += d.toString();
              if (text.includes('waiting for validation batches')) resolve();
            });
            w.once('exit', (code) => reject(new Error(`worker exited early (${code}): ${text}`)));
            setTimeout(() => reject(new Error(`worker not ready after 120 s: ${text}`)), 120_000).unref();
          }),
      ),
    );
    await validate(['--queue', '--queue-schema', schema, '--run-id', 'run-1', '--out', join(dir, 'queued')]);
    await validate(['--threads', '1', '--out', join(dir, 'single')]);
  }, 900_000);

  afterAll(async () => {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exitCode !== null) return resolve();
            w.once('exit', () => resolve());
            w.kill('SIGTERM');
          }),
      ),
    );
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

  it('counts every batch once, and both workers took part', async () => {
    const { rows } = await db.query<{ worker: string; batches: string }>(
      `SELECT worker, count(*) AS batches FROM ${schema}.validation_outcome WHERE run_id = 'run-1' GROUP BY worker ORDER BY worker`,
    );
    expect(rows.map((r) => r.worker)).toEqual(['w1', 'w2']);
    expect(rows.reduce((n, r) => n + Number(r.batches), 0)).toBe(PATIENTS / BATCH);
  });

  it('resumes a run by id without replaying finished batches', async () => {
    const before = await db.query<{ n: string }>(
      `SELECT max(finished_at)::text AS n FROM ${schema}.validation_outcome WHERE run_id = 'run-1'`,
    );
    await validate(['--queue', '--queue-schema', schema, '--run-id', 'run-1', '--out', join(dir, 'resumed')]);
    const after = await db.query<{ n: string; count: string }>(
      `SELECT max(finished_at)::text AS n, count(*) FROM ${schema}.validation_outcome WHERE run_id = 'run-1'`,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect(Number(after.rows[0]!.count)).toBe(PATIENTS / BATCH);
    expect(report('resumed').fairness).toEqual(report('single').fairness);
    expect(report('resumed').crossSectional).toEqual(report('single').crossSectional);
  }, 600_000);
});
