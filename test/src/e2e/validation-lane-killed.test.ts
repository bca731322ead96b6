/**
 * A lane process killed while it holds batches costs the run nothing: `rationale validate
 * --threads 2` runs two lane processes; once the first batch is done (each lane then holds two of
 * the batches left), one lane is killed with SIGKILL. Its batches are replayed on the lane started
 * in its place; the run exits 0 with every patient counted once and the same report as one lane in
 * one process.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rationale, readReport, spawnRationale, type CliOptions } from '../support/rationale-cli';
import { linkSyntheaBundles, SYNTHEA } from '../support/synthea';

const PATIENTS = 12;
const BATCH = 2;

const describeWithData = existsSync(SYNTHEA) ? describe : describe.skip;

interface ReportJson {
  source: { patients: number; unreadable: number; rejected: number };
  crossSectional: unknown;
  asOf: unknown;
  fairness: unknown;
}

/** The lane processes of the CLI process `pid` (its children running lane-process.cjs). */
function lanesOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/))
      .filter((c) => c !== '')
      .map(Number)
      .filter((c) => {
        try {
          return readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('lane-process.cjs');
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

describeWithData('a lane process killed while it holds batches', () => {
  const common: CliOptions = { mode: 'both', every: 730, replicates: 30, batch: BATCH };
  let dir: string;
  let exit: { code: number | null; stderr: string } | undefined;
  let lanesAtStart: number[] = [];
  let killed: number | undefined;
  let lanesAtEnd: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'validation-lane-killed-'));
    linkSyntheaBundles(join(dir, 'bundles'), PATIENTS);
    const cli = spawnRationale(
      'validate',
      { bundles: join(dir, 'bundles'), ...common, threads: 2, out: join(dir, 'lanes') },
      process.env,
    );
    let stderr = '';
    const done = new Promise<void>((resolve) =>
      cli.once('exit', (code) => {
        exit = { code, stderr };
        resolve();
      }),
    );
    cli.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const lanes = lanesOf(cli.pid!);
      if (killed === undefined && / \d+\/12 patients/.test(stderr) && lanes.length === 2) {
        lanesAtStart = lanes;
        killed = lanes[0]!;
        process.kill(killed, 'SIGKILL');
        // Both lanes at work after the kill: as the run ends one lane may exit before the last
        // progress line is read, so a sample with fewer says nothing about the replacement.
      } else if (killed !== undefined && lanes.length === 2) lanesAtEnd = lanes;
    });
    await done;
    await rationale('validate', {
      bundles: join(dir, 'bundles'),
      ...common,
      threads: 1,
      out: join(dir, 'one'),
    });
  }, 900_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('killed one of the two lanes after the first batch, and a new lane took its place', () => {
    expect(lanesAtStart).toHaveLength(2);
    expect(killed).toBeDefined();
    expect(lanesAtEnd).toHaveLength(2);
    expect(lanesAtEnd).not.toContain(killed);
    expect(lanesAtEnd).toContain(lanesAtStart[1]);
  });

  it('completes the run with every patient counted once: the report equals one lane in one process', () => {
    expect(exit?.code).toBe(0);
    const lanes = readReport<ReportJson>(dir, 'lanes');
    const one = readReport<ReportJson>(dir, 'one');
    expect(lanes.source).toMatchObject({ patients: PATIENTS, unreadable: 0, rejected: 0 });
    expect(lanes.crossSectional).toEqual(one.crossSectional);
    expect(lanes.asOf).toEqual(one.asOf);
    expect(lanes.fairness).toEqual(one.fairness);
  });
});
