/**
 * `npm run bench:profile`: where the service's CPU goes on the bench's headline call. Starts the
 * service as `npm run bench` does, under `node --cpu-prof`, sends patient-view calls for the median
 * shared Synthea chart by body size (`--chart p90`: the 90th percentile; `--chart entries`: the median by resource count, the chart of `npm run bench`'s c=1 and c=16 rows; full prefetch, fresh JWT
 * each), stops it, and prints self time grouped by package or source area, then the heaviest
 * functions. `--floor` profiles the bench's floor server instead (body read, JSON.parse, JWT
 * verify, empty answer): the same numbers for what every hook call costs at least. `--model-free`
 * profiles the service with the record's reading and the knowledge model made once per patient and
 * reused (lib/model-free.ts): what the rest of the hook path costs. `--connections N` (default 1) and
 * `--requests N` (default 2000) and `--warmup N` (default 1000, not measured) set the load; `--plain` measures without the profiler;
 * `--node-args "…"` and `--env K=V` change how the service is started. The
 * .cpuprofile files stay in the printed directory for Chrome DevTools; `--analyze FILE` reads one
 * (`--calls N`, `--window START,END` as printed, to count only the measured calls).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCannon } from './lib/cannon';
import { modelFreeBundle } from './lib/model-free';
import { startProofStack } from './lib/stack';
import { round } from './lib/stats';
import { TokenPool } from './lib/tokens';
import {
  BodyTemplate,
  chartsBySize,
  hasSynthea,
  sizedChart,
  syntheaFiles,
  syntheaSpread,
} from './lib/workload';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Per-thread CPU time (ms) of a process, by thread id, with the thread's name (Linux only). */
function threadTimes(pid: number): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  const tick = 1000 / 100; // USER_HZ
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, {
        name: tid === String(pid) ? 'main thread' : name,
        ms: (Number(fields[11]) + Number(fields[12])) * tick,
      });
    }
  } catch {
    // Not Linux, or the process is gone: no per-thread numbers.
  }
  return out;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Source areas, first match wins: package names under node_modules, then the service's folders. */
