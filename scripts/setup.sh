#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh machine, and nothing that is already there.
# Sourced by scripts/test.sh; safe to run again (every step checks first).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION="22.23.3" # Node LTS, as create-plugin asks (>= 22)

log() { printf '[setup] %s\n' "$*"; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Node >= 22. The machine may ship an older one; the official binary comes from the npm registry package node-<os>-<arch>.
ensure_node() {
  local arch pkg
  if [ -x "$TOOLS/node/bin/node" ]; then export PATH="$TOOLS/node/bin:$PATH"; fi
  if [ "$(node_major)" -ge 22 ]; then return; fi
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) log "no Node $NODE_VERSION package for $(uname -m)"; exit 1 ;;
  esac
  pkg="node-linux-$arch"
  log "installing Node $NODE_VERSION from the npm registry ($pkg)"
  rm -rf "$TOOLS/node-pkg" && mkdir -p "$TOOLS/node-pkg" "$TOOLS/node/bin"
  npm install --silent --no-save --no-package-lock --prefix "$TOOLS/node-pkg" "$pkg@$NODE_VERSION" >/dev/null
  ln -sf "$TOOLS/node-pkg/node_modules/$pkg/bin/node" "$TOOLS/node/bin/node"
  # npm and npx ship with the machine's npm; they run on whichever node comes first on PATH.
  export PATH="$TOOLS/node/bin:$PATH"
  log "node $(node --version)"
}

# Debian packages: promtool and prometheus for the query library's tests, zip for packaging, python3 for the
# compose token step's test, chromium for the browser journeys (Playwright's own browser download is not used).
ensure_debian_packages() {
  # The product alone (scripts/up.sh) needs none of them.
  if [ -n "${SKIP_DEBIAN_PACKAGES:-}" ]; then return; fi
  local missing=()
  command -v promtool >/dev/null || missing+=(prometheus)
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v zip >/dev/null || missing+=(zip)
  command -v python3 >/dev/null || missing+=(python3)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ "${#missing[@]}" -eq 0 ]; then return; fi
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})"
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_npm_packages() {
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/package-lock.json" ] && [ -z "${CI:-}" ]; then return; fi
  # `npm ci` installs exactly the lockfile and never writes it, so CI leaves tracked files untouched. The lockfile lists
  # @swc/core's binaries for every platform (npm ci refuses a lockfile that lacks an optional dependency of another
  # platform); after changing package.json, refresh it with `npm install --package-lock-only` in a clone without
  # node_modules, where npm does not prune the other platforms' entries.
  log "npm ci (locked versions)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
}

ensure_go_modules() {
  command -v go >/dev/null || { log "Go is required (go.mod says which version)"; exit 1; }
  (cd "$ROOT" && go mod download)
}

ensure_node
ensure_debian_packages
ensure_npm_packages
ensure_go_modules
