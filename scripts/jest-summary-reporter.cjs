// Prints one plain closing line, 'Tests: N passed, N failed, N skipped', that CI reads; before it,
// one line per reason a suite was skipped (titles marked '[skipped: reason]' by
// cds-service/src/test-support/skip.ts), so a run without PostgreSQL says what it did not test.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const reasons = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending') continue;
        for (const title of test.ancestorTitles) {
          const m = /\[skipped: (.+)\]$/.exec(title);
          if (m) reasons.set(m[1], (reasons.get(m[1]) ?? 0) + 1);
        }
      }
    }
    let out = '\n';
    for (const [reason, n] of reasons) out += `SKIPPED ${n} test${n === 1 ? '' : 's'}: ${reason}\n`;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    out += `Tests: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests + results.numTodoTests} skipped\n`;
    process.stdout.write(out);
  }
}
module.exports = SummaryReporter;
