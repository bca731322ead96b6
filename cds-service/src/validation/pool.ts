/**
 * Batches on all cores: `lanes` lanes, each replaying one batch at a time through the task compiled
 * once, in this process, into one plain-JavaScript bundle (esbuild, the compiler tsx itself runs
 * on): code loaded through tsx carries its loader and per-function name wrappers, costing memory
 * and time on every assessment. When no compiler can be found (or it fails), the lanes fall back
 * to tsx. One runner per run.
 *
 * One lane is this process alone. More lanes are processes of their own (lane-process.cjs), this
 * one only reading the source, handing out batches and keeping the results. Not worker threads:
 * two lanes as threads of one process cost 15–25 % more CPU per record than one lane, where two
 * 1-lane processes cost the same as one (docs/performance.md); and a process can be started with
 * `MALLOC_ARENA_MAX`, which glibc reads only at start-up, so its allocator keeps two arenas instead
 * of one per thread that ever allocated (about 240 MB of a worker-thread run's peak was outside
 * both JavaScript heaps).
 *
 * A lane process that dies (killed, out of memory) is replaced and its batches are replayed on the
 * lanes left; a batch that was in a lane that died twice fails the run, as do lanes that keep dying
 * without finishing a batch: a run never waits for a lane that is gone.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { externals, loadEsbuild } from '../bundle';
import { collectGarbage, youngGenerationGrowth } from '../v8-heap';
import type { BatchOutcome } from './batch';
import type { BatchTask } from './worker';

type RunBatchTask = (task: BatchTask) => Promise<BatchOutcome>;

export interface BatchRunner {
  run(task: BatchTask): Promise<BatchOutcome>;
  readonly threads: number;
  /**
   * Its lanes run on this machine and can read its files: an export's patients are handed to it
   * as references into the spill files (`SpillUnit`) instead of their bytes.
   */
  readonly readsLocalFiles?: boolean;
  /** Stops the runner and frees what it holds; a second call waits for the first. */
  close(): Promise<void>;
}

