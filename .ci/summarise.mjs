// Sums vitest's JSON reports into the one plain line CI reads: "N passed, N failed".
// A run whose report is missing counts as one failure, so a crash cannot look green.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, ...runs] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const run of runs) {
  const file = path.join(dir, `${run}.json`);
  if (!existsSync(file)) {
    console.log(`${run}: no report (the run crashed)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const p = report.numPassedTests ?? 0;
  // Failed tests, plus each file that failed without a failing test (it did not load, or a hook
  // threw): vitest's numFailedTestSuites also counts the describe blocks around a failed test.
  const files = report.testResults ?? [];
  const brokenFiles = files.filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  const f = (report.numFailedTests ?? 0) + (files.length > 0 ? brokenFiles : (report.numFailedTestSuites ?? 0));
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`${run}: ${p} passed, ${f} failed, ${s} skipped`);
  if (p + f === 0) {
    console.log(`${run}: ran no test`);
    failed += 1;
  }
  passed += p;
  failed += f;
  skipped += s;
}
if (skipped) console.log(`${skipped} skipped (not counted)`);
// The last line is exactly "N passed, N failed": CI reads it.
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
