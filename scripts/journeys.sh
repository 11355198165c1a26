#!/usr/bin/env bash
# The browser journeys (scripts/journeys) in Debian's Chromium against the full local stack; always run in CI.
# Writes .test-reports/journeys.json ({passed, failed, skipped}) for scripts/ci/count-tests.mjs.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p .test-reports
rm -f .test-reports/journeys-playwright.json .test-reports/journeys.json
CI=1 npx playwright test -c scripts/journeys/playwright.config.ts "$@"
rc=$?
node -e '
const fs = require("fs");
const file = ".test-reports/journeys-playwright.json";
if (!fs.existsSync(file)) { console.error("journeys: Playwright wrote no report"); process.exit(0); }
const r = JSON.parse(fs.readFileSync(file, "utf8")).stats;
fs.writeFileSync(".test-reports/journeys.json", JSON.stringify({ passed: r.expected + r.flaky, failed: r.unexpected, skipped: r.skipped }));
'
exit $rc
