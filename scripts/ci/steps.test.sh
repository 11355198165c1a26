#!/usr/bin/env bash
# Tests scripts/ci/steps.sh and count-tests.mjs together: a skipped step is never counted or shown as ok.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REPORTS=$(mktemp -d)
trap 'rm -rf "$REPORTS"' EXIT
# shellcheck source=steps.sh
source "$ROOT/scripts/ci/steps.sh"
{
  run_step "passes" true
  run_step "fails" false
  run_step "skips with a reason" bash -c 'echo "no Grafana here" >"$SKIP_REASON_FILE"'
  run_step "exits 77" bash -c 'exit 77'
  # The real end-to-end step where no Grafana answers.
  run_step "end-to-end" env GRAFANA_URL=http://127.0.0.1:9 bash "$ROOT/scripts/e2e.sh"
} >/dev/null 2>&1
write_steps_json "$REPORTS/steps.json"
out=$(printf '%s\n' "${step_lines[@]}"; node "$ROOT/scripts/ci/count-tests.mjs" "$REPORTS")
fail=0
expect() { grep -qE "$1" <<<"$out" || { echo "steps.test: missing /$1/ in:"; echo "$out"; fail=1; }; }
expect '^ok +[0-9]+s  passes$'
expect '^FAIL +[0-9]+s  fails \(exit 1\)$'
expect '^skip +[0-9]+s  skips with a reason \(no Grafana here\)$'
expect '^skip +[0-9]+s  exits 77 \(exit 77, no reason given\)$'
expect '^skip +[0-9]+s  end-to-end \(no Grafana at http://127.0.0.1:9 '
expect '^steps: 1 ok, 1 failed, 3 skipped$'
[ "$(tail -n 1 <<<"$out")" = "tests: 0 passed, 0 failed, 0 skipped" ] || { echo "steps.test: the closing line must be the tests line:"; echo "$out"; fail=1; }
[ $fail -eq 0 ] && echo "steps.test: ok"
exit $fail
