#!/usr/bin/env bash
# End-to-end tests against a running Grafana (docker compose up, or GRAFANA_URL). Without one they are skipped, loudly.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
url="${GRAFANA_URL:-http://localhost:3000}"
# skip tells scripts/test.sh why nothing was tested, so its summary says skip, not ok.
skip() {
  echo "e2e: skipped — $1"
  if [ -n "${SKIP_REASON_FILE:-}" ]; then echo "$1" >"$SKIP_REASON_FILE"; fi
  exit 0
}
if ! curl -fsS --max-time 5 "$url/api/health" >/dev/null 2>&1; then
  skip "no Grafana at $url (start it with docker compose up, or set GRAFANA_URL)"
fi
# The browsers playwright.config.ts can launch: Debian's chromium, or one Playwright downloaded earlier.
if [ ! -x /usr/bin/chromium ] && [ ! -x /usr/bin/chromium-browser ] &&
  ! compgen -G "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}/chromium*" >/dev/null; then
  skip "no browser: install Debian's chromium (apt-get install chromium)"
fi
# playwright.config.ts launches Debian's /usr/bin/chromium when present; we never run `playwright install`.
mkdir -p .test-reports
rc=0
CI=1 GRAFANA_URL="$url" npx playwright test || rc=$?
node -e '
const r = require("./.test-reports/playwright.json").stats;
require("fs").writeFileSync(".test-reports/e2e.json", JSON.stringify({ passed: r.expected + r.flaky, failed: r.unexpected, skipped: r.skipped }));
' || true
exit $rc
