/**
 * Validation past one machine: batches go on a pg-boss queue in the PostgreSQL the service already
 * uses (DATABASE_URL), and `rationale worker` processes on any number of machines consume them.
 *
 * Resumable and idempotent: a batch is stored once under (run id, batch number) and its job has
 * that pair as singleton key; a worker writes the batch's outcome with INSERT … ON CONFLICT DO
 * NOTHING, so a batch retried after a killed worker (pg-boss expires its job and retries it) is
 * counted once; the coordinator reads one outcome per batch. Re-running `validate --queue --run-id
 * ID` over the same source re-creates the same batches, finds the outcomes already written and
 * enqueues only what is missing.
 *
 * A run that validates a service configuration (`--config`, `--calibration`) carries it as the
 * run's model definitions (production.ts `ModelDefinition`: settings with the calibration applied,
 * the site models), stored once per run in `validation_run_model` and named by each batch; a worker
 * builds the pipeline of each run it serves from them, never from files of the coordinator's.
 */
import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import PgBoss from 'pg-boss';
import pg from 'pg';
import type { BatchOutcome } from './batch';
import type { PatientUnit } from './export-reader';
import type { BatchRunner } from './pool';
import type * as ProductionModule from './production';
import type { ModelDefinition } from './production';
import type { BatchTask } from './worker';

export const QUEUE_NAME = 'rationale-validation-batch';
export const DEFAULT_QUEUE_SCHEMA = 'rationale_validation';
export const DEFAULT_EXPIRE_IN_SECONDS = 900;
export const DEFAULT_SUPERVISE_INTERVAL_SECONDS = 120;

export interface QueueSettings {
  connectionString: string;
  /** Schema for pg-boss and the batch tables (default rationale_validation). */
  schema?: string;
  /**
   * A batch not finished this many seconds after a worker took it is taken for a dead worker's and
   * retried (default 900). Set by the coordinator, which sends the jobs; longer than the slowest
   * batch takes, or a live worker's batch is replayed twice (still counted once).
   */
  expireInSeconds?: number;
  /**
   * How often, in seconds, pg-boss's supervisor looks for expired batches (default 120): a killed
   * worker's batch is retried between `expireInSeconds` and `expireInSeconds` plus this after it
   * was taken. Any process of the run (coordinator or worker) may do the looking.
   */
  superviseIntervalSeconds?: number;
  /** Times a failed batch is tried again before the run fails (default 5). */
  retryLimit?: number;
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a valid schema name: ${name}`);
  return name;
};

async function ensureTables(pool: pg.Pool, schema: string): Promise<void> {
  const s = ident(schema);
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${s}.validation_batch (
       run_id text NOT NULL, batch_no integer NOT NULL, task bytea NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, batch_no))`,
  );
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${s}.validation_run_model (
       run_id text NOT NULL, model_key text NOT NULL, definition bytea NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, model_key))`,
  );
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${s}.validation_outcome (
       run_id text NOT NULL, batch_no integer NOT NULL, outcome bytea NOT NULL, worker text NOT NULL,
       finished_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, batch_no))`,
  );
}

async function startBoss(settings: QueueSettings): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: settings.connectionString,
    schema: ident(settings.schema ?? DEFAULT_QUEUE_SCHEMA),
    maintenanceIntervalSeconds: settings.superviseIntervalSeconds ?? DEFAULT_SUPERVISE_INTERVAL_SECONDS,
  });
  boss.on('error', () => undefined); // surfaced through the failing call instead
  await boss.start();
  if (!(await boss.getQueue(QUEUE_NAME))) await boss.createQueue(QUEUE_NAME);
  return boss;
}

/**
 * Creates the tables, installs pg-boss and creates its queue, one process at a time: workers and
 * the coordinator start together, and PostgreSQL's `CREATE … IF NOT EXISTS` is not safe against a
 * concurrent create of the same name (it fails with "already exists"). A session-level advisory
 * lock on a connection of its own serializes the set-up across processes and machines.
 */
async function setUp(pool: pg.Pool, settings: QueueSettings): Promise<PgBoss> {
  const schema = ident(settings.schema ?? DEFAULT_QUEUE_SCHEMA);
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [`rationale-validation-setup:${schema}`]);
    try {
      await ensureTables(pool, schema);
      return await startBoss(settings);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`rationale-validation-setup:${schema}`]);
    }
  } finally {
    client.release();
  }
}

const pack = (value: unknown) => gzipSync(JSON.stringify(value));
const unpack = <T>(buffer: Buffer): T => JSON.parse(gunzipSync(buffer).toString('utf8')) as T;

/**
 * A batch as stored: a patient's NDJSON bytes as text (JSON has no bytes), and its model, when it
 * has one, named by the key of the run's definition (`validation_run_model`).
 */
