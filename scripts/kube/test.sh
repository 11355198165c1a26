#!/usr/bin/env bash
# The deploy integration test on a real Kubernetes API server: builds kube-apiserver and etcd (scripts/kube/build.sh,
# cached under .tools/kube/<versions>, so a warm run only starts them) and runs TestDeployOnRealAPIServer.
# With KUBE_REPORT=<file> it also writes {passed, failed, skipped} for scripts/ci/count-tests.mjs.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
start=$(date +%s)
BIN="$(bash scripts/kube/build.sh | tail -n 1)" || { echo "[kube] building kube-apiserver and etcd failed"; exit 1; }
echo "[kube] binaries in $BIN ($(( $(date +%s) - start ))s)"
out="$(mktemp)"
CONTAINERSEC_KUBE_BIN="$BIN" go test -json -count=1 -timeout 20m -v -run '^TestDeployOnRealAPIServer$' ./pkg/plugin >"$out"
rc=$?
node scripts/ci/go-test-summary.mjs "$out"
# The test's own log lines (start-up and step timings).
node -e '
  const fs = require("fs");
  for (const l of fs.readFileSync(process.argv[1], "utf8").split("\n")) {
    if (!l.startsWith("{")) continue;
    const e = JSON.parse(l);
    if (e.Action === "output" && /deploy_kube(_[a-z]+)?_test\.go/.test(e.Output)) process.stdout.write(e.Output);
  }
  if (process.argv[2]) {
    const c = { passed: 0, failed: 0, skipped: 0 };
    for (const l of fs.readFileSync(process.argv[1], "utf8").split("\n")) {
      if (!l.startsWith("{")) continue;
      const e = JSON.parse(l);
      if (e.Test && e.Action === "pass") c.passed++;
      if (e.Test && e.Action === "fail") c.failed++;
      if (e.Test && e.Action === "skip") c.skipped++;
    }
    fs.writeFileSync(process.argv[2], JSON.stringify(c));
  }' "$out" "${KUBE_REPORT:-}"
rm -f "$out"
exit $rc
