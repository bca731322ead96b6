/**
 * The PostgreSQL validation queue against a real server (TEST_DATABASE_URL): processes that start
 * together set up the schema without tripping over each other, and a batch that fails on every
 * retry fails the run instead of leaving the coordinator waiting; a run with a service configuration
 * carries its site models to the worker, which builds them without the configuration file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { logisticRegressionOnnx } from '../site-models/onnx-export';
import { validModel } from '../test-support/site-models';
import { describeUnless } from '../test-support/skip';
import { processBatch } from './batch';
import { ndjsonUnit, type PatientUnit } from './export-reader';
import { DEFAULT_REPLAY_OPTIONS, type ReplayDeps } from './replay';
import { queueRunner, startQueueWorker, type QueueRunner, type QueueWorker } from './queue';
import { runBatchTask, type BatchTask } from './worker';

const DATABASE_URL = process.env.TEST_DATABASE_URL;

const patientUnit = (id: string): PatientUnit =>
  ndjsonUnit(id, [
    JSON.stringify({ resourceType: 'Patient', id, birthDate: '1960-01-01', gender: 'female' }),
  ]);

describeUnless(
  DATABASE_URL ? undefined : 'TEST_DATABASE_URL is not set',
  'validation queue on PostgreSQL',
  () => {
    const schema = `vqt_${randomBytes(6).toString('hex')}`;
    const settings = { connectionString: DATABASE_URL!, schema };
    const failing: ReplayDeps = {
      assess: () => Promise.reject(new Error('model crashed')),
      chartOpen: () => [],
    };
    const runBatch = (task: BatchTask) => processBatch(task.units, task.options, failing);
    let workers: QueueWorker[] = [];
    let runner: QueueRunner | undefined;

    afterAll(async () => {
      await runner?.close();
      await Promise.all(workers.map((w) => w.stop()));
      const db = new pg.Client({ connectionString: DATABASE_URL });
      await db.connect();
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.end();
    });

    it('sets up once when the coordinator and two workers start at the same moment', async () => {
      const started = await Promise.all([
        startQueueWorker({ ...settings, workerId: 'w1', runBatch, pollSeconds: 0.5 }),
        startQueueWorker({ ...settings, workerId: 'w2', runBatch, pollSeconds: 0.5 }),
        queueRunner({ ...settings, retryLimit: 1, pollMs: 50 }),
      ]);
      workers = [started[0], started[1]];
      runner = started[2];
      expect(workers).toHaveLength(2);
    });

    it('fails the run, naming the batch and the reason, when a batch fails on every retry', async () => {
      await expect(
        runner!.run({ units: [patientUnit('p1')], options: DEFAULT_REPLAY_OPTIONS }),
      ).rejects.toThrow(/batch 0 of run .* failed on every retry: model crashed/);
      expect(workers.reduce((n, w) => n + w.processed, 0)).toBe(0);
    }, 60_000);
  },
);

describeUnless(
  DATABASE_URL ? undefined : 'TEST_DATABASE_URL is not set',
  'a queued run with a service configuration',
  () => {
    const schema = `vqm_${randomBytes(6).toString('hex')}`;
    const settings = { connectionString: DATABASE_URL!, schema };
    const dir = mkdtempSync(join(tmpdir(), 'queue-models-'));
    let worker: QueueWorker | undefined;
    let runner: QueueRunner | undefined;

    afterAll(async () => {
      await runner?.close();
      await worker?.stop();
      const db = new pg.Client({ connectionString: DATABASE_URL });
      await db.connect();
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.end();
      rmSync(dir, { recursive: true, force: true });
    });

    it("builds the run's site models on the worker from the stored definition, not the configuration file", async () => {
      // Risk rises with the A1c: weights on (age, a1c, glucose).
      writeFileSync(join(dir, 'model.onnx'), logisticRegressionOnnx({ weights: [0, 2, 0], intercept: -13 }));
      const configFile = join(dir, 'service.json');
      writeFileSync(configFile, JSON.stringify({ models: [validModel()] }));
      const id = 'q1';
      const unit = ndjsonUnit(id, [
        JSON.stringify({ resourceType: 'Patient', id, birthDate: '1965-03-01', gender: 'female' }),
        JSON.stringify({
          resourceType: 'Observation',
          id: 'q1-a1c',
          status: 'final',
          subject: { reference: `Patient/${id}` },
          code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
          effectiveDateTime: '2025-05-01',
          valueQuantity: { value: 9, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
        }),
      ]);

      runner = await queueRunner({ ...settings, pollMs: 50, env: {} });
      const outcome = runner.run({
        units: [unit],
        options: { ...DEFAULT_REPLAY_OPTIONS, mode: 'cross-sectional', model: { configFile } },
      });
      // Once the batch is stored the configuration is gone: the worker cannot read it.
      const db = new pg.Client({ connectionString: DATABASE_URL });
      await db.connect();
      try {
        for (;;) {
          const { rowCount } = await db.query(`SELECT 1 FROM ${schema}.validation_batch`);
          if (rowCount) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const { rows } = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${schema}.validation_run_model WHERE run_id = $1`,
          [runner.runId],
        );
        expect(Number(rows[0]!.n)).toBe(1);
      } finally {
        await db.end();
      }
      rmSync(configFile);

      worker = await startQueueWorker({
        ...settings,
        workerId: 'wm',
        runBatch: runBatchTask,
        pollSeconds: 0.5,
      });
      const { results } = await outcome;
      const siteCase = results[0]?.crossSectional?.cases.find((c) => c[0] === 't2d-risk:t2d');
      // A1c 9 %: flagged by the site model, with its probability.
      expect(siteCase?.[2]).toBe(1);
      expect(siteCase?.[3]).toBeGreaterThan(0.5);
    }, 120_000);
  },
);