/** worker.ts and everything of this repository it imports as one CommonJS file; packages stay external. */
export function workerBundle(): string | undefined {
  const esbuild = loadEsbuild();
  if (!esbuild) return undefined;
  try {
    const out = esbuild.buildSync({
      entryPoints: [join(__dirname, 'worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: externals(),
      write: false,
      logLevel: 'silent',
    });
    return out.outputFiles?.[0]?.text;
  } catch {
    return undefined;
  } finally {
    // Held for the whole run otherwise (about 40 MB); tsx starts it again if it needs it.
    void esbuild.stop?.();
  }
}

/**
 * The batch task as this thread runs it: the bundle when there is one (`workerBundle`), else
 * worker.ts from source (through tsx, as the CLI runs). `rationale worker` and the pool's own lane
 * use it.
 */
export function loadBatchTask(bundle: string | undefined = workerBundle()): {
  runBatchTask: RunBatchTask;
  /** The bundle was loaded (false: the sources, through tsx). */
  compiled: boolean;
} {
  if (bundle !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { fromBundle } = require('./bundle-loader.cjs') as {
      fromBundle: (code: string) => { runBatchTask: RunBatchTask };
    };
    return { runBatchTask: fromBundle(bundle).runBatchTask, compiled: true };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fromSource = require('./worker') as { runBatchTask: RunBatchTask };
  return { runBatchTask: fromSource.runBatchTask, compiled: false };
}

/** A `BatchRunner` on lanes. */
export interface LanePool extends BatchRunner {
  /** The process ids of the lane processes now running (none when this process is the lane). */
  lanePids(): number[];
}

/** Batches a lane process holds at once: the one it replays and the next, waiting in its pipe. */
const BATCHES_PER_LANE = 2;
/** Lane processes a batch may take down before the run fails with it. */
const ATTEMPTS = 2;
/** glibc's malloc for a lane process: two arenas (its default: 8 per core, one per thread that allocates). */
const LANE_ENV = {
  MALLOC_ARENA_MAX: '2',
  // A fixed threshold: glibc otherwise raises it to the largest block freed so far (up to 32 MB),
  // after which a batch's buffers are carved out of the heap and its fragments are never returned.
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '1048576',
};
/**
 * V8's own defaults. Measured on 2 lanes on 2 cores (median patient, 3,000 records, alternating
 * pairs, docs/performance.md): a 4 MB semi-space (`--max-semi-space-size=4`) cost 15–40 % more CPU
 * per record for about 20 MB less RSS per run; a full collection after each batch (`--expose-gc`,
 * `gc()`) halved a lane's records per CPU-second.
 */
const LANE_V8_FLAGS: string[] = [];

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Job {
  task: BatchTask;
  resolve: (outcome: BatchOutcome) => void;
  reject: (error: unknown) => void;
  /** Lane processes this batch was handed to. */
  attempts: number;
}

/** What a lane process answers (lane-process.cjs). */
type LaneReply = { id: number; outcome: BatchOutcome } | { id: number; error: string };

interface Lane {
  child: ChildProcess;
  jobs: Map<number, Job>;
}

/**
 * `lanes` lanes: 1 is this process alone, replaying a batch a patient at a time and yielding
 * between patients; more are `lanes` lane processes, started with the first batch, each given
 * the compiled task and then batches, two at most at a time. Batches wait in one queue and go to
 * whichever lane is free. `env` is the lane processes' environment (a site model's OIP auth header), to
 * which `MALLOC_ARENA_MAX=2` is added unless it sets one.
 */
export function lanePool(lanes: number, env: NodeJS.ProcessEnv): LanePool {
  return lanes <= 1 ? inProcess() : laneProcesses(lanes, env);
}

/** One lane: this process. */
function inProcess(): LanePool {
  const here = loadBatchTask().runBatchTask;
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  const runHere = async (task: BatchTask): Promise<BatchOutcome> => {
    const out: BatchOutcome = { results: [], unreadable: 0, rejected: 0 };
    for (const unit of task.units) {
      const one = await here({ units: [unit], options: task.options });
      out.results.push(...one.results);
      out.unreadable += one.unreadable;
      out.rejected += one.rejected;
      await nextTurn();
    }
    return out;
  };
  return {
    threads: 1,
    readsLocalFiles: true,
    lanePids: () => [],
    run: (task) => {
      if (closed) return Promise.reject(new Error('the lane pool is closed'));
      const result = tail.then(() => runHere(task));
      tail = result.catch(() => undefined);
      return result;
    },
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
}

/** `lanes` lane processes; this process hands out batches and receives the outcomes. */
function laneProcesses(lanes: number, env: NodeJS.ProcessEnv): LanePool {
  const bundle = workerBundle();
  // This process reads the source and keeps the results; the lanes compute. Held here, after the
  // compile and after any worker thread started before (a store's database, esbuild's compiler
  // where the CLI did not start without it), which had V8's flags set again.
  youngGenerationGrowth(false);
  const entry = join(__dirname, 'lane-process.cjs');
  const queue: Array<{ id: number } & Job> = [];
  const live = new Set<Lane>();
  let nextId = 0;
  /** Lane processes that died since a batch last finished. */
  let deaths = 0;
  let failure: Error | undefined;
  let closing = false;

  const failAll = (error: Error): void => {
    failure ??= error;
    for (const job of queue.splice(0)) job.reject(error);
    for (const lane of live) {
      for (const job of lane.jobs.values()) job.reject(error);
      lane.jobs.clear();
    }
  };

  const start = (): void => {
    const child = fork(entry, [], {
      env: { ...LANE_ENV, ...env },
      execArgv: LANE_V8_FLAGS,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const lane: Lane = { child, jobs: new Map() };
    live.add(lane);
    child.send({ bundle: bundle ?? null });
    child.on('message', (reply: LaneReply) => {
      const job = lane.jobs.get(reply.id);
      if (!job) return;
      lane.jobs.delete(reply.id);
      deaths = 0;
      if ('error' in reply) job.reject(new Error(`a lane failed on a batch: ${reply.error}`));
      else job.resolve(reply.outcome);
      pump();
    });
    let gone = false;
    const onGone = (why: string): void => {
      if (gone) return;
      gone = true;
      live.delete(lane);
      if (closing) return;
      deaths++;
      // Its batches go back to the front of the queue, in order, unless they took down a lane before.
      const orphans = [...lane.jobs.entries()].map(([id, job]) => ({ id, ...job }));
      lane.jobs.clear();
      for (const job of orphans.reverse()) {
        if (job.attempts >= ATTEMPTS)
          job.reject(
            new Error(
              `a batch of ${job.task.units.length} patients was in ${ATTEMPTS} lane processes that died (last: ${why})`,
            ),
          );
        else queue.unshift(job);
      }
      if (deaths > lanes * ATTEMPTS) {
        failAll(new Error(`lane processes keep dying without finishing a batch (last: ${why})`));
        return;
      }
      start();
      pump();
    };
    child.once('exit', (code, signal) => onGone(signal ? `signal ${signal}` : `exit code ${code}`));
    child.once('error', (e) => {
      onGone(e.message);
      child.kill('SIGKILL');
    });
  };

  const pump = (): void => {
    while (queue.length > 0) {
      let lane: Lane | undefined;
      for (const l of live)
        if (l.child.connected && l.jobs.size < BATCHES_PER_LANE && (!lane || l.jobs.size < lane.jobs.size))
          lane = l;
      if (!lane) return;
      const { id, ...job } = queue.shift()!;
      job.attempts++;
      lane.jobs.set(id, job);
      lane.child.send({ id, task: job.task });
    }
  };

  // Started with the first batch: a run reads the whole export before it replays anyone, and lanes
  // idle meanwhile would hold their memory beside the export pass's.
  let started = false;
  const startLanes = (): void => {
    if (started) return;
    started = true;
    // The export pass leaves garbage V8 has not yet collected (this process at 206 MB against
    // 142 MB a few seconds later on a 20,000-patient export), which would otherwise sit beside the
    // lanes while they load the model and set the run's peak.
    collectGarbage();
    for (let i = 0; i < lanes; i++) start();
  };

  let closed: Promise<void> | undefined;
  return {
    threads: lanes,
    readsLocalFiles: true,
    lanePids: () => [...live].flatMap((lane) => (lane.child.pid === undefined ? [] : [lane.child.pid])),
    run: (task) =>
      new Promise<BatchOutcome>((resolve, reject) => {
        if (closed) return reject(new Error('the lane pool is closed'));
        if (failure) return reject(failure);
        queue.push({ id: nextId++, task, resolve, reject, attempts: 0 });
        startLanes();
        pump();
      }),
    close: () =>
      (closed ??= (async () => {
        closing = true;
        // The report step, which this process runs alone, computes.
        youngGenerationGrowth(true);
        failAll(new Error('the lane pool is closed'));
        await Promise.all(
          [...live].map(
            (lane) =>
              new Promise<void>((resolve) => {
                if (lane.child.exitCode !== null || lane.child.signalCode !== null) return resolve();
                lane.child.once('exit', () => resolve());
                if (lane.child.connected) lane.child.disconnect();
                else lane.child.kill();
              }),
          ),
        );
      })()),
  };
}
