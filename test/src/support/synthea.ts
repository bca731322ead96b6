/**
 * The shared Synthea patients (../shared/data/synthea-r4) as the validation tests use them: the
 * first N bundles by file name, linked into a folder of their own.
 */
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './stack';

export const SYNTHEA = join(REPO_ROOT, '../shared/data/synthea-r4');

/** Links the first `count` Synthea bundles (by file name) into `dir`, which is created. */
export function linkSyntheaBundles(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(SYNTHEA)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .slice(0, count))
    symlinkSync(join(SYNTHEA, f), join(dir, f));
}
