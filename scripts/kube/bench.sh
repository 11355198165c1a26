#!/usr/bin/env bash
# Plan and apply medians on a real kube-apiserver for a Falco release with falcosidekick and falco-talon (the "bench"
# subtest of TestDeployOnRealAPIServer, pkg/plugin/deploy_kube_guard_test.go). DEPLOY_BENCH_ROUNDS rounds (default 7);
# the chart is downloaded once, before the rounds. Prints the medians with the load average.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="$(bash scripts/kube/build.sh | tail -n 1)" || { echo "[bench:deploy] building kube-apiserver and etcd failed"; exit 1; }
CONTAINERSEC_KUBE_BIN="$BIN" CONTAINERSEC_DEPLOY_BENCH="${DEPLOY_BENCH_ROUNDS:-7}" \
  go test -count=1 -timeout 20m -v -run '^TestDeployOnRealAPIServer$/^bench' ./pkg/plugin | grep -E 'deploy bench|^(ok|FAIL|---)'
