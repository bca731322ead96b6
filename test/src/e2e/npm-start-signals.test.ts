/**
 * `npm start` stopped by a signal leaves no process behind (issue 20 §4): npm, the start script,
 * the sandbox and the CDS service (and anything they started) all exit. Starts the real stack
 * through npm on free ports, records the whole process tree once it prints READY, sends SIGTERM to
 * npm alone (then, in a second run, SIGINT to the group, as a terminal's Ctrl-C does), and checks
 * every recorded process is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REPO_ROOT } from '../support/stack';

jest.setTimeout(240_000);

/** pid → parent pid for every process visible in /proc. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields resume after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // a zombie has exited; only its parent's wait is missing
      table.set(Number(name), Number(fields[1]));
    } catch {
      // exited while we read
    }
  }
  return table;
}

function descendants(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift() as number;
    for (const [pid, ppid] of table) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

const alive = (pids: number[]) => {
  const table = processTable();
  return pids.filter((pid) => table.has(pid));
};

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe('npm start and signals', () => {
  let npm: ChildProcess | undefined;
  let dataDir: string | undefined;

  afterEach(() => {
    // Whatever happened, nothing of this test may outlive it.
    if (npm?.pid !== undefined) {
      try {
        process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * `to: 'npm'` signals npm alone, as a process manager does; `to: 'terminal'` signals the whole
   * foreground process group, as Ctrl-C in a terminal does (npm itself ignores SIGINT then).
   */
  async function startThenSignal(signal: NodeJS.Signals, to: 'npm' | 'terminal'): Promise<void> {
    dataDir = mkdtempSync(join(tmpdir(), 'rationale-npm-start-'));
    const child = spawn('npm', ['start', '--', '--no-build'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SANDBOX_PORT: String(await freePort()),
        CDS_PORT: String(await freePort()),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      // Its own process group, only so that afterEach can clean up after a failure.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm = child;
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const ready = await waitUntil(() => /^READY$/m.test(output), 180_000);
    if (!ready) throw new Error(`npm start did not print READY; output:\n${output.slice(-4000)}`);
    const pid = child.pid as number;
    const tree = descendants(pid);
    const commands = tree.map(commandLine).join('\n');
    // npm, the start script, and a node process each for the sandbox and the CDS service.
    expect(commands).toMatch(/scripts\/start\.mjs/);
    expect(commands).toMatch(/sandbox\/src\/main\.ts/);
    // The service compiled (cds-service/dist/service.cjs), or from its sources when nothing is
    // built yet (--no-build).
    expect(commands).toMatch(/cds-service\/(dist\/service\.cjs|src\/main\.ts)/);

    if (to === 'npm') child.kill(signal);
    else process.kill(-pid, signal);
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000)),
    ]);
    expect(code).not.toBe('timeout');

    const gone = await waitUntil(() => alive([pid, ...tree]).length === 0, 15_000);
    if (!gone) {
      const left = alive([pid, ...tree]).map((p) => `${p}: ${commandLine(p)}`);
      throw new Error(`processes left behind after ${signal}:\n${left.join('\n')}`);
    }
    expect(alive([pid, ...tree])).toEqual([]);
  }

  it('SIGTERM to npm start stops npm, the start script, the sandbox and the CDS service', async () => {
    await startThenSignal('SIGTERM', 'npm');
  });

  it("Ctrl-C (SIGINT to the terminal's process group) stops every process npm start started", async () => {
    await startThenSignal('SIGINT', 'terminal');
  });
});
