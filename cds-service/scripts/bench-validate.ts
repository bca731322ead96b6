/**
 * `npm run bench:validate`: the validation targets of issue 15, measured.
 *
 * 1. Throughput per core, cross-sectional mode, on the median shared Synthea patient (by resource
 *    count): that patient, converted to a Bulk Data export and handed to the lanes as
 *    `validate --export` hands them a patient (a reference into its spill file, which the lane
 *    reads), replayed over and over on the pool with 1 lane on 1 core (this process) and with 2
 *    lanes on 2 cores (two lane processes; this one hands out batches), after a warm-up per lane. Patient-records per second, CPU time / wall time, and the ratio 2 cores / 1 core.
 *    Cores, not threads: V8 runs its own helper threads beside JavaScript (optimizing compiler,
 *    concurrent and parallel garbage collection), so one lane left free to roam uses more than one
 *    core (about 1.3 measured on 2 cores), and "1 thread vs 2 threads" compares 1.3 cores with 2.
 *    Each measurement therefore runs in a child process pinned with `taskset` (util-linux) to 1
 *    core, then to 2; where taskset is missing it runs in this process, unpinned, with a warning.
 * 2. Memory on a generated export: N patients (default 20,000) made from the shared bundles by
 *    re-identified copies (bundles-to-export --patients), written to a temporary folder and
 *    removed after; `rationale validate --export` run on it as a site would (its own process and
 *    its lane processes, every core). Peak RSS is of the whole process tree: the RSS of the CLI
 *    and its lanes summed, sampled every 200 ms, or GNU time's maximum resident set size of the
 *    largest single process if that is higher; the summed RSS is also read at every tenth of the
 *    run, to show whether it grows with the patients read.
 * 3. Wall time of the full report (defaults: both modes, 500 bootstrap replicates, every core) for
 *    the shared patients (221), by `rationale validate --bundles`.
 *
 *   npm run bench:validate [-- --patients N] [--records N] [--warmup N] [--report-patients N]
 *     [--rss-mode MODE] [--data DIR] [--json FILE] [--only throughput,memory,report]
 *
 * `--quick`: 500 patients, 200 records, 30 report patients: a check that the bench runs end to
 * end, not a measurement. Run the full bench on a quiet machine: it takes the cores it is given.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { partitionExport, type PatientUnit, type SpillUnit } from '../src/validation/export-reader';
import { lanePool } from '../src/validation/pool';
import { DEFAULT_REPLAY_OPTIONS, type ReplayMode, type ReplayOptions } from '../src/validation/replay';
import { bundlesToExport } from './bundles-to-export';

const CLI = resolve(__dirname, '..', 'bin', 'rationale.cjs');
const TARGETS = {
  perCore: 200, // patient-records/s per core, cross-sectional, median patient
  scaling: 1.8, // 2 lanes on 2 cores / 1 lane on 1 core
  rssMb: 512, // on 20,000 patients
  reportSeconds: 30, // the report for the 221 shared patients
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    // Internal: this script as the pinned child of one throughput measurement (see laneRun).
    'throughput-child': { type: 'string' },
    lanes: { type: 'string' },
    patients: { type: 'string' },
    records: { type: 'string' },
    warmup: { type: 'string' },
    only: { type: 'string' },
    'report-patients': { type: 'string' },
    'rss-mode': { type: 'string' },
    data: { type: 'string' },
    json: { type: 'string' },
  },
});
const count = (value: string | undefined, fallback: number, option: string): number => {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${option} must be a whole number ≥ 1`);
  return Number(value);
};
const QUICK = values.quick ?? false;
const DATA = resolve(values.data ?? join(__dirname, '../../../shared/data/synthea-r4'));
const EXPORT_PATIENTS = count(values.patients, QUICK ? 500 : 20_000, '--patients');
const RECORDS = count(values.records, QUICK ? 200 : 3000, '--records');
const PART_NAMES = ['throughput', 'memory', 'report'];
/** `--only throughput,memory`: the parts to run (default all three). */
const PARTS = new Set(values.only ? values.only.split(',') : PART_NAMES);
for (const part of PARTS)
  if (!PART_NAMES.includes(part)) throw new Error(`--only takes ${PART_NAMES.join(', ')}, not ${part}`);