const AREAS: Array<[RegExp, string]> = [
  [/node_modules\/@electric-sql\/pglite|^wasm:/, 'PGlite (embedded PostgreSQL)'],
  [/node_modules\/jose/, 'jose (JWT)'],
  [/node_modules\/zod/, 'zod (validation)'],
  [/node_modules\/(body-parser|raw-body|iconv-lite)/, 'body parsing'],
  [/node_modules\/(express|router|finalhandler|send|serve-static)/, 'express'],
  [/node_modules\/(pino|sonic-boom|thread-stream)/, 'pino (logging)'],
  [/node_modules\/helmet/, 'helmet'],
  [/node_modules\/express-rate-limit/, 'rate limit'],
  [/node_modules\/([^/]+)/, 'other packages'],
  [/cds-service\/src\/model\//, 'model'],
  [/cds-service\/src\/cards\//, 'cards'],
  [/cds-service\/src\/fhir\//, 'record (fhir/)'],
  [/cds-service\/src\/store\//, 'store (our code)'],
  [/cds-service\/src\/http\//, 'http (our code)'],
  [/cds-service\/src\/hooks\//, 'hooks (our code)'],
  [/shared-types\//, 'shared-types'],
  [/cds-service\//, 'service (other)'],
];

/**
 * A frame's area; Node's own JavaScript and native frames count for the nearest caller that is
 * neither (a Blob read inside PGlite is PGlite's cost).
 */
function areaOf(node: ProfileNode, parent: Map<number, ProfileNode>): string {
  const { functionName } = node.callFrame;
  if (!node.callFrame.url && functionName.startsWith('(')) return functionName; // (garbage collector), (program), (idle)
  for (let n: ProfileNode | undefined = node; n; n = parent.get(n.id)) {
    const url = n.callFrame.url;
    if (!url || url.startsWith('node:')) continue;
    for (const [re, name] of AREAS) if (re.test(url)) return name;
    return 'other';
  }
  return node.callFrame.url ? 'node core (JS)' : `native: ${functionName || '(anonymous)'}`;
}

async function main(): Promise<void> {
  const existing = process.argv.indexOf('--analyze');
  if (existing >= 0) {
    const w = process.argv[process.argv.indexOf('--window') + 1]?.split(',').map(Number);
    analyze(
      process.argv[existing + 1] as string,
      arg('--calls', 1),
      process.argv.includes('--window') && w?.length === 2 ? [w[0] as number, w[1] as number] : undefined,
    );
    return;
  }
  if (!hasSynthea())
    throw new Error('the shared Synthea patients are not on this machine (../shared/data/synthea-r4)');
  const connections = arg('--connections', 1);
  const plain = process.argv.includes('--plain');
  const nodeArgsAt = process.argv.indexOf('--node-args');
  // `--env K=V` (repeatable): extra environment for the service, e.g. UV_THREADPOOL_SIZE=2.
  const serviceEnv = Object.fromEntries(
    process.argv.flatMap((a, i) =>
      process.argv[i - 1] === '--env' && a.includes('=')
        ? [[a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]]
        : [],
    ),
  );
  const extraNodeArgs =
    nodeArgsAt >= 0 ? (process.argv[nodeArgsAt + 1] ?? '').split(' ').filter(Boolean) : [];
  const requests = arg('--requests', 2000);
  const warmup = arg('--warmup', 1000);
  const measuredWindow: [number, number] = [0, Infinity];
  const profDir = mkdtempSync(path.join(tmpdir(), 'rationale-profile-'));
  const onFloor = process.argv.includes('--floor');
  const modelFree = !onFloor && process.argv.includes('--model-free');
  const chartAt = process.argv.indexOf('--chart');
  const chartName = chartAt >= 0 ? process.argv[chartAt + 1] : 'median';
  if (chartName !== 'median' && chartName !== 'p90' && chartName !== 'entries')
    throw new Error('--chart is median, p90 or entries');
  const files = syntheaFiles();
  const profiled = [...extraNodeArgs, ...(plain ? [] : ['--cpu-prof', `--cpu-prof-dir=${profDir}`])];
  const stack = await startProofStack({
    synthea: files,
    serveSandbox: true,
    env: serviceEnv,
    nodeArgs: onFloor ? [] : profiled,
    ...(modelFree ? { serviceScript: await modelFreeBundle() } : {}),
    floor: onFloor,
    floorNodeArgs: profiled,
  });
  try {
    const chart =
      chartName === 'entries'
        ? await sizedChart(stack.workbench, syntheaSpread(files).median)
        : (await chartsBySize(stack.workbench, files))[chartName];
    process.stdout.write(
      `${onFloor ? 'Floor server' : modelFree ? 'Service with its model made free (--model-free)' : 'Service'}; ${chartName} chart: ${chart.file.file} (${round(chart.bytes / 1024, 1)} KB, ${chart.resources} resources)\n`,
    );
    const server = onFloor && stack.floor ? stack.floor : stack.service;
    const body = [new BodyTemplate(chart.request)];
    const target = async (n: number) => ({
      path: '/cds-services/rationale-patient-view',
      bodies: body,
      pool: await TokenPool.create(stack.client, `${server.url}/cds-services/rationale-patient-view`, n + 64),
    });
    await runCannon({
      baseUrl: server.url,
      connections,
      amount: warmup,
      targets: [await target(warmup)],
    });
    const measured = await target(requests);
    const before = threadTimes(server.pid);
    const self0 = process.cpuUsage();
    // V8 stamps profile samples with the monotonic clock hrtime reads: only the measured calls count.
    measuredWindow[0] = Number(process.hrtime.bigint() / 1000n);
    const result = await runCannon({
      baseUrl: server.url,
      connections,
      amount: requests,
      targets: [measured],
    });
    const self = process.cpuUsage(self0);
    measuredWindow[1] = Number(process.hrtime.bigint() / 1000n);
    const after = threadTimes(server.pid);
    process.stdout.write(
      `${requests} calls at c=${connections}: ${result.rps}/s, p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms\n`,
    );
    // A figure measured on refusals would mean nothing: say so when any answer was not a 200.
    const refused = Object.entries(result.statuses).filter(([status]) => status !== '200');
    if (refused.length || result.errors || result.timeouts)
      process.stdout.write(
        `NOT ALL ANSWERED 200: ${JSON.stringify(result.statuses)}, ${result.errors} errors, ${result.timeouts} timeouts\n`,
      );
    // CPU per call by thread of the service (Linux /proc), and of the load generator (this process).
    const perCall = (ms: number) => `${round(ms / requests, 3)} ms/call`;
    const byName = new Map<string, number>();
    for (const [tid, t] of after) {
      const spent = t.ms - (before.get(tid)?.ms ?? 0);
      // Node names none of its threads: each is listed by id, busiest first (main thread named).
      if (spent > 0) byName.set(t.name === 'main thread' ? t.name : `${t.name} thread ${tid}`, spent);
    }
    process.stdout.write('Service CPU by thread:\n');
    for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]))
      process.stdout.write(`  ${perCall(ms).padStart(16)}  ${name}\n`);
    process.stdout.write(`Load generator (this process): ${perCall((self.user + self.system) / 1000)}\n`);
  } finally {
    await stack.close();
  }
  if (plain) return;
  // One file per thread: the main thread's is numbered 0 (`CPU.<date>.<time>.<pid>.0.<seq>`).
  const profiles = readdirSync(profDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  if (!profiles.length) throw new Error(`no profile written in ${profDir}`);
  for (const file of profiles) analyze(path.join(profDir, file), requests, measuredWindow);
}

/**
 * Self time by area and by function in one .cpuprofile, per call; with `window` (monotonic µs),
 * only the samples taken in it (the measured calls, not start-up or warm-up).
 */
function analyze(file: string, calls: number, window: [number, number] = [0, Infinity]): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at >= window[0] && at <= window[1]) selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const area = areaOf(node, parent);
    if (area === '(idle)') continue;
    busy += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = node.callFrame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^.*\/(cds-service|shared-types)\//, '$1/');
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const pct = (us: number) => `${round((100 * us) / busy, 1)}%`;
  const perCall = (us: number) => `${round(us / 1000 / calls, 3)} ms/call`;
  process.stdout.write(`\nBusy (non-idle) CPU on this thread: ${perCall(busy)} over ${calls} calls\n\n`);
  for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    process.stdout.write(`${pct(us).padStart(6)}  ${perCall(us).padStart(16)}  ${area}\n`);
  }
  process.stdout.write('\nHeaviest functions (self time):\n');
  for (const [fn, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    process.stdout.write(`${pct(us).padStart(6)}  ${fn}\n`);
  }
  process.stdout.write(`\nProfile: ${file} (--window ${window.join(',')})\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
