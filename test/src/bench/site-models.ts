/**
 * `npm run bench:site-models`: what a site's own model costs the patient-view hook (issue 16
 * targets), the service as its own process, production-like (auth on, PGlite), on the median
 * Synthea chart by body size, at concurrency 1:
 * - an in-process ONNX model (the sandbox's example, cds-service/site-models) adds ≤ 2 ms to p50;
 * - a remote Open Inference Protocol v2 model that never answers (a stalled server started here)
 *   never delays the hook past its budget + 20 ms: every call's latency ≤ the no-model p99 +
 *   budget + 20 ms.
 * Three services in turn (none, ONNX, stalled OIP), each warmed up first. Writes
 * test/results/bench-site-models.json. `--quick` (or BENCH_QUICK=1) shortens the runs.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCannon, type CannonResult } from './lib/cannon';
import { REPO_ROOT } from './lib/service';
import { startProofStack, type ProofStack } from './lib/stack';
import { round } from './lib/stats';
import { TokenPool } from './lib/tokens';
import { BodyTemplate, chartsBySize, hasSynthea, syntheaFiles } from './lib/workload';

const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const AMOUNT = QUICK ? 100 : 1000;
const WARM = QUICK ? 50 : 300;
const OIP_BUDGET_MS = 100;
const SERVICE_ID = 'rationale-patient-view';
const SANDBOX_CONFIG = path.join(REPO_ROOT, 'sandbox', 'cds-config.json');

interface SiteModelsConfig {
  models: Array<Record<string, unknown> & { runtime: Record<string, unknown> }>;
}

/** A configuration file with the sandbox's example model, its runtime replaced when asked. */
function configFile(dir: string, name: string, patch?: () => object): string {
  const sandbox = JSON.parse(readFileSync(SANDBOX_CONFIG, 'utf8')) as SiteModelsConfig;
  const models = sandbox.models.map((m) => ({
    ...m,
    runtime:
      m.runtime.kind === 'onnx'
        ? { ...m.runtime, file: path.resolve(path.dirname(SANDBOX_CONFIG), String(m.runtime.file)) }
        : m.runtime,
    ...(patch ? patch() : {}),
  }));
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ models }));
  return file;
}

async function run(label: string, env: Record<string, string>, body: BodyTemplate): Promise<CannonResult> {
  const stack: ProofStack = await startProofStack({ env });
  try {
    const target = async (n: number) => ({
      path: `/cds-services/${SERVICE_ID}`,
      bodies: [body],
      pool: await TokenPool.create(stack.client, `${stack.service.url}/cds-services/${SERVICE_ID}`, n + 16),
    });
    await runCannon({
      baseUrl: stack.service.url,
      connections: 1,
      amount: WARM,
      targets: [await target(WARM)],
    });
    const result = await runCannon({
      baseUrl: stack.service.url,
      connections: 1,
      amount: AMOUNT,
      targets: [await target(AMOUNT)],
    });
    process.stdout.write(
      `  ${label}: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${Math.max(...result.samples)} ms, ` +
        `${result.rps}/s, non-2xx ${result.non2xx}, errors ${result.errors}\n`,
    );
    return result;
  } finally {
    await stack.close();
  }
}

async function main(): Promise<void> {
  if (!hasSynthea()) throw new Error('the shared Synthea set is needed (../shared/data/synthea-r4)');
  const files = syntheaFiles();
  // The chart: the median by body size, its prefetch as the discovery templates ask.
  const probe = await startProofStack({ synthea: files });
  let body: BodyTemplate;
  let chartLabel: string;
  try {
    const charts = await chartsBySize(probe.workbench, files);
    body = new BodyTemplate(charts.median.request);
    chartLabel = `${charts.median.file.file} (${round(charts.median.bytes / 1024, 1)} KB)`;
  } finally {
    await probe.close();
  }
  process.stdout.write(
    `site models on patient-view, median chart ${chartLabel}, c=1, ${AMOUNT} calls each\n`,
  );

  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-site-models-'));
  const stalled: ServerResponse[] = [];
  const oip = createServer((_req, res) => stalled.push(res));
  await new Promise<void>((resolve) => oip.listen(0, '127.0.0.1', resolve));
  const oipUrl = `http://127.0.0.1:${(oip.address() as AddressInfo).port}`;
  try {
    const none = await run('no site model', {}, body);
    const onnx = await run('ONNX in process', { CDS_CONFIG_FILE: configFile(dir, 'onnx') }, body);
    const remote = await run(
      `stalled OIP server, budget ${OIP_BUDGET_MS} ms`,
      {
        CDS_CONFIG_FILE: configFile(dir, 'oip', () => ({
          mode: 'live',
          budgetMs: OIP_BUDGET_MS,
          // The breaker would stop calling a failing server; here every call must wait out the budget.
          runtime: { kind: 'oip', url: oipUrl, model: 'stalled', failureThreshold: 100, openSeconds: 1 },
        })),
      },
      body,
    );
    const onnxAddedMs = round(onnx.latency.p50 - none.latency.p50, 2);
    const remoteMax = Math.max(...remote.samples);
    const remoteCeiling = round(none.latency.p99 + OIP_BUDGET_MS + 20, 1);
    const targets = [
      {
        target: 'in-process ONNX model adds ≤ 2 ms to hook p50',
        value: `${onnxAddedMs} ms`,
        pass: onnxAddedMs <= 2,
      },
      {
        target: `a stalled remote model never delays the hook past its budget + 20 ms (max ≤ no-model p99 + ${OIP_BUDGET_MS} + 20 = ${remoteCeiling} ms)`,
        value: `max ${remoteMax} ms`,
        pass: remoteMax <= remoteCeiling,
      },
    ];
    for (const t of targets) process.stdout.write(`  ${t.pass ? 'PASS' : 'FAIL'} ${t.target}: ${t.value}\n`);
    const summary = (r: CannonResult) => ({
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: Math.max(...r.samples),
      rps: r.rps,
      non2xx: r.non2xx,
      errors: r.errors,
    });
    mkdirSync(path.join(REPO_ROOT, 'test', 'results'), { recursive: true });
    writeFileSync(
      path.join(REPO_ROOT, 'test', 'results', 'bench-site-models.json'),
      `${JSON.stringify(
        {
          chart: chartLabel,
          calls: AMOUNT,
          machine: `${os.cpus().length} cores, Node ${process.version}`,
          none: summary(none),
          onnx: summary(onnx),
          stalledOip: { budgetMs: OIP_BUDGET_MS, ...summary(remote) },
          targets,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    for (const res of stalled) res.destroy();
    oip.closeAllConnections();
    oip.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
