/**
 * Starts the CDS service as its own process, in production-like mode: `cds-service/src/main.ts`
 * (the real composition root: real store, model, cards) compiled as `npm run start:cds` runs it
 * (dist/service.cjs, built once per process from the current sources), authentication on with one trusted test
 * issuer, on a free loopback port, PGlite in a temporary DATA_DIR unless a DATABASE_URL is given.
 * The process can be stopped gracefully, killed with SIGKILL, and its RSS read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileBundle, SERVICE_BUNDLE } from '../../../../cds-service/src/bundle';
import { freePort, waitForHttp } from './net';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const SERVICE_MAIN = path.join(REPO_ROOT, 'cds-service', 'src', 'main.ts');

let compiled: Promise<string | undefined> | undefined;
/**
 * dist/service.cjs compiled from the sources as they are now, once per process (written beside
 * itself and renamed, so parallel test processes never read half a file); undefined when it cannot
 * be compiled, and the service then runs from the sources through tsx.
 */
function serviceBundle(): Promise<string | undefined> {
  compiled ??= compileBundle(SERVICE_MAIN, path.dirname(SERVICE_BUNDLE)).then((code) => {
    if (code === undefined) return undefined;
    mkdirSync(path.dirname(SERVICE_BUNDLE), { recursive: true });
    const partial = `${SERVICE_BUNDLE}.${process.pid}.part`;
    writeFileSync(partial, code);
    renameSync(partial, SERVICE_BUNDLE);
    return SERVICE_BUNDLE;
  });
  return compiled;
}

export interface ServiceOptions {
  trustedIssuersEnv: string;
  /** Extra or overriding environment (FHIR_SERVER_ALLOWLIST, DATABASE_URL, FHIR_TIMEOUT_MS …). */
  env?: Record<string, string>;
  /** Reuse a DATA_DIR (restart after a kill); default a fresh temporary one. */
  dataDir?: string;
  port?: number;
  /** Node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArgs?: string[];
  startTimeoutMs?: number;
  /** The entry point to run instead of the service (the bench's floor server); a .ts runs through tsx. */
  script?: string;
}

export interface ServiceProcess {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the service wrote to stderr and stdout (its log lines), for assertions. */
  output(): string;
  /** Resident set size in kB, from /proc/<pid>/status (VmRSS). */
  rssKb(): number;
  alive(): boolean;
  /** SIGTERM and wait for exit (graceful shutdown). */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill9(): Promise<void>;
  /** Removes the temporary DATA_DIR (only when this helper created it). */
  cleanup(): void;
}

const running = new Set<ChildProcess>();
let exitHook = false;
/** A test that fails or times out must not leave a service behind: kill what is still running. */
function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

export async function startService(options: ServiceOptions): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'rationale-proof-'));
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    PUBLIC_URL: url,
    AUTH_REQUIRED: 'true',
    TRUSTED_ISSUERS: options.trustedIssuersEnv,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // The load generator is one EHR pushed far past any real site's rate: measure the service, not its limit.
    CLIENT_RATE_LIMIT_PER_MINUTE: '100000000',
    ...options.env,
  };
  const script = options.script ?? (await serviceBundle()) ?? SERVICE_MAIN;
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script],
    {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  killOnExit(child);
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 4_000_000) output = output.slice(-2_000_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  try {
    await waitForHttp(`${url}/healthz`, options.startTimeoutMs ?? 60_000, () => !exited);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n--- service output ---\n${output.slice(-4000)}`);
  }
  const pid = child.pid as number;
  return {
    url,
    port,
    pid,
    dataDir,
    child,
    output: () => output,
    rssKb: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      return m ? Number(m[1]) : NaN;
    },
    alive: () => !exited,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(t);
    },
    kill9: async () => {
      if (exited) return;
      child.kill('SIGKILL');
      await exit;
    },
    cleanup: () => {
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
