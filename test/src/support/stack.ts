/**
 * Boots the whole stack for cross-package tests, exactly as `npm start` does (it runs
 * scripts/start.mjs): the sandbox on `localhost` and the CDS service on `127.0.0.1`, on free ports,
 * with a fresh temporary DATA_DIR. The start script runs in its own process group, so `stop()`
 * (and, as a last resort, this process's exit) ends it and both children even when a test fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');

export interface StackOptions {
  /** Extra environment for both children (e.g. CDS_CONFIG_FILE, LLM_BASE_URL, SANDBOX_SCOPE_DOWNGRADE). */
  env?: Record<string, string>;
  /**
   * `stale` (default): rebuild the SMART app and the EHR page when their sources are newer than
   * their dist, as `npm start` does; `missing`: only when a dist is absent; `never`: use dist as it is.
   */
  build?: 'missing' | 'stale' | 'never';
  /** Start the local CDS service (default true). */
  cds?: boolean;
  /** How long to wait for both servers, in ms (default 180 000: builds and first compiles are slow on 2 cores). */
  startTimeoutMs?: number;
  /** Echo the children's output to this process's stdout (default: only on failure). */
  echo?: boolean;
}

export interface Stack {
  /** The EHR simulator and FHIR/auth servers, e.g. http://localhost:41234. */
  sandboxUrl: string;
  /** `{sandboxUrl}/fhir`. */
  fhirUrl: string;
  /** The CDS service, e.g. http://127.0.0.1:41235. */
  cdsUrl: string;
  /** `{cdsUrl}/cds-services`. */
  discoveryUrl: string;
  /** The SMART app's launch URL, `{cdsUrl}/app/launch.html`. */
  appUrl: string;
  /** The EHR page configured to call this stack's CDS service. */
  ehrUrl: string;
  dataDir: string;
  /** The monitoring page's admin token (ADMIN_TOKEN), generated for this stack. */
  adminToken: string;
  /** Everything the children printed so far (for diagnostics). */
  output(): string;
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: a crashed or interrupted test run must not leave servers behind.
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
}

const BUILD_LOCK = join(REPO_ROOT, 'test/.stack-build.lock');

/**
 * Builds what is stale, one test process at a time: jest may run several e2e files at once, and two
 * Vite builds into the same dist folder would corrupt each other.
 */
async function buildOnce(mode: 'stale' | 'missing'): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      // A lock left by a killed run is stale after ten minutes.
      try {
        if (Date.now() - statSync(BUILD_LOCK).mtimeMs > 10 * 60_000)
          rmSync(BUILD_LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`could not take the build lock ${BUILD_LOCK}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    const args = [
      join(REPO_ROOT, 'scripts/start.mjs'),
      '--build-only',
      ...(mode === 'missing' ? ['--build-missing'] : []),
    ];
    const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(
        `building the SMART app, EHR page or CDS service failed:\n${result.stdout}\n${result.stderr}`,
      );
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** Starts sandbox + CDS service and resolves when both answer their health checks. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const build = options.build ?? 'stale';
  if (build !== 'never') await buildOnce(build);
  const [sandboxPort, cdsPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'rationale-stack-'));
  const sandboxUrl = `http://localhost:${sandboxPort}`;
  const cdsUrl = `http://127.0.0.1:${cdsPort}`;
  const args = [join(REPO_ROOT, 'scripts/start.mjs'), '--no-build'];
  if (options.cds === false) args.push('--no-cds');

  const adminToken = options.env?.ADMIN_TOKEN ?? randomBytes(32).toString('base64url');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ADMIN_TOKEN: adminToken,
    SANDBOX_PORT: String(sandboxPort),
    CDS_PORT: String(cdsPort),
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...options.env,
  };
  // The parent's own configuration must not leak into the stack under test.
  for (const name of [
    'SANDBOX_BASE_URL',
    'PUBLIC_URL',
    'SMART_APP_LAUNCH_URL',
    'SANDBOX_APP_LAUNCH_URL',
    'SANDBOX_APP_REDIRECT_URIS',
    'PORT',
  ]) {
    if (!options.env?.[name]) delete env[name];
  }

  installExitHook();
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const append = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-200_000);
    if (options.echo) process.stdout.write(text);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  async function stop(): Promise<void> {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    // start.mjs waits for its children; a straggler in the group still gets a SIGKILL.
    killGroup(child, 'SIGKILL');
    running.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
  }

  const timeoutMs = options.startTimeoutMs ?? 180_000;
  const ready = await new Promise<boolean>((resolveReady) => {
    const timer = setTimeout(() => resolveReady(false), timeoutMs);
    const onData = () => {
      if (/^READY$/m.test(output)) {
        clearTimeout(timer);
        resolveReady(true);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      resolveReady(/^READY$/m.test(output));
    });
  });
  if (!ready || child.exitCode !== null) {
    const exitedEarly = child.exitCode !== null || child.signalCode !== null;
    await stop();
    const why = exitedEarly
      ? 'the start script exited before the stack was ready'
      : `the stack did not start within ${timeoutMs / 1000} s`;
    throw new Error(`${why}; its output:\n${output.slice(-8000)}`);
  }

  const discoveryUrl = `${cdsUrl}/cds-services`;
  return {
    sandboxUrl,
    fhirUrl: `${sandboxUrl}/fhir`,
    cdsUrl,
    discoveryUrl,
    appUrl: `${cdsUrl}/app/launch.html`,
    ehrUrl: `${sandboxUrl}/?cds=${encodeURIComponent(discoveryUrl)}`,
    dataDir,
    adminToken,
    output: () => output,
    stop,
  };
}