/**
 * Records each lane replays before the clock starts. Each lane is a V8 isolate of its own that
 * compiles the model's hot paths for itself, and its optimizing compiler is still at work for the
 * first few hundred records (one lane: 189 optimizations in its first 500 records, 122 more in the
 * next 2,500): a short warm-up charges the 2-lane run with two isolates' compiling, which a
 * validation of thousands of patients spreads over its whole run.
 */
const WARMUP = count(values.warmup, QUICK ? 10 : 300, '--warmup');
const REPORT_PATIENTS = values['report-patients']
  ? count(values['report-patients'], 0, '--report-patients')
  : QUICK
    ? 30
    : undefined;
const RSS_MODE = (values['rss-mode'] ?? 'both') as ReplayMode;
if (!['both', 'cross-sectional', 'as-of'].includes(RSS_MODE))
  throw new Error('--rss-mode must be both, cross-sectional or as-of');

const bundles = readdirSync(DATA)
  .filter((f) => f.endsWith('.json'))
  .sort();
if (!bundles.length) throw new Error(`no bundles in ${DATA}`);

const log = (text: string) => process.stdout.write(`${text}\n`);

/** The median bundle by resource count. */
function medianBundle(): { file: string; resources: number } {
  const sized = bundles
    .map((file) => ({
      file,
      resources:
        (JSON.parse(readFileSync(join(DATA, file), 'utf8')) as { entry?: unknown[] }).entry?.length ?? 0,
    }))
    .sort((a, b) => a.resources - b.resources || a.file.localeCompare(b.file));
  return sized[Math.floor((sized.length - 1) / 2)]!;
}

/**
 * One patient as `validate --export` hands it to its lanes: converted to an export, partitioned,
 * and referenced in its spill file (a `SpillUnit`), which the lane replaying it reads each time, as
 * a real run's lanes read each patient. The spill file stays in `work` until the bench ends.
 */
async function exportUnit(file: string, work: string): Promise<SpillUnit> {
  mkdirSync(join(work, 'one'));
  symlinkSync(join(DATA, file), join(work, 'one', file));
  await bundlesToExport(join(work, 'one'), join(work, 'one-export'));
  const partitioned = await partitionExport(join(work, 'one-export'), join(work, 'one-spill'));
  const units = [...partitioned.spillUnits()];
  if (units.length !== 1) throw new Error(`expected one patient in ${file}, read ${units.length}`);
  return units[0]!;
}

