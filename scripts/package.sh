#!/usr/bin/env bash
# Packages the built plugin (dist/) the way Grafana installs it: a zip holding one folder named after the app id,
# with the frontend, both plugin.json files and the backend binaries (executable bit kept), and its SHA-1 beside it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

id=$(node -p 'require("./src/plugin.json").id')
version=$(node -p 'require("./package.json").version')
out="$ROOT/$id-$version.zip"

for f in dist/module.js dist/module.js.map dist/plugin.json dist/datasource/module.js dist/datasource/module.js.map dist/datasource/plugin.json \
  dist/datasource/gpx_falco_linux_amd64 dist/datasource/gpx_falco_linux_arm64 \
  dist/datasource/gpx_falco_darwin_arm64 dist/datasource/gpx_falco_windows_amd64.exe \
  dist/cli/containersec-rules_linux_amd64 dist/cli/containersec-rules_linux_arm64 \
  dist/cli/containersec-rules_darwin_arm64 dist/cli/containersec-rules_windows_amd64.exe; do
  [ -e "$f" ] || { echo "package: $f is missing; run npm run build and npm run build:backend first" >&2; exit 1; }
done
chmod 0755 dist/datasource/gpx_falco_* dist/cli/containersec-rules_*

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -a dist "$stage/$id"
# The frontend's source maps stay in the zip: the plugin validator's jsMap check requires module.js.map (and the
# nested datasource's), and Grafana's catalog reviews the code through them.
rm -f "$out" "$out.sha1"
# -9: the backend binaries are most of the zip, and the best deflate level saves about 1 % of them.
(cd "$stage" && zip -qr -9 -X "$out" "$id")
sha1sum "$out" | cut -d' ' -f1 >"$out.sha1"
echo "package: $(basename "$out") $(du -h "$out" | cut -f1) sha1 $(cat "$out.sha1")"
# What each binary costs in the zip (issue 23: the backends are most of it), in MB: size, then compressed size.
unzip -v "$out" | awk '$8 ~ /\/(datasource\/gpx_|cli\/)/ { printf "package:   %-60s %6.1f MB -> %5.1f MB\n", $8, $1 / 1e6, $3 / 1e6 }' 

# The zip must be what Grafana expects: one top folder named after the app id, both manifests with their source maps,
# executable backends; and the containersec-rules validator for CI in cli/.
listing=$(zipinfo "$out")
for want in "$id/plugin.json" "$id/module.js" "$id/module.js.map" "$id/datasource/plugin.json" "$id/datasource/module.js" \
  "$id/datasource/module.js.map" "$id/datasource/img/logo.svg"; do
  grep -q " $want\$" <<<"$listing" || { echo "package: $want is missing from the zip" >&2; exit 1; }
done
for bin in datasource/gpx_falco_linux_amd64 datasource/gpx_falco_linux_arm64 datasource/gpx_falco_darwin_arm64 \
  datasource/gpx_falco_windows_amd64.exe cli/containersec-rules_linux_amd64 cli/containersec-rules_linux_arm64 \
  cli/containersec-rules_darwin_arm64 cli/containersec-rules_windows_amd64.exe; do
  grep -qE "^-rwx.* $id/$bin\$" <<<"$listing" || { echo "package: $bin is missing or not executable in the zip" >&2; exit 1; }
done
if grep -qvE "^(Archive|Zip file|[0-9]+ files|[-d]rw.* $id/)" <<<"$listing"; then
  echo "package: the zip holds entries outside $id/" >&2
  exit 1
fi

# One zip per platform beside the universal one (issue 23): the four backends are 93 % of the universal zip, and a
# Grafana runs one of them. Each holds the frontend, both manifests, and that platform's backend and validator, named
# <id>-<version>.<os>_<arch>.zip as Grafana's packaging action names them.
for platform in linux_amd64 linux_arm64 darwin_arm64 windows_amd64; do
  pstage=$(mktemp -d)
  cp -a dist "$pstage/$id"
  find "$pstage/$id/datasource" "$pstage/$id/cli" -type f \( -name 'gpx_falco_*' -o -name 'containersec-rules_*' \) \
    ! -name "*_${platform}" ! -name "*_${platform}.exe" -delete
  pout="$ROOT/$id-$version.$platform.zip"
  rm -f "$pout" "$pout.sha1"
  (cd "$pstage" && zip -qr -9 -X "$pout" "$id")
  rm -rf "$pstage"
  sha1sum "$pout" | cut -d' ' -f1 >"$pout.sha1"
  plisting=$(zipinfo "$pout")
  ext=""
  [ "$platform" = windows_amd64 ] && ext=".exe"
  for bin in "datasource/gpx_falco_${platform}${ext}" "cli/containersec-rules_${platform}${ext}"; do
    grep -qE "^-rwx.* $id/$bin\$" <<<"$plisting" || { echo "package: $bin is missing or not executable in $(basename "$pout")" >&2; exit 1; }
  done
  if [ "$(grep -cE "/(gpx_falco|containersec-rules)_" <<<"$plisting")" -ne 2 ]; then
    echo "package: $(basename "$pout") holds another platform's binaries" >&2
    exit 1
  fi
  for want in "$id/plugin.json" "$id/module.js" "$id/datasource/plugin.json" "$id/datasource/module.js"; do
    grep -q " $want\$" <<<"$plisting" || { echo "package: $want is missing from $(basename "$pout")" >&2; exit 1; }
  done
  echo "package: $(basename "$pout") $(du -h "$pout" | cut -f1)"
done
