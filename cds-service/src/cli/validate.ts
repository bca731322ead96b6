/**
 * `rationale validate --export DIR --out DIR`: validation on the site's own population (issue 15).
 * Parses the options, picks the runner (lanes on this machine, or the PostgreSQL queue
 * shared with `rationale worker` processes), shows progress, and writes the report.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_BOOTSTRAP } from '../validation/metrics';
import { DEFAULT_REPLAY_OPTIONS, type ReplayMode, type ReplayOptions } from '../validation/replay';
import type * as PoolModule from '../validation/pool';
import type * as ConfigModule from '../config';
import type * as LoggerModule from '../logger';
import type * as StoreModule from '../store';
import type * as QueueModule from '../validation/queue';
import type * as RunModule from '../validation/run';
import type { Progress, RunOptions, ValidationSource } from '../validation/run';
import { ConfigError } from '../errors';
import { youngGenerationGrowth } from '../v8-heap';
import { CliError } from './errors';

export const VALIDATE_USAGE = `  validate                     Validate the model on a population: a report with plots, JSON and CSV.
      --export DIR             A FHIR Bulk Data export (NDJSON or NDJSON.gz per resource type)
      --bundles DIR            …or a folder of FHIR bundles, one patient per file
      --out DIR                Where report.html, report.json and the CSV tables go
      --mode MODE              both | cross-sectional | as-of (default both)
      --every DAYS             As-of: one index date per DAYS days of encounters (0: every
                               encounter; default ${DEFAULT_REPLAY_OPTIONS.everyDays})
      --lookback YEARS         As-of: index dates within the last YEARS years (default ${DEFAULT_REPLAY_OPTIONS.lookbackYears})
      --horizon DAYS           As-of: a recording within DAYS days counts (default ${DEFAULT_REPLAY_OPTIONS.horizonDays})
      --threads N              Cores to use (default: every core): 1 replays in this process;
                               N > 1 starts N lane processes, this one reading the source,
                               handing out batches and keeping the results
      --batch N                Patients per batch (default 25)
      --replicates N           Bootstrap replicates (default ${DEFAULT_BOOTSTRAP.replicates})
      --seed N                 Bootstrap seed (default ${DEFAULT_BOOTSTRAP.seed})
      --queue                  Enqueue the batches on PostgreSQL (DATABASE_URL) for
                               \`rationale worker\` processes instead of running them here
      --run-id ID              With --queue: resume this run (default: a new id)
      --queue-schema NAME      With --queue: the PostgreSQL schema of the queue (default
                               rationale_validation; workers must use the same)
      --store                  Add, from the service's store (DATABASE_URL, else the embedded
                               database under DATA_DIR, default .data), silent-mode volume,
                               acceptance and override rates with the override reasons
      --store-from DATE        The store's figures from DATE (default: 365 days before now)
      --store-to DATE          …to DATE inclusive (default: today)
      --config FILE            The service's configuration file: its site models are validated
                               beside the knowledge model (each prediction against the condition
                               its recordedValueSet names), with its thresholds and calibration
      --calibration FILE       A calibration file (rationale calibrate) to validate with; with it,
                               or with a --config that has one, the report compares AUROC, Brier
                               and ECE per condition before and after (the population runs twice).
                               With --queue both are read here and carried in the run: workers
                               need neither file (an ONNX or CA file is read at the same path)
      --expire-seconds N       With --queue: a batch a worker took and has not finished after N
                               seconds is taken for a dead worker's and retried (default 900;
                               make it longer than the slowest batch)
      --supervise-seconds N    With --queue: look for such batches every N seconds (default 120)
  worker                       Take validation batches off the queue (DATABASE_URL) until stopped
      --queue-schema NAME      As for validate --queue
      --supervise-seconds N    As for validate --queue
      --id NAME                This worker's name in the outcome table (default host:pid)
`;

/** Runs \`rationale worker\`: consumes validation batches until SIGINT or SIGTERM. */
export async function workerCommand(args: string[], io: ValidateIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'queue-schema': { type: 'string' },
      id: { type: 'string' },
      'supervise-seconds': { type: 'string' },
    },
  });
  const superviseIntervalSeconds = whole(values['supervise-seconds'], '--supervise-seconds', 1);
  if (positionals.length)
    throw new CliError('usage', `worker takes no positional argument; got "${positionals[0]}"`);
  const url = io.env['DATABASE_URL'];
  if (!url) throw new CliError('usage', 'worker needs DATABASE_URL (the PostgreSQL validate --queue uses)');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startQueueWorker } = require('../validation/queue') as typeof QueueModule;
  // The batches run the same plain-JavaScript bundle as the lane pool's lanes, not the
  // sources through tsx (whose per-function wrappers cost time on every assessment).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadBatchTask } = require('../validation/pool') as typeof PoolModule;
  const task = loadBatchTask();
  const workerId = values.id ?? `${hostname()}:${process.pid}`;
  const worker = await startQueueWorker({
    connectionString: url,
    workerId,
    runBatch: task.runBatchTask,
    ...(values['queue-schema'] ? { schema: values['queue-schema'] } : {}),
    ...(superviseIntervalSeconds ? { superviseIntervalSeconds } : {}),
  });
  io.stderr(
    `worker ${workerId}: waiting for validation batches (${task.compiled ? 'compiled bundle' : 'sources through tsx'})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await worker.stop();
  io.stderr(`worker ${workerId}: stopped after ${worker.processed} batch(es)\n`);
  return 0;
}

export interface ValidateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal: draw a progress bar. */
  stderrIsTty?: boolean;
}

const whole = (value: string | undefined, option: string, min = 0): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new CliError('usage', `${option} must be a whole number${min ? ` ≥ ${min}` : ''}; got "${value}"`);
  return Number(value);
};

const DAY_MS = 86_400_000;

/** A calendar date (YYYY-MM-DD) as the start of that UTC day. */
const day = (value: string | undefined, option: string): Date | undefined => {
  if (value === undefined) return undefined;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    throw new CliError('usage', `${option} must be a date (YYYY-MM-DD); got "${value}"`);
  return date;
};

/** `{ key: value }` when the value is given, `{}` otherwise (exact optional properties). */
const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** One line of progress: a bar, patients done of total, rate, and time left. */
export function progressLine({ done, total, elapsedMs }: Progress, width = 28): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const left = rate > 0 ? (total - done) / rate : Infinity;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} patients  ${rate.toFixed(1)}/s  ${duration(left)} left`;
}