/** The process `pid` and its descendants (Linux: /proc), `pid` first. */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${out[i]!}/task`))
        for (const child of readFileSync(`/proc/${out[i]!}/task/${task}/children`, 'utf8')
          .trim()
          .split(/\s+/))
          if (child) out.push(Number(child));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Clock ticks per second of /proc/PID/stat's CPU times (USER_HZ: 100 on Linux). */
const TICKS = 100;

/**
 * CPU seconds (user + system, every thread) of `pid` and its living descendants: the lanes of a
 * lane pool are processes of their own, which `process.cpuUsage()` does not count.
 */
function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      // gone meanwhile
    }
  }
  return ticks / TICKS;
}

/** One throughput measurement: the rate, and how many cores the process kept busy meanwhile. */
interface LaneRun {
  lanes: number;
  /** The CPUs the process was pinned to (taskset -c), or undefined when it was not pinned. */
  cpus?: string;
  records: number;
  recordsPerSecond: number;
  /** CPU time of the process and its lane processes (every thread: lanes, V8 helpers) over wall time. */
  cpuPerWall: number;
  /**
   * CPU milliseconds per record of this process alone: with lane processes, what handing out the
   * batches and receiving the results costs beside them (as the CLI process of `validate`).
   */
  coordinatorMsPerRecord: number;
}

/**
 * Patient-records per second on `lanes` lanes (1: this process; more: lane processes), the same
 * unit replayed `records` times, after `warmup` records per lane.
 */
async function throughput(
  unit: PatientUnit,
  lanes: number,
  records: number,
  warmup: number,
): Promise<LaneRun> {
  const pool = lanePool(lanes, process.env);
  const options: ReplayOptions = { ...DEFAULT_REPLAY_OPTIONS, mode: 'cross-sectional' };
  const batchSize = 25;
  try {
    // Warm-up: every lane loads the model and compiles the hot paths before the clock starts.
    const warmBatches = Math.max(2, Math.ceil(warmup / 5)) * lanes;
    const warmQueue = Array.from({ length: warmBatches }, () => 5);
    await Promise.all(
      Array.from({ length: lanes * 2 }, async () => {
        while (warmQueue.pop() !== undefined)
          await pool.run({ units: Array<PatientUnit>(5).fill(unit), options });
      }),
    );
    const batches = Math.ceil(records / batchSize);
    const cpuBefore = treeCpuSeconds(process.pid);
    const ownBefore = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    let done = 0;
    // As many batches in flight as validate keeps (two per lane).
    await Promise.all(
      Array.from({ length: lanes * 2 }, async () => {
        while (next < batches) {
          const n = Math.min(batchSize, records - next * batchSize);
          next++;
          const out = await pool.run({ units: Array<PatientUnit>(n).fill(unit), options });
          if (out.results.length !== n) throw new Error(`replayed ${out.results.length} of ${n}`);
          done += n;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = treeCpuSeconds(process.pid) - cpuBefore;
    const own = process.cpuUsage(ownBefore);
    return {
      lanes,
      records: done,
      recordsPerSecond: done / seconds,
      cpuPerWall: cpu / seconds,
      coordinatorMsPerRecord: (own.user + own.system) / 1000 / done,
    };
  } finally {
    await pool.close();
  }
}

/** The CPUs this process may run on (Linux: /proc/self/status), in order. */
function allowedCpus(): number[] {
  try {
    const m = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (!m) return [];
    return m[1]!.split(',').flatMap((range) => {
      const [from, to] = range.split('-').map(Number);
      return Array.from({ length: (to ?? from!) - from! + 1 }, (_, i) => from! + i);
    });
  } catch {
    return [];
  }
}

const hasTaskset = (): boolean => spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * One measurement in a child process (this script, `--throughput-child`) pinned to `cpus`, so
 * neither its lanes nor V8's helper threads use a core beyond them.
 */
function pinnedRun(
  unitFile: string,
  lanes: number,
  cpus: number[],
  records: number,
  warmup: number,
): Promise<LaneRun> {
  return new Promise((resolvePromise, reject) => {
    const list = cpus.join(',');
    const child = spawn(
      'taskset',
      [
        '-c',
        list,
        process.execPath,
        ...process.execArgv,
        __filename,
        '--throughput-child',
        unitFile,
        '--lanes',
        String(lanes),
        '--records',
        String(records),
        '--warmup',
        String(warmup),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line)
        return reject(new Error(`throughput on CPUs ${list} failed (${code}): ${stdout}`));
      resolvePromise({ ...(JSON.parse(line) as LaneRun), cpus: list });
    });
  });
}

/**
 * Throughput on 1 core (1 lane) and on 2 cores (2 lanes), pinned; unpinned in this process, with
 * a warning, where taskset is missing or fewer than 2 CPUs are allowed.
 */
async function perCore(unit: PatientUnit, work: string, records: number, warmup: number): Promise<LaneRun[]> {
  const cpus = allowedCpus();
  if (hasTaskset() && cpus.length >= 2) {
    const unitFile = join(work, 'unit.json');
    writeFileSync(unitFile, JSON.stringify(unit));
    return [
      await pinnedRun(unitFile, 1, cpus.slice(0, 1), records, warmup),
      await pinnedRun(unitFile, 2, cpus.slice(0, 2), records, warmup),
    ];
  }
  log(
    `WARNING: ${cpus.length >= 2 || !cpus.length ? 'taskset (util-linux) not found' : 'fewer than 2 CPUs allowed'}: ` +
      'lanes measured unpinned in this process; V8 helper threads then use other cores, so "1 lane" is more than 1 core (see cpu/wall)',
  );
  return [await throughput(unit, 1, records, warmup), await throughput(unit, 2, records, warmup)];
}

interface CliRun {
  seconds: number;
  /**
   * Peak RSS of the CLI and its lane processes together: the larger of the summed RSS sampled
   * every `RSS_SAMPLE_MS` and GNU time's maximum RSS of the largest single process.
   */
  maxRssMb: number;
  /** The peak of the summed RSS, sampled. */
  sampledTreeRssMb: number;
  /** GNU time's maximum resident set size: of the largest process of the tree alone. */
  largestProcessRssMb: number;
  /** Processes seen in the tree at once, at most (the CLI and its lanes). */
  processes: number;
  /** Summed RSS (MB) when each tenth of the patients was done. */
  rssByProgress: Array<{ done: number; total: number; rssMb: number }>;
  stdout: string;
}

const RSS_SAMPLE_MS = 200;

/**
 * RSS of `pid` and its descendants, summed (MB). Pages the processes share (the node binary's code)
 * are counted once per process: the sum errs high, never low.
 */
const treeRssMb = (pid: number): { mb: number; processes: number } => {
  let kb = 0;
  let processes = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) {
        kb += Number(m[1]);
        processes++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return { mb: kb / 1024, processes };
};

/**
 * Runs the CLI under GNU time: wall time, peak RSS of the CLI's process tree (its lane processes
 * included), and that RSS at each progress line.
 */
function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const rssByProgress: CliRun['rssByProgress'] = [];
    // GNU time's child is the CLI's node process.
    const cliPid = (): number | undefined => {
      try {
        const first = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
          .trim()
          .split(/\s+/)[0];
        return first ? Number(first) : undefined;
      } catch {
        return undefined;
      }
    };
    let sampledPeak = 0;
    let processes = 0;
    const sample = (): number | undefined => {
      const pid = cliPid();
      if (!pid) return undefined;
      const tree = treeRssMb(pid);
      sampledPeak = Math.max(sampledPeak, tree.mb);
      processes = Math.max(processes, tree.processes);
      return tree.mb;
    };
    const sampler = setInterval(sample, RSS_SAMPLE_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      stderr += text;
      for (const m of text.matchAll(/\] (\d+)\/(\d+) patients/g)) {
        const rssMb = sample();
        if (rssMb !== undefined) rssByProgress.push({ done: Number(m[1]), total: Number(m[2]), rssMb });
      }
    });
    child.once('error', (e) => {
      clearInterval(sampler);
      reject(e);
    });
    child.once('exit', (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      const rss = /maxrss_kb=(\d+)/.exec(stderr);
      if (code !== 0 || !rss)
        return reject(new Error(`rationale ${args[0]} failed (${code}): ${stderr.slice(-2000)}`));
      const largestProcessRssMb = Number(rss[1]) / 1024;
      resolvePromise({
        seconds,
        maxRssMb: Math.max(sampledPeak, largestProcessRssMb),
        sampledTreeRssMb: sampledPeak,
        largestProcessRssMb,
        processes,
        rssByProgress,
        stdout,
      });
    });
  });
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
/** The load averages (1, 5, 15 min) now: other work on the machine skews every number here. */
const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** `--throughput-child UNIT_FILE` (the spill unit as JSON): one measurement, printed as one JSON line (see pinnedRun). */
async function throughputChild(unitFile: string): Promise<void> {
  const unit = JSON.parse(readFileSync(unitFile, 'utf8')) as SpillUnit;
  const run = await throughput(unit, count(values.lanes, 1, '--lanes'), RECORDS, WARMUP);
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

async function main(): Promise<void> {
  if (values['throughput-child'] !== undefined) return throughputChild(values['throughput-child']);
  const work = mkdtempSync(join(tmpdir(), 'rationale-bench-validate-'));
  const results: Record<string, unknown> = {
    when: new Date().toISOString(),
    cpus: `${availableParallelism()} × ${cpus()[0]?.model ?? 'unknown'}`,
    node: process.version,
    quick: QUICK,
  };
  try {
    log(
      `bench:validate — ${results.cpus as string}, Node ${process.version}${QUICK ? ' (quick: not a measurement)' : ''}`,
    );

    // 1. Throughput per core and scaling.
    if (PARTS.has('throughput')) {
      const median = medianBundle();
      const unit = await exportUnit(median.file, work);
      log(
        `median shared patient: ${median.file} (${median.resources} resources, the median of ${bundles.length} patients)`,
      );
      const loadBefore = load();
      const [one, two] = (await perCore(unit, work, RECORDS, WARMUP)) as [LaneRun, LaneRun];
      const scaling = two.recordsPerSecond / one.recordsPerSecond;
      results.throughput = {
        patient: median.file,
        resources: median.resources,
        records: RECORDS,
        warmupPerLane: WARMUP,
        oneCore: one,
        twoCores: two,
        scaling,
      };
      // Records per CPU-second: what a record costs, whatever else ran on the machine. On a shared
      // machine the lanes get less than their cores (cpu/wall below 1 and 2) and the rates fall
      // with it; equal costs per record on 1 and 2 lanes mean the second core adds no work.
      const perCpu = (r: LaneRun) => `${fmt(r.recordsPerSecond / r.cpuPerWall)} per CPU-second`;
      const where = (r: LaneRun) => (r.cpus !== undefined ? `CPU ${r.cpus}` : 'unpinned');
      log(
        `cross-sectional, ${RECORDS} patient-records after ${WARMUP} per lane: ` +
          `1 lane on 1 core (${where(one)}) ${fmt(one.recordsPerSecond)}/s, cpu/wall ${fmt(one.cpuPerWall, 2)}, ${perCpu(one)} (target ≥ ${TARGETS.perCore}: ${verdict(one.recordsPerSecond >= TARGETS.perCore)}); ` +
          `2 lanes on 2 cores (${where(two)}) ${fmt(two.recordsPerSecond)}/s, cpu/wall ${fmt(two.cpuPerWall, 2)}, ${perCpu(two)}, the process handing out batches ${fmt(two.coordinatorMsPerRecord, 3)} ms of CPU per record; ` +
          `scaling ${fmt(scaling, 2)}× (target ≥ ${TARGETS.scaling}: ${verdict(scaling >= TARGETS.scaling)}); ${loadBefore} before, ${load()} after`,
      );
    }

    // 2. Memory on a generated export.
    if (PARTS.has('memory')) {
      const exportDir = join(work, 'export');
      const generatedAt = performance.now();
      const generated = await bundlesToExport(DATA, exportDir, { gzip: true, patients: EXPORT_PATIENTS });
      log(
        `generated export: ${generated.patients} patients, ${Object.values(generated.resources).reduce((a, b) => a + b, 0)} resources (${fmt((performance.now() - generatedAt) / 1000)} s)`,
      );
      const memoryLoad = load();
      const big = await runCli([
        'validate',
        '--export',
        exportDir,
        '--out',
        join(work, 'export-report'),
        '--mode',
        RSS_MODE,
      ]);
      rmSync(exportDir, { recursive: true, force: true });
      results.memory = {
        patients: generated.patients,
        mode: RSS_MODE,
        seconds: big.seconds,
        maxRssMb: big.maxRssMb,
        sampledTreeRssMb: big.sampledTreeRssMb,
        largestProcessRssMb: big.largestProcessRssMb,
        processes: big.processes,
        rssByProgress: big.rssByProgress,
      };
      log(
        `validate --export (${generated.patients} patients, mode ${RSS_MODE}): peak RSS ${fmt(big.maxRssMb)} MB` +
          (generated.patients >= 20_000
            ? ` (target ≤ ${TARGETS.rssMb} MB: ${verdict(big.maxRssMb <= TARGETS.rssMb)})`
            : ` (the target is judged on 20,000 patients)`) +
          ` (${big.processes} process(es) summed, sampled every ${RSS_SAMPLE_MS} ms: ${fmt(big.sampledTreeRssMb)} MB; largest process alone ${fmt(big.largestProcessRssMb)} MB)` +
          `, ${fmt(big.seconds)} s; ${memoryLoad} before, ${load()} after`,
      );
      log(
        `  RSS by progress: ${big.rssByProgress.map((p) => `${p.done}/${p.total} ${fmt(p.rssMb, 0)} MB`).join(', ')}`,
      );
    }

    // 3. The full report for the shared patients.
    if (PARTS.has('report')) {
      let reportSource = DATA;
      if (REPORT_PATIENTS !== undefined) {
        reportSource = join(work, 'report-bundles');
        mkdirSync(reportSource);
        for (const f of bundles.slice(0, REPORT_PATIENTS)) symlinkSync(join(DATA, f), join(reportSource, f));
      }
      const patients = Math.min(REPORT_PATIENTS ?? bundles.length, bundles.length);
      const reportLoad = load();
      const report = await runCli(['validate', '--bundles', reportSource, '--out', join(work, 'report')]);
      results.report = { patients, seconds: report.seconds, maxRssMb: report.maxRssMb };
      log(
        `report for ${patients} shared patients (both modes, 500 replicates, ${availableParallelism()} threads): ${fmt(report.seconds)} s wall` +
          (patients === 221
            ? ` (target < ${TARGETS.reportSeconds} s: ${verdict(report.seconds < TARGETS.reportSeconds)})`
            : ' (the target is judged on the 221)') +
          `, peak RSS ${fmt(report.maxRssMb)} MB; ${reportLoad} before, ${load()} after`,
      );
    }

    if (values.json) {
      mkdirSync(dirname(resolve(values.json)), { recursive: true });
      writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
      log(`wrote ${values.json}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:validate failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
