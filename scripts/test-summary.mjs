// Adds up the vitest and Playwright JSON reports into one closing line.
import { existsSync, readFileSync } from 'node:fs'

const [vitestFile, playwrightFile] = process.argv.slice(2)
let passed = 0
let failed = 0
let skipped = 0

if (vitestFile && existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'))
  passed += v.numPassedTests ?? 0
  // Failed tests, and files that failed outside any test (an import error, a failing hook):
  // numFailedTestSuites would count a file with a failing test again, and each describe block.
  const filesFailedOutsideTests = (v.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length
  failed += (v.numFailedTests ?? 0) + filesFailedOutsideTests
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
} else {
  console.error('[test] no vitest report'); failed += 1
}
if (playwrightFile && existsSync(playwrightFile)) {
  const p = JSON.parse(readFileSync(playwrightFile, 'utf8'))
  passed += p.stats?.expected ?? 0
  failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0) + (p.errors?.length ?? 0)
  skipped += p.stats?.skipped ?? 0
} else {
  console.error('[test] no Playwright report'); failed += 1
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed ? 1 : 0)
