#!/usr/bin/env bash
# The whole test suite: types, unit and integration tests (PGlite and PostgreSQL), then the
# production build driven by Playwright in Chromium. Ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
artifacts=tests/.artifacts
rm -rf "$artifacts" && mkdir -p "$artifacts"

bash scripts/ensure-chromium.sh || exit 1
if ! node scripts/check-postgres.mjs; then exit 1; fi

status=0
echo "[test] typecheck"
npm run -s typecheck || status=1

echo "[test] unit and integration tests (vitest: unit, pglite, postgres)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$artifacts/vitest.json" || status=1

echo "[test] production build"
npm run -s build >"$artifacts/build.log" 2>&1 || { cat "$artifacts/build.log"; status=1; }

echo "[test] browser tests (Playwright, Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$artifacts/playwright.json" npx playwright test --reporter=list,json || status=1

node scripts/test-summary.mjs "$artifacts/vitest.json" "$artifacts/playwright.json" || status=1
exit $status
