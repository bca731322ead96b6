/**
 * Skipping out loud. A suite that cannot run here (no PostgreSQL server: TEST_DATABASE_URL unset) is
 * skipped with the reason in its title and a console line at collection time, and the closing
 * summary of `npm test` (scripts/jest-summary-reporter.cjs) counts skipped tests by reason, so a run
 * never passes quietly without having tested the database it claims to have tested.
 */

/** The title marker the summary reporter reads: `[skipped: reason]`. */
export function skippedTitle(title: string, reason: string): string {
  return `${title} [skipped: ${reason}]`;
}

/** `describe(title, fn)`, or, when `skipReason` is set, `describe.skip` announced on the console. */
export function describeUnless(skipReason: string | undefined, title: string, fn: () => void): void {
  if (skipReason === undefined) {
    describe(title, fn);
    return;
  }
  console.warn(`SKIPPED: ${title}: ${skipReason}`);
  describe.skip(skippedTitle(title, skipReason), fn);
}
