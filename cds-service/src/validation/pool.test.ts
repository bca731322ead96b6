/**
 * The lane pool with real lane processes (lane-process.cjs running the compiled task): they
 * replay batches exactly as this process does, and a lane killed while it holds a batch costs the
 * run nothing: the batch is replayed on the lane started in its place. A batch that every lane it
 * reaches dies with fails the run instead of leaving it waiting.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchOutcome } from './batch';
import { ndjsonUnit, type PatientUnit } from './export-reader';
import { lanePool, loadBatchTask, workerBundle, type LanePool } from './pool';
import { DEFAULT_REPLAY_OPTIONS, type ReplayOptions } from './replay';

const options: ReplayOptions = { ...DEFAULT_REPLAY_OPTIONS, mode: 'cross-sectional' };

/** A patient with a diabetic A1c (so the replay has a condition to find) and its own id. */
const patientUnit = (id: string, a1c: number): PatientUnit =>
  ndjsonUnit(id, [
    JSON.stringify({ resourceType: 'Patient', id, birthDate: '1961-04-02', gender: 'male' }),
    JSON.stringify({
      resourceType: 'Observation',
      id: `${id}-a1c`,
      status: 'final',
      subject: { reference: `Patient/${id}` },
      code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
      effectiveDateTime: '2025-05-01',
      valueQuantity: { value: a1c, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
    }),
  ]);

const batchesOf = (n: number): PatientUnit[][] =>
  Array.from({ length: n }, (_, b) => [patientUnit(`b${b}-1`, 6 + b), patientUnit(`b${b}-2`, 8 + b)]);

/** The outcomes by patient id, independent of which lane answered first. */
const byPatient = (outcomes: BatchOutcome[]) =>
  outcomes.flatMap((o) => o.results).sort((a, b) => a.patientId.localeCompare(b.patientId));

const runAll = (pool: LanePool, batches: PatientUnit[][]) =>
  Promise.all(batches.map((units) => pool.run({ units, options })));

describe("the lanes' task", () => {
  it('is compiled from the sources into one file that leaves packages to node_modules', () => {
    const bundle = workerBundle();
    expect(bundle).toContain('runBatchTask');
    expect(bundle).toMatch(/require\("zod"\)/);
    expect(loadBatchTask(bundle).compiled).toBe(true);
  });
});

describe('the lane pool', () => {
  const pools: LanePool[] = [];
  const open = (lanes: number) => {
    const pool = lanePool(lanes, process.env);
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('replays on two lane processes exactly what this process replays alone', async () => {
    const batches = batchesOf(4);
    const here = await runAll(open(1), batches);
    const two = open(2);
    expect(two.lanePids()).toEqual([]); // started with the first batch
    const running = runAll(two, batches);
    expect(two.lanePids()).toHaveLength(2);
    expect(two.lanePids()).not.toContain(process.pid);
    const there = await running;
    expect(byPatient(there)).toEqual(byPatient(here));
    expect(byPatient(there).length).toBe(8);
    expect(byPatient(there).some((r) => JSON.stringify(r).includes('diabetes'))).toBe(true);
  }, 120_000);

  it('replays the batches of a lane killed while it held them on the lane started in its place', async () => {
    const batches = batchesOf(3);
    const expected = byPatient(await runAll(open(1), batches));
    const pool = open(2);
    const outcomes = runAll(pool, batches);
    const [first, second] = pool.lanePids();
    // The first and third batches went to the first lane, the second to the other: kill the first.
    process.kill(first!, 'SIGKILL');
    const done = await outcomes;
    expect(byPatient(done)).toEqual(expected);
    const now = pool.lanePids();
    expect(now).toHaveLength(2);
    expect(now).toContain(second);
    expect(now).not.toContain(first);
  }, 120_000);

  it('fails a batch whose lanes keep dying instead of waiting for it', async () => {
    const pool = open(2);
    const outcome = pool.run({ units: batchesOf(1)[0]!, options });
    const settled = outcome.then(
      () => 'replayed',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    let result: string | undefined;
    void settled.then((r) => (result = r));
    // Every lane is killed as soon as it is seen, until the batch settles.
    while (result === undefined) {
      for (const pid of pool.lanePids())
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      await sleep(20);
    }
    expect(result).toMatch(/lane processes that died|keep dying/);
  }, 120_000);
});
