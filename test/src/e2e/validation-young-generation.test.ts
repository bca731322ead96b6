/**
 * `rationale validate --threads 2` keeps its own young generation at V8's initial size while its
 * lane processes replay (src/v8-heap.ts): the process only reads the source and packs
 * what the lanes send, and a grown young generation (33.6 MB by default) would sit beside the
 * lanes' for the whole run. Once the lanes are closed the report step, which this process runs,
 * may grow it again. Measured in the real CLI by a probe loaded into it (the new space's size at
 * every lane message), with tsx's compile cache cold (its compiler's worker thread would have V8's
 * flags set again) and warm.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rationale } from '../support/rationale-cli';
import { linkSyntheaBundles, SYNTHEA } from '../support/synthea';

const describeWithData = existsSync(SYNTHEA) ? describe : describe.skip;
const PROBE = join(__dirname, '..', 'support', 'young-generation-probe.cjs');
/** V8's initial new space on 64-bit Linux: two 1 MB semi-spaces and their page headers. */
const INITIAL_MB = 2.1;

describeWithData('the young generation of `rationale validate` beside its lane processes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'validation-young-generation-'));
    linkSyntheaBundles(join(dir, 'bundles'), 12);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const probe = async (label: string, env: NodeJS.ProcessEnv) => {
    const file = join(dir, `${label}.json`);
    await rationale(
      'validate',
      {
        bundles: join(dir, 'bundles'),
        mode: 'both',
        every: 730,
        replicates: 30,
        batch: 1,
        threads: 2,
        out: join(dir, label),
      },
      {
        env: {
          ...env,
          NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${PROBE}`,
          YOUNG_GENERATION_PROBE: file,
        },
      },
    );
    return JSON.parse(readFileSync(file, 'utf8')) as { atLaneMessages: number[] };
  };

  it('stays at its initial size while the lanes replay, with a cold compile cache and a warm one', async () => {
    // A TMPDIR of its own: tsx finds nothing compiled and compiles every module of the CLI.
    const cold = join(dir, 'tmp');
    mkdirSync(cold);
    for (const run of ['cold', 'warm']) {
      const seen = await probe(run, { ...process.env, TMPDIR: cold });
      expect(seen.atLaneMessages.length).toBeGreaterThanOrEqual(12);
      expect(Math.max(...seen.atLaneMessages)).toBeLessThanOrEqual(INITIAL_MB + 0.1);
    }
  }, 240_000);
});
