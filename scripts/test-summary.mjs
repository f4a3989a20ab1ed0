// Prints "N passed, N failed[, N skipped]" from a Vitest JSON report.
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? '.tmp/vitest-results.json'
const report = JSON.parse(readFileSync(file, 'utf8'))
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
// A file that failed to load counts as a failure even though no test in it ran.
const brokenFiles = (report.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length
const failed = report.numFailedTests + brokenFiles
console.log(`${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
if (report.numTotalTests === 0) process.exit(1)
