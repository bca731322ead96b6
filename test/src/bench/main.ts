/**
 * `npm run bench`: the CDS service under measurement, production-like — its own process, auth on
 * with a trusted test issuer, PGlite in a temporary DATA_DIR, a fresh ES384 JWT (unique `jti`) on
 * every request — driven by autocannon from this process (the load generator shares the 2 cores).
 * Prints and writes (test/results/bench.json, docs/performance.md) latency percentiles, throughput
 * and errors at concurrency 1, 16 and 64; cost growth with record size; model-only assess()
 * timing; the held load (60 s at 200 requests/s of mixed hooks, RSS sampled from /proc); and a
 * longer fuzzing run. Targets are printed with pass/fail.
 *
 * First, and in the same run, the service against its floor (`floor-server.ts`: body read,
 * JSON.parse, JWT verify with jose, an empty card list) on the median and 90th-percentile shared
 * Synthea charts by patient-view body size: both services' figures and the ratios, judged against
 * the targets of issue 21.
 *
 * `--quick` (or BENCH_QUICK=1) shortens every run: a smoke check of the bench itself.
 * `--floor` runs only the comparison with the floor (and rewrites its part of the page).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CdsRequest } from '@rationale/shared-types';
import { fuzzService } from '../fuzz/fuzzer';
import { runCannon, shares, type CannonResult, type CannonTarget } from './lib/cannon';
import { compareWithFloor, floorMarkdown, floorTargets, type FloorRow } from './lib/floor';
import { measureOversizedFhir } from './lib/oversized-fhir';
import { REPO_ROOT } from './lib/service';
import { startProofStack, type ProofStack } from './lib/stack';
import { round } from './lib/stats';
import { TokenPool } from './lib/tokens';
import {
  BodyTemplate,
  chartsBySize,
  hasSynthea,
  prefetchResourceCount,
  sizedRequest,
  syntheaFiles,
  syntheaSpread,
  type BenchHook,
} from './lib/workload';

const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const FLOOR_ONLY = process.argv.includes('--floor');
const scale = (n: number) => (QUICK ? Math.max(20, Math.round(n / 10)) : n);

interface Row {
  scenario: string;
  resources: number;
  bodyKb: number;
  result: CannonResult;
}

async function targetFor(
  stack: ProofStack,
  serviceId: string,
  bodies: BodyTemplate[],
  amount: number,
  weight = 1,
): Promise<CannonTarget> {
  const pool = await TokenPool.create(stack.client, `${stack.service.url}/cds-services/${serviceId}`, amount);
  return { path: `/cds-services/${serviceId}`, bodies, pool, weight };
}

async function measure(
  stack: ProofStack,
  serviceId: string,
  bodies: BodyTemplate[],
  connections: number,
  amount: number,
): Promise<CannonResult> {
  // Warm-up at the same concurrency (JIT, connection pools, caches, the heap's steady size), not
  // counted: a service answers chart opens for hours; its first thousand calls are not its speed.
  const warm = Math.min(1000, amount);
  await runCannon({
    baseUrl: stack.service.url,
    connections,
    amount: warm,
    targets: [await targetFor(stack, serviceId, bodies, warm + 64)],
  });
  return runCannon({
    baseUrl: stack.service.url,
    connections,
    amount,
    targets: [await targetFor(stack, serviceId, bodies, amount + 64)],
  });
}

const SERVICE: Record<BenchHook, string> = {
  'patient-view': 'rationale-patient-view',
  'order-sign': 'rationale-order-sign',
  'order-select': 'rationale-order-select',
};

function fmt(n: number): string {
  return Number.isFinite(n) ? String(round(n, 1)) : '—';
}

function statusText(s: Record<string, number>): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!hasSynthea())
    throw new Error('the shared Synthea patients are not on this machine (../shared/data/synthea-r4)');
  const files = syntheaFiles();
  const { median, spread, count } = syntheaSpread(files);
  process.stdout.write(
    `Synthea: ${count} bundles; median ${median.file} (${median.entries} entries); spread ${spread.map((s) => s.entries).join(', ')}\n`,
  );
  const stack = await startProofStack({ synthea: files, serveSandbox: true, floor: true });
  const rows: Row[] = [];
  try {
    const wb = stack.workbench;
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), ${round(os.totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;

    // The floor, in this run, on the median and 90th-percentile charts by body size.
    const charts = await chartsBySize(wb, files);
    const floorRows: FloorRow[] = [];
    for (const [label, sized, plan] of [
      [
        'median',
        charts.median,
        [
          [1, 250],
          [16, 1000],
        ],
      ],
      [
        'p90',
        charts.p90,
        [
          [1, 100],
          [16, 500],
        ],
      ],
    ] as const) {
      for (const [c, perBlock] of plan) {
        const row = await compareWithFloor(stack, { label, sized }, c, scale(perBlock), QUICK ? 2 : 4);
        floorRows.push(row);
        process.stdout.write(
          `  floor vs service, ${label} chart (${sized.file.file}, ${round(sized.bytes / 1024, 1)} KB), c=${c}: ` +
            `floor ${row.floor.rps}/s p50 ${row.floor.latency.p50} p99 ${row.floor.latency.p99}; ` +
            `service ${row.service.rps}/s p50 ${row.service.latency.p50} p99 ${row.service.latency.p99}\n`,
        );
      }
    }
    const sizesKb = (q: number) =>
      round(
        (charts.sizes[
          Math.min(charts.sizes.length - 1, Math.max(0, Math.ceil(q * charts.sizes.length) - 1))
        ] ?? 0) / 1024,
        1,
      );
    const floorOut = [
      `Machine: ${machine}. Load: ${os
        .loadavg()
        .map((l) => round(l, 1))
        .join(' / ')} (1/5/15-minute load average at the end of the comparison).`,
      '',
      `Charts: the ${charts.sizes.length} shared Synthea patients' patient-view bodies (prefetch as the discovery templates request it) range from ${sizesKb(0)} to ${sizesKb(1)} KB; median ${charts.median.file.file.replace(/_[0-9a-f-]+\.json$/, '')} ${round(charts.median.bytes / 1024, 1)} KB, 90th percentile ${charts.p90.file.file.replace(/_[0-9a-f-]+\.json$/, '')} ${round(charts.p90.bytes / 1024, 1)} KB.`,
      '',
      floorMarkdown(floorRows),
    ].join('\n');
    process.stdout.write(`\n${floorOut}\n\n`);
    if (!QUICK) writePerformanceDoc(floorOut, FLOOR_START, FLOOR_END);
    const floorResults = {
      rows: floorRows,
      targets: floorTargets(floorRows),
      charts: { median: charts.median.file.file, p90: charts.p90.file.file },
    };
    if (FLOOR_ONLY) {
      writeResults('bench-floor.json', {
        date: new Date().toISOString(),
        quick: QUICK,
        machine,
        floor: floorResults,
      });
      return;
    }

    const kb = (b: BodyTemplate[]) => round(b.reduce((a, t) => a + t.bytes, 0) / b.length / 1024, 1);
    /** Measures `requests` (sent in turn) at each [concurrency, amount] and adds a row for each. */
    const scenario = async (
      label: string,
      hook: BenchHook,
      requests: CdsRequest[],
      plan: Array<[connections: number, amount: number]>,
    ): Promise<BodyTemplate[]> => {
      const bodies = requests.map((r) => new BodyTemplate(r));
      const resources = Math.round(
        requests.reduce((a, r) => a + prefetchResourceCount(r), 0) / requests.length,
      );
      for (const [c, amount] of plan) {
        const result = await measure(stack, SERVICE[hook], bodies, c, scale(amount));
        rows.push({ scenario: `${label}, c=${c}`, resources, bodyKb: kb(bodies), result });
        process.stdout.write(
          `  ${label}, c=${c}: ${JSON.stringify(result.latency)} ${result.rps}/s ${statusText(result.statuses)}\n`,
        );
      }
      return bodies;
    };
    await scenario(
      'patient-view, median Synthea patient',
      'patient-view',
      [await wb.request('patient-view', median.patientId)],
      [
        [1, 1000],
        [16, 4000],
        [64, 4000],
      ],
    );
    const spreadBodies = await scenario(
      `patient-view, Synthea spread (${spread.map((s) => s.entries).join('/')} entries)`,
      'patient-view',
      await Promise.all(spread.map((s) => wb.request('patient-view', s.patientId))),
      [
        [1, 500],
        [16, 2000],
      ],
    );
    const sandboxIds = wb.sandbox.stats.patients
      ? Array.from({ length: 50 }, (_, i) => `rat-${String(i + 1).padStart(3, '0')}`)
      : [];
    const sandboxBodies = await scenario(
      'patient-view, 50 sandbox patients',
      'patient-view',
      await Promise.all(sandboxIds.map((id) => wb.request('patient-view', id))),
      [
        [1, 500],
        [16, 2000],
      ],
    );
    const signReq = await wb.request('order-sign', 'rat-020', 'ibuprofen');
    const signBodies = await scenario(
      'order-sign, warfarin patient orders ibuprofen',
      'order-sign',
      [signReq],
      [
        [1, 500],
        [16, 2000],
        [64, 2000],
      ],
    );
    const sized: Row[] = [];
    for (const n of [100, 1000, 10_000]) {
      const body = [new BodyTemplate(sizedRequest(n))];
      const result = await measure(stack, SERVICE['patient-view'], body, 1, scale(n === 10_000 ? 60 : 300));
      sized.push({
        scenario: `patient-view, synthetic record of ${n.toLocaleString('en')} resources, c=1`,
        resources: n,
        bodyKb: kb(body),
        result,
      });
    }
    rows.push(...sized);

    // Held load: mixed hooks at a fixed rate, RSS sampled once a second.
    const rate = 200;
    const seconds = QUICK ? 10 : 60;
    const amount = rate * seconds;
    const mix = [
      { id: SERVICE['patient-view'], bodies: [...sandboxBodies, ...spreadBodies], weight: 3 },
      {
        id: SERVICE['order-select'],
        bodies: [new BodyTemplate(await wb.request('order-select', 'rat-020', 'ibuprofen'))],
        weight: 1,
      },
      {
        id: SERVICE['order-sign'],
        bodies: [new BodyTemplate(await wb.request('order-sign', 'rat-032', 'naproxen')), ...signBodies],
        weight: 1,
      },
    ];
    const sizes = shares(mix, amount);
    const targets = await Promise.all(
      mix.map((m, i) => targetFor(stack, m.id, m.bodies, sizes[i] as number, m.weight)),
    );
    const rss: { t: number; kb: number }[] = [{ t: 0, kb: stack.service.rssKb() }];
    const held = await runCannon({
      baseUrl: stack.service.url,
      connections: 16,
      amount,
      overallRate: rate,
      targets,
      onTick: (ms) => rss.push({ t: Math.round(ms / 1000), kb: stack.service.rssKb() }),
    });
    rss.push({ t: Math.round(held.durationSeconds), kb: stack.service.rssKb() });
    // Growth is judged after the first 10 s (warm-up: JIT, caches, PGlite buffers fill).
    const settled = rss.find((r) => r.t >= Math.min(10, seconds / 2)) ?? rss[0]!;
    const last = rss[rss.length - 1]!;
    const growthMb = round((last.kb - settled.kb) / 1024, 1);
    const RSS_BOUND_MB = 64;

    // Model only.
    let modelOnly = 'cds-service/scripts/bench-model.ts not present';
    const script = path.join(REPO_ROOT, 'cds-service', 'scripts', 'bench-model.ts');
    try {
      readFileSync(script);
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 600_000,
      });
      modelOnly = (run.stdout || run.stderr).trim();
    } catch {
      // not present: reported as such
    }

    // Fuzzing, longer run.
    const fuzz = await fuzzService(
      {
        baseUrl: stack.service.url,
        token: (aud, o) => stack.client.token(aud, o),
        patientView: await wb.request('patient-view', 'rat-020'),
        orderSign: signReq,
      },
      { seed: 424_242, runsPerKind: QUICK ? 100 : 1000 },
    );

    // A 100 MB FHIR response (issue 18): its own service process and FHIR server.
    const oversized = await measureOversizedFhir(2000);

    // Targets.
    const c1 = rows[0]!.result;
    const c16 = rows[1]!.result;
    const big = sized[2]!.result;
    const underLoad = rows.concat([{ scenario: 'held', resources: 0, bodyKb: 0, result: held }]);
    const totalErrors = underLoad.reduce(
      (a, r) =>
        a + r.result.errors + r.result.timeouts + (r.result.requests - (r.result.statuses['200'] ?? 0)),
      0,
    );
    const fuzz5xx = Object.values(fuzz.statuses).reduce(
      (a, s) =>
        a +
        Object.entries(s)
          .filter(([k]) => Number(k) >= 500)
          .reduce((x, [, v]) => x + v, 0),
      0,
    );
    const targetsTable = [
      [
        'c=1 p50 ≤ 5 ms (median Synthea patient, full prefetch, fresh JWT)',
        `${fmt(c1.latency.p50)} ms`,
        c1.latency.p50 <= 5,
      ],
      ['c=1 p99 ≤ 15 ms', `${fmt(c1.latency.p99)} ms`, c1.latency.p99 <= 15],
      ['c=16 ≥ 300 requests/s', `${fmt(c16.rps)}/s`, c16.rps >= 300],
      ['c=16 p99 ≤ 100 ms', `${fmt(c16.latency.p99)} ms`, c16.latency.p99 <= 100],
      ['10,000-resource record ≤ 150 ms (p50, c=1)', `${fmt(big.latency.p50)} ms`, big.latency.p50 <= 150],
      ['zero errors under load (every run above and the held load)', `${totalErrors}`, totalErrors === 0],
      [
        `held load: RSS growth ≤ ${RSS_BOUND_MB} MB after warm-up`,
        `${growthMb} MB`,
        growthMb <= RSS_BOUND_MB,
      ],
      ['zero 5xx under fuzzing', `${fuzz5xx} of ${fuzz.runs}`, fuzz5xx === 0 && fuzz.failures.length === 0],
      [
        `100 MB FHIR response: answered within the budget + 100 ms (${oversized.budgetMs + 100} ms)`,
        `${oversized.status} in ${oversized.ms} ms`,
        oversized.status < 500 && oversized.ms <= oversized.budgetMs + 100,
      ],
      [
        '100 MB FHIR response: service RSS growth ≤ 100 MB (peak)',
        `${oversized.peakGrowthMb} MB`,
        oversized.peakGrowthMb <= 100,
      ],
    ] as const;

    const table = [
      '| scenario | resources | body KB | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | statuses |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      ...rows.map(
        (r) =>
          `| ${r.scenario} | ${r.resources} | ${r.bodyKb} | ${r.result.requests} | ${fmt(r.result.rps)} | ${fmt(r.result.latency.p50)} | ${fmt(r.result.latency.p90)} | ${fmt(r.result.latency.p99)} | ${fmt(r.result.latency.max)} | ${r.result.errors + r.result.timeouts} | ${statusText(r.result.statuses)} |`,
      ),
      `| held load: mixed hooks at ${rate}/s for ${seconds} s, c=16 | mixed | — | ${held.requests} | ${fmt(held.rps)} | ${fmt(held.latency.p50)} | ${fmt(held.latency.p90)} | ${fmt(held.latency.p99)} | ${fmt(held.latency.max)} | ${held.errors + held.timeouts} | ${statusText(held.statuses)} |`,
    ].join('\n');
    const targetsMd = [
      '| target | measured | |',
      '|---|---:|---|',
      ...targetsTable.map(([t, m, ok]) => `| ${t} | ${m} | ${ok ? 'pass' : '**fail**'} |`),
    ].join('\n');
    const memory = `Service RSS during the held load: ${round(rss[0]!.kb / 1024, 1)} MB before, ${round(settled.kb / 1024, 1)} MB at ${settled.t} s, ${round(last.kb / 1024, 1)} MB at the end (${round(Math.max(...rss.map((r) => r.kb)) / 1024, 1)} MB peak); growth after warm-up ${growthMb} MB (bound ${RSS_BOUND_MB} MB).`;
    const fuzzLine = `Fuzzing (seed 424242, ${fuzz.runs} requests): ${JSON.stringify(fuzz.statuses)}; failures ${fuzz.failures.length}.`;

    const out = [
      `Machine: ${machine}. Load generator (autocannon) in the same process group on the same cores.`,
      '',
      table,
      '',
      targetsMd,
      '',
      memory,
      '',
      `Model only (\`cds-service/scripts/bench-model.ts\`): ${modelOnly.replace(/\n/g, '; ')}`,
      '',
      fuzzLine,
    ].join('\n');
    process.stdout.write(`\n${out}\n`);
    if (fuzz.failures.length)
      process.stdout.write(`fuzz failures: ${JSON.stringify(fuzz.failures.slice(0, 10), null, 1)}\n`);

    const results = {
      date: new Date().toISOString(),
      quick: QUICK,
      machine,
      floor: floorResults,
      synthea: {
        count,
        median: median.file,
        spread: spread.map((s) => ({ file: s.file, entries: s.entries })),
      },
      rows,
      held: { ...held, rss, growthMb, boundMb: RSS_BOUND_MB },
      modelOnly,
      fuzz,
      oversized,
      targets: targetsTable.map(([t, m, ok]) => ({ target: t, measured: m, pass: ok })),
      seconds: Math.round((Date.now() - started) / 1000),
    };
    writeResults('bench.json', results);
    if (!QUICK) writePerformanceDoc(out, DOC_START, DOC_END);
  } finally {
    await stack.close();
  }
}

const DOC_START = '<!-- bench:start -->';
const DOC_END = '<!-- bench:end -->';
const FLOOR_START = '<!-- bench:floor:start -->';
const FLOOR_END = '<!-- bench:floor:end -->';

/** Writes test/results/NAME, without the raw latency samples. */
function writeResults(name: string, results: unknown): void {
  mkdirSync(path.join(REPO_ROOT, 'test', 'results'), { recursive: true });
  writeFileSync(
    path.join(REPO_ROOT, 'test', 'results', name),
    `${JSON.stringify(results, (k, v: unknown) => (k === 'samples' ? undefined : v), 2)}\n`,
  );
}

/** Replaces one generated part of docs/performance.md, keeping the prose around it. */
function writePerformanceDoc(generated: string, start: string, end: string): void {
  const file = path.join(REPO_ROOT, 'docs', 'performance.md');
  let doc: string;
  try {
    doc = readFileSync(file, 'utf8');
  } catch {
    doc = `# Performance\n\n${start}\n${end}\n`;
  }
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  const block = `${start}\n_Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}._\n\n${generated}\n${end}`;
  doc =
    a >= 0 && b > a ? doc.slice(0, a) + block + doc.slice(b + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, doc);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