export interface ParsedValidate {
  source: ValidationSource;
  outDir: string;
  replay: ReplayOptions;
  bootstrap: { replicates: number; seed: number };
  threads: number;
  batchSize: number;
  queue: boolean;
  runId?: string;
  queueSchema?: string;
  expireInSeconds?: number;
  superviseIntervalSeconds?: number;
  /** Read the store's figures over [from, to). */
  store?: { from?: Date; to?: Date };
  /** --config FILE, resolved. */
  configFile?: string;
  /** --calibration FILE, resolved. */
  calibrationFile?: string;
}

/** Reads the validate command's options; throws CliError('usage') naming the bad one. */
export function parseValidateArgs(args: string[]): ParsedValidate {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      export: { type: 'string' },
      bundles: { type: 'string' },
      out: { type: 'string' },
      mode: { type: 'string' },
      every: { type: 'string' },
      lookback: { type: 'string' },
      horizon: { type: 'string' },
      threads: { type: 'string' },
      batch: { type: 'string' },
      replicates: { type: 'string' },
      seed: { type: 'string' },
      queue: { type: 'boolean', default: false },
      'run-id': { type: 'string' },
      'queue-schema': { type: 'string' },
      'expire-seconds': { type: 'string' },
      'supervise-seconds': { type: 'string' },
      store: { type: 'boolean', default: false },
      'store-from': { type: 'string' },
      'store-to': { type: 'string' },
      config: { type: 'string' },
      calibration: { type: 'string' },
    },
  });
  if (positionals.length)
    throw new CliError('usage', `validate takes no positional argument; got "${positionals[0]}"`);
  if (!values.export === !values.bundles)
    throw new CliError('usage', 'validate needs --export DIR or --bundles DIR (one)');
  if (!values.out) throw new CliError('usage', 'validate needs --out DIR');
  const modes: readonly ReplayMode[] = ['both', 'cross-sectional', 'as-of'];
  const mode = values.mode ?? DEFAULT_REPLAY_OPTIONS.mode;
  if (!(modes as readonly string[]).includes(mode))
    throw new CliError('usage', `--mode must be one of ${modes.join(', ')}; got "${mode}"`);
  if (!values.store && (values['store-from'] || values['store-to']))
    throw new CliError('usage', '--store-from and --store-to go with --store');
  const storeFrom = day(values['store-from'], '--store-from');
  const storeTo = day(values['store-to'], '--store-to');
  // The range is half-open: the day --store-to names is included.
  const storeToExclusive = storeTo && new Date(storeTo.getTime() + DAY_MS);
  if (storeFrom && storeToExclusive && storeFrom >= storeToExclusive)
    throw new CliError('usage', '--store-from must not be after --store-to');
  return {
    source: values.export
      ? { kind: 'bulk-export', dir: values.export }
      : { kind: 'bundles', dir: values.bundles! },
    outDir: values.out,
    replay: {
      ...DEFAULT_REPLAY_OPTIONS,
      mode: mode as ReplayMode,
      everyDays: whole(values.every, '--every') ?? DEFAULT_REPLAY_OPTIONS.everyDays,
      lookbackYears: whole(values.lookback, '--lookback', 1) ?? DEFAULT_REPLAY_OPTIONS.lookbackYears,
      horizonDays: whole(values.horizon, '--horizon', 1) ?? DEFAULT_REPLAY_OPTIONS.horizonDays,
    },
    bootstrap: {
      replicates: whole(values.replicates, '--replicates', 1) ?? DEFAULT_BOOTSTRAP.replicates,
      seed: whole(values.seed, '--seed') ?? DEFAULT_BOOTSTRAP.seed,
    },
    threads: whole(values.threads, '--threads', 1) ?? availableParallelism(),
    batchSize: whole(values.batch, '--batch', 1) ?? 25,
    queue: values.queue ?? false,
    ...(values['run-id'] ? { runId: values['run-id'] } : {}),
    ...(values['queue-schema'] ? { queueSchema: values['queue-schema'] } : {}),
    ...optional('expireInSeconds', whole(values['expire-seconds'], '--expire-seconds', 1)),
    ...optional('superviseIntervalSeconds', whole(values['supervise-seconds'], '--supervise-seconds', 1)),
    ...(values.config ? { configFile: resolve(values.config) } : {}),
    ...(values.calibration ? { calibrationFile: resolve(values.calibration) } : {}),
    ...(values.store
      ? {
          store: {
            ...optional('from', storeFrom),
            ...optional('to', storeToExclusive),
          },
        }
      : {}),
  };
}

