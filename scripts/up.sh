#!/usr/bin/env bash
# Runs the product on this machine: builds the plugin, then starts Grafana with it, Prometheus, Alertmanager, Falco and
# falcosidekick with docker compose. Needs a Docker engine with compose v2 and a Linux kernel Falco's modern eBPF probe supports.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SKIP_DEBIAN_PACKAGES=1 bash scripts/setup.sh
if [ -x .tools/node/bin/node ]; then export PATH="$ROOT/.tools/node/bin:$PATH"; fi
npm run --silent build
npm run --silent build:backend
exec docker compose up --build "$@"
