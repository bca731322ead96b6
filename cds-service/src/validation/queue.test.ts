/**
 * The PostgreSQL validation queue against a real server (TEST_DATABASE_URL): processes that start
 * together set up the schema without tripping over each other, and a batch that fails on every
 * retry fails the run instead of leaving the coordinator waiting.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeUnless } from '../test-support/skip';
import { processBatch } from './batch';
import { ndjsonUnit, type PatientUnit } from './export-reader';
import { DEFAULT_REPLAY_OPTIONS, type ReplayDeps } from './replay';
import { queueRunner, startQueueWorker, type QueueRunner, type QueueWorker } from './queue';
import type { BatchTask } from './worker';

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