/** A progress reporter: a redrawn bar on a terminal, a line every 10 % otherwise. */
export function progressReporter(io: ValidateIo): (p: Progress) => void {
  let lastDecile = -1;
  return (p) => {
    if (io.stderrIsTty) {
      io.stderr(`\r${progressLine(p)}${p.done >= p.total ? '\n' : ''}`);
      return;
    }
    const decile = p.total ? Math.floor((10 * p.done) / p.total) : 0;
    if (decile !== lastDecile) {
      lastDecile = decile;
      io.stderr(`${progressLine(p)}\n`);
    }
  };
}

/**
 * The service's own figures over the range, from its store: cards shown and withheld in silent
 * mode, accepted and overridden (by reason), per topic and month. Read only: the store is opened
 * without migrating, so a database the service has never run on is refused, not created.
 */
export async function readStoreFigures(
  range: { from?: Date; to?: Date },
  env: NodeJS.ProcessEnv,
  clock: () => Date,
): Promise<NonNullable<RunOptions['monitoring']>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createStore } = require('../store') as typeof StoreModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createLogger } = require('../logger') as typeof LoggerModule;
  const to =
    range.to ?? new Date(Date.UTC(clock().getUTCFullYear(), clock().getUTCMonth(), clock().getUTCDate() + 1));
  const from = range.from ?? new Date(to.getTime() - 365 * DAY_MS);
  const databaseUrl = env['DATABASE_URL'] || undefined;
  const where = databaseUrl
    ? 'the PostgreSQL database in DATABASE_URL'
    : `the embedded database in ${env['DATA_DIR'] || '.data'}`;
  if (!databaseUrl && !existsSync(join(env['DATA_DIR'] || '.data', 'pglite')))
    throw new CliError(
      'input',
      `--store: there is no store at ${where} (set DATABASE_URL or DATA_DIR as the service has them)`,
    );
  let store: Awaited<ReturnType<typeof StoreModule.createStore>>;
  try {
    store = await createStore({
      ...(databaseUrl ? { databaseUrl } : {}),
      dataDir: env['DATA_DIR'] || '.data',
      logger: createLogger({ level: 'silent' }),
      migrate: false,
      maxConnections: 1,
    });
  } catch (e) {
    throw new CliError('input', `--store: cannot open ${where} (${(e as Error).message})`);
  }
  try {
    const rows = await store.monitoring({ from, to, period: 'month' });
    return { from: from.toISOString(), to: to.toISOString(), rows };
  } catch (e) {
    throw new CliError(
      'input',
      `--store: cannot read card figures from ${where}; has the service run on it? (${(e as Error).message})`,
    );
  } finally {
    await store.close().catch(() => undefined);
  }
}

/**
 * The model a validation runs with --config and --calibration, and the "before" of the
 * comparison when there is a calibration. The configuration is checked here, as the service's
 * start-up would check it, before any patient is read.
 */