type StoredTask = Omit<BatchTask, 'units'> & {
  units: Array<
    Exclude<PatientUnit, { kind: 'ndjson' }> | { kind: 'ndjson'; patientId: string; ndjson: string }
  >;
  modelKey?: string;
};
const packTask = (task: BatchTask, modelKey?: string) =>
  pack({
    ...task,
    units: task.units.map((u) =>
      u.kind === 'ndjson'
        ? {
            ...u,
            ndjson: Buffer.from(u.ndjson.buffer, u.ndjson.byteOffset, u.ndjson.byteLength).toString('utf8'),
          }
        : u,
    ),
    ...(modelKey ? { modelKey } : {}),
  } satisfies StoredTask);
const unpackTask = (buffer: Buffer): BatchTask & { modelKey?: string } => {
  const stored = unpack<StoredTask>(buffer);
  return {
    ...stored,
    units: stored.units.map((u) =>
      u.kind === 'ndjson' ? { ...u, ndjson: Buffer.from(u.ndjson, 'utf8') } : u,
    ),
  };
};

/** The key of a definition within its run: a digest of its content. */
const modelKey = (definition: ModelDefinition) =>
  createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 32);

export interface QueueRunner extends BatchRunner {
  readonly runId: string;
}

/**
 * The coordinator's side: stores and enqueues each batch, and resolves with its outcome when a
 * worker has written it (polled). `threads` is the number of batches kept in flight.
 */
export async function queueRunner(
  settings: QueueSettings & {
    runId?: string;
    inFlight?: number;
    pollMs?: number;
    /** Read by the configuration a run's model names (an OIP server's auth header is checked). */
    env?: NodeJS.ProcessEnv;
  },
): Promise<QueueRunner> {
  const schema = ident(settings.schema ?? DEFAULT_QUEUE_SCHEMA);
  const pool = new pg.Pool({ connectionString: settings.connectionString, max: 2 });
  const boss = await setUp(pool, settings);
  const runId = settings.runId ?? randomUUID();
  let next = 0;
  const waiting = new Map<
    number,
    { resolve: (o: BatchOutcome) => void; reject: (e: unknown) => void; jobId?: string }
  >();
  let closed = false;
  let stopped: Promise<void> | undefined;
  let polls = 0;

  /** A batch whose job pg-boss gave up on (its retries spent) fails the run instead of hanging it. */
  const checkFailed = async () => {
    for (const [batchNo, w] of waiting) {
      if (!w.jobId) continue;
      const job = await boss.getJobById(QUEUE_NAME, w.jobId);
      if (job?.state !== 'failed') continue;
      waiting.delete(batchNo);
      const output = job.output as { message?: unknown } | null;
      const reason = typeof output?.message === 'string' ? output.message : 'no reason given';
      w.reject(new Error(`batch ${batchNo} of run ${runId} failed on every retry: ${reason}`));
    }
  };

  const poll = async () => {
    if (waiting.size === 0) return;
    if (++polls % 8 === 0) await checkFailed();
    const { rows } = await pool.query<{ batch_no: number; outcome: Buffer }>(
      `SELECT batch_no, outcome FROM ${schema}.validation_outcome WHERE run_id = $1 AND batch_no = ANY($2::int[])`,
      [runId, [...waiting.keys()]],
    );
    for (const row of rows) {
      const w = waiting.get(row.batch_no);
      waiting.delete(row.batch_no);
      w?.resolve(unpack<BatchOutcome>(row.outcome));
    }
  };
  const timer = setInterval(() => {
    poll().catch((e: unknown) => {
      for (const w of waiting.values()) w.reject(e);
      waiting.clear();
    });
  }, settings.pollMs ?? 250);

  /** The run's models as stored: ValidationModel (as JSON) → its definition's key, once stored. */
  const defined = new Map<string, Promise<string>>();
  /**
   * The task as stored: its model read here into a definition (the configuration and calibration
   * files are the coordinator's), stored once for the run, and named by its key.
   */
  const storedTask = async (task: BatchTask): Promise<{ task: BatchTask; modelKey?: string }> => {
    const { model, ...options } = task.options;
    if (!model) return { task };
    const modelJson = JSON.stringify(model);
    let stored = defined.get(modelJson);
    if (!stored) {
      // Loaded here: a `rationale worker` (which loads this file too) never reads a configuration.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { defineValidationModel } = require('./production') as typeof ProductionModule;
      const definition = defineValidationModel(model, settings.env ?? process.env);
      const key = modelKey(definition);
      stored = pool
        .query(
          `INSERT INTO ${schema}.validation_run_model (run_id, model_key, definition) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          [runId, key, pack(definition)],
        )
        .then(() => key);
      defined.set(modelJson, stored);
      stored.catch(() => defined.delete(modelJson));
    }
    return { task: { ...task, options }, modelKey: await stored };
  };

  return {
    runId,
    threads: settings.inFlight ?? 64,
    async run(task: BatchTask): Promise<BatchOutcome> {
      if (closed) throw new Error('the queue runner is closed');
      // Numbered in the order batches are handed in (a resumed run re-creates the same numbers).
      const batchNo = next++;
      const stored = await storedTask(task);
      const done = new Promise<BatchOutcome>((resolve, reject) => waiting.set(batchNo, { resolve, reject }));
      const inserted = await pool.query(
        `INSERT INTO ${schema}.validation_batch (run_id, batch_no, task) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [runId, batchNo, packTask(stored.task, stored.modelKey)],
      );
      const { rowCount } = await pool.query(
        `SELECT 1 FROM ${schema}.validation_outcome WHERE run_id = $1 AND batch_no = $2`,
        [runId, batchNo],
      );
      // Resumed run: a batch already finished is not sent again.
      if (inserted.rowCount === 1 || !rowCount) {
        const jobId = await boss.send(
          QUEUE_NAME,
          { runId, batchNo },
          {
            singletonKey: `${runId}:${batchNo}`,
            retryLimit: settings.retryLimit ?? 5,
            retryDelay: 1,
            expireInSeconds: settings.expireInSeconds ?? DEFAULT_EXPIRE_IN_SECONDS,
          },
        );
        const w = waiting.get(batchNo);
        if (w && jobId) w.jobId = jobId;
      }
      return done;
    },
    close() {
      closed = true;
      clearInterval(timer);
      return (stopped ??= (async () => {
        await boss.stop({ graceful: false, wait: true });
        await pool.end();
      })());
    },
  };
}

