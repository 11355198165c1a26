#!/usr/bin/env bash
# Step bookkeeping for scripts/test.sh (sourced; needs REPORTS): run_step NAME COMMAND... records each step as ok,
# skip (with its reason) or FAIL, and write_steps_json leaves the counts for scripts/ci/count-tests.mjs.
failed_steps=()
step_lines=()
steps_ok=0
steps_skipped=0

# A step that cannot run here (no Grafana, no browser) writes its reason to $SKIP_REASON_FILE and exits 0 (or
# exits 77, the automake "skipped" status): the summary shows it as skip with the reason, never as ok.
export SKIP_REASON_FILE="$REPORTS/skip-reason"
run_step() {
  local name="$1"; shift
  local start end rc reason
  printf '\n==> %s\n' "$name"
  rm -f "$SKIP_REASON_FILE"
  start=$(date +%s)
  "$@"
  rc=$?
  end=$(date +%s)
  reason=""
  if [ -s "$SKIP_REASON_FILE" ]; then reason=$(head -n 1 "$SKIP_REASON_FILE"); fi
  if [ $rc -eq 77 ] || { [ $rc -eq 0 ] && [ -n "$reason" ]; }; then
    step_lines+=("skip  $(printf '%4ss' $((end - start)))  $name (${reason:-exit 77, no reason given})")
    steps_skipped=$((steps_skipped + 1))
  elif [ $rc -eq 0 ]; then
    step_lines+=("ok    $(printf '%4ss' $((end - start)))  $name")
    steps_ok=$((steps_ok + 1))
  else
    step_lines+=("FAIL  $(printf '%4ss' $((end - start)))  $name (exit $rc)")
    failed_steps+=("$name")
  fi
  rm -f "$SKIP_REASON_FILE"
}

write_steps_json() {
  printf '{"ok": %d, "failed": %d, "skipped": %d}\n' "$steps_ok" "${#failed_steps[@]}" "$steps_skipped" >"$1"
}