function validationModels(
  parsed: ParsedValidate,
  env: NodeJS.ProcessEnv,
):
  | { model: NonNullable<RunOptions['replay']['model']>; compare?: RunOptions['compareCalibration'] }
  | undefined {
  if (!parsed.configFile && !parsed.calibrationFile) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadCalibrationFile, loadConfig } = require('../config') as typeof ConfigModule;
  let configCalibrated = false;
  try {
    if (parsed.configFile) {
      const config = loadConfig({ ...env, AUTH_REQUIRED: 'false' }, { configFile: parsed.configFile });
      configCalibrated = config.modelSettings.priorCalibration !== undefined;
    }
    if (parsed.calibrationFile) loadCalibrationFile(parsed.calibrationFile);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError('input', `Invalid configuration: ${e.message}`);
    throw e;
  }
  const configFile = parsed.configFile ? { configFile: parsed.configFile } : {};
  const model = parsed.calibrationFile
    ? { ...configFile, calibration: { kind: 'file' as const, path: parsed.calibrationFile } }
    : { ...configFile, calibration: { kind: 'config' as const } };
  const label = parsed.calibrationFile
    ? basename(parsed.calibrationFile)
    : configCalibrated
      ? "the configuration's calibrationFile"
      : undefined;
  return {
    model,
    ...(label
      ? { compare: { before: { ...configFile, calibration: { kind: 'none' as const } }, label } }
      : {}),
  };
}

/** Runs `rationale validate`. */
export async function validateCommand(args: string[], io: ValidateIo): Promise<number> {
  const parsed = parseValidateArgs(args);
  // `npx rationale` starts with the young generation held (src/v8-heap.ts). Only with lane
  // processes does this process compute nothing while it replays (the pool holds it then, and lets
  // it grow for the report); one lane replays here, and a queued run's workers send this process
  // their results to collect and report.
  if (parsed.queue || parsed.threads <= 1) youngGenerationGrowth(true);
  // Loaded here (tsx registers require, not import): the other commands start without the model,
  // the plotting library or the lanes.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runValidation } = require('../validation/run') as typeof RunModule;
  const clock = () => new Date();
  const monitoring = parsed.store ? await readStoreFigures(parsed.store, io.env, clock) : undefined;
  if (monitoring)
    io.stderr(
      `store: ${monitoring.rows.length} row(s) of card figures from ${monitoring.from.slice(0, 10)} to ${monitoring.to.slice(0, 10)}\n`,
    );
  const models = validationModels(parsed, io.env);
  const options: RunOptions = {
    source: parsed.source,
    outDir: parsed.outDir,
    replay: { ...parsed.replay, ...(models ? { model: models.model } : {}) },
    ...(models?.compare ? { compareCalibration: models.compare } : {}),
    bootstrap: parsed.bootstrap,
    batchSize: parsed.batchSize,
    ...(monitoring ? { monitoring } : {}),
    clock,
    onProgress: progressReporter(io),
  };
  let runner: { threads: number; close(): Promise<void> } & Parameters<typeof RunModule.runValidation>[1];
  if (parsed.queue) {
    const url = io.env['DATABASE_URL'];
    if (!url) throw new CliError('usage', '--queue needs DATABASE_URL (the PostgreSQL the workers share)');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { queueRunner } = require('../validation/queue') as typeof QueueModule;
    const queue = await queueRunner({
      connectionString: url,
      env: io.env,
      ...(parsed.runId ? { runId: parsed.runId } : {}),
      ...(parsed.queueSchema ? { schema: parsed.queueSchema } : {}),
      ...optional('expireInSeconds', parsed.expireInSeconds),
      ...optional('superviseIntervalSeconds', parsed.superviseIntervalSeconds),
    });
    io.stderr(`run ${queue.runId}: batches enqueued for \`rationale worker\` processes\n`);
    runner = queue;
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { lanePool } = require('../validation/pool') as typeof PoolModule;
    runner = lanePool(parsed.threads, io.env);
  }
  try {
    const { report, written } = await runValidation(options, runner);
    const t = report.timings;
    io.stdout(
      `Validated ${report.source.patients} patients` +
        (report.source.unreadable ? ` (${report.source.unreadable} unreadable)` : '') +
        (report.source.rejected ? ` (${report.source.rejected} refused by the shape check)` : '') +
        (t
          ? ` in ${t.seconds.toFixed(1)} s (${t.patientsPerSecond.toFixed(1)} patients/s, ${t.threads} lane(s))`
          : '') +
        `\n${written.map((w) => `  ${w}`).join('\n')}\n`,
    );
    return 0;
  } finally {
    await runner.close();
  }
}