export interface QueueWorker {
  /** Batches this process has finished. */
  readonly processed: number;
  stop(): Promise<void>;
}

/**
 * A worker process's side: takes batches off the queue one at a time, replays them with the
 * production pipeline, and writes each outcome once.
 */
export async function startQueueWorker(
  settings: QueueSettings & {
    workerId: string;
    /** Replays one batch: `loadBatchTask()` (pool.ts) in `rationale worker`, the same code the pool runs. */
    runBatch: (task: BatchTask) => Promise<BatchOutcome>;
    pollSeconds?: number;
  },
): Promise<QueueWorker> {
  const schema = ident(settings.schema ?? DEFAULT_QUEUE_SCHEMA);
  const pool = new pg.Pool({ connectionString: settings.connectionString, max: 2 });
  const boss = await setUp(pool, settings);
  let processed = 0;
  /** Each run's model definitions, read once per run id and key (the last few runs kept). */
  const definitions = new Map<string, Promise<ModelDefinition>>();
  const definitionOf = (runId: string, key: string): Promise<ModelDefinition> => {
    const id = `${runId}\u0000${key}`;
    let found = definitions.get(id);
    if (!found) {
      found = pool
        .query<{ definition: Buffer }>(
          `SELECT definition FROM ${schema}.validation_run_model WHERE run_id = $1 AND model_key = $2`,
          [runId, key],
        )
        .then(({ rows }) => {
          const row = rows[0];
          if (!row) throw new Error(`run ${runId} has no stored model ${key}`);
          return unpack<ModelDefinition>(row.definition);
        });
      definitions.set(id, found);
      found.catch(() => definitions.delete(id));
      for (const old of definitions.keys()) if (definitions.size > 8) definitions.delete(old);
    }
    return found;
  };
  await boss.work<{ runId: string; batchNo: number }>(
    QUEUE_NAME,
    { batchSize: 1, pollingIntervalSeconds: settings.pollSeconds ?? 0.5 },
    async (jobs) => {
      for (const job of jobs) {
        const { runId, batchNo } = job.data;
        const { rows } = await pool.query<{ task: Buffer }>(
          `SELECT task FROM ${schema}.validation_batch WHERE run_id = $1 AND batch_no = $2`,
          [runId, batchNo],
        );
        const row = rows[0];
        if (!row) throw new Error(`batch ${runId}/${batchNo} is not stored`);
        const { modelKey: key, ...stored } = unpackTask(row.task);
        const task: BatchTask = key
          ? {
              ...stored,
              options: {
                ...stored.options,
                model: { definition: await definitionOf(runId, key), run: runId },
              },
            }
          : stored;
        const outcome = await settings.runBatch(task);
        await pool.query(
          `INSERT INTO ${schema}.validation_outcome (run_id, batch_no, outcome, worker) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [runId, batchNo, pack(outcome), settings.workerId],
        );
        processed++;
      }
    },
  );
  return {
    get processed() {
      return processed;
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true });
      await pool.end();
    },
  };
}
