#!/usr/bin/env bash
# gosec as Grafana's plugin validator runs it (its Dockerfile pins gosec 2.22.8): no HIGH finding in the backend.
# Installs the pinned gosec from the Go module proxy into .tools/bin on first use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
GOSEC_VERSION=v2.22.8
bin="$ROOT/.tools/bin/gosec"
# go install leaves gosec's -version empty; the module version is in the binary's build info.
if ! { [ -x "$bin" ] && go version -m "$bin" 2>/dev/null | grep -qE "^\s+mod\s+github.com/securego/gosec/v2\s+$GOSEC_VERSION\b"; }; then
  echo "gosec: installing github.com/securego/gosec/v2/cmd/gosec@$GOSEC_VERSION into .tools/bin"
  GOBIN="$ROOT/.tools/bin" go install "github.com/securego/gosec/v2/cmd/gosec@$GOSEC_VERSION"
fi
# -severity high: only HIGH findings are reported, and any one fails the step (gosec exits 1).
"$bin" -quiet -severity high -fmt text ./pkg/... ./cmd/...
