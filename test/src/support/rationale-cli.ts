/**
 * The real `rationale` CLI (cds-service/bin/rationale.cjs) as the validation tests run it: to
 * completion (`validate`), or as a long-lived process (`worker`, a queued `validate`) whose stderr
 * the test reads. Options are written as an object, so a test states only what differs.
 */
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { REPO_ROOT } from './stack';

const CLI = join(REPO_ROOT, 'cds-service/bin/rationale.cjs');
const run = promisify(execFile);

export type CliOptions = Record<string, string | number | boolean | undefined>;

/** A `rationale` process with its stderr piped. */
export type CliProcess = ChildProcessByStdio<null, null, Readable>;

/** `{ queueSchema: 's', queue: true, threads: 1 }` → `--queue-schema s --queue --threads 1`. */
export function flags(options: CliOptions): string[] {
  return Object.entries(options).flatMap(([name, value]) => {
    const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (value === undefined || value === false) return [];
    return value === true ? [flag] : [flag, String(value)];
  });
}

/** Runs `rationale <command> <options>` to completion; rejects with its exit code and stderr. */
export function rationale(
  command: string,
  options: CliOptions,
  { env = process.env, timeoutMs = 600_000 }: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, command, ...flags(options)], {
    cwd: REPO_ROOT,
    env,
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Starts `rationale <command> <options>` with stderr piped (stdin and stdout ignored). */
export function spawnRationale(command: string, options: CliOptions, env: NodeJS.ProcessEnv): CliProcess {
  return spawn(process.execPath, [CLI, command, ...flags(options)], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/**
 * Starts `rationale worker` and resolves once it says it is waiting for batches, with what it said
 * until then.
 */
export async function startWorker(
  options: CliOptions & { id: string },
  env: NodeJS.ProcessEnv,
): Promise<CliProcess & { readyText: string }> {
  const worker = spawnRationale('worker', options, env);
  const readyText = await new Promise<string>((resolve, reject) => {
    let text = '';
    worker.stderr.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('waiting for validation batches')) resolve(text);
    });
    worker.once('exit', (code) => reject(new Error(`worker ${options.id} exited early (${code}): ${text}`)));
    setTimeout(() => {
      worker.kill('SIGKILL'); // not left running when the test gives up on it
      reject(new Error(`worker ${options.id} not ready after 120 s: ${text}`));
    }, 120_000).unref();
  });
  return Object.assign(worker, { readyText });
}

/** Stops the processes still running (SIGTERM) and waits for each to exit. */
export async function stopAll(processes: readonly CliProcess[]): Promise<void> {
  await Promise.all(
    processes.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          p.once('exit', () => resolve());
          p.kill('SIGTERM');
        }),
    ),
  );
}

/** The report.json a run wrote into `<dir>/<name>`. */
export function readReport<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, name, 'report.json'), 'utf8')) as T;
}
