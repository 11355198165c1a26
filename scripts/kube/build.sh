#!/usr/bin/env bash
# Builds a real kube-apiserver and etcd from the Go module proxy for the deploy integration test
# (pkg/deploy/kubetest), into .tools/kube/<versions>/. A warm run finds the binaries and returns at once; after a
# version change Go's build cache makes the rebuild cheap. Prints the directory holding the binaries on its last line.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
K8S_VERSION="$(awk '$1 == "k8s.io/kubernetes" {print $2; exit}' go.mod)"
ETCD_VERSION="$(awk '$1 == "go.etcd.io/etcd/server/v3" {print $2; exit}' go.mod)"
OUT="$ROOT/.tools/kube/${K8S_VERSION}-etcd-${ETCD_VERSION}"

if [ -x "$OUT/kube-apiserver" ] && [ -x "$OUT/etcd" ]; then
  echo "$OUT"
  exit 0
fi
mkdir -p "$OUT"
start=$(date +%s)
# The API server reports this version (kubectl version, discovery); without it it says v0.0.0-master.
major="${K8S_VERSION#v}"; major="${major%%.*}"
minor="${K8S_VERSION#v*.}"; minor="${minor%%.*}"
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=${K8S_VERSION} -X k8s.io/component-base/version.gitMajor=${major} -X k8s.io/component-base/version.gitMinor=${minor}"
# CGO off: static binaries, and no C toolchain needed on a fresh machine.
CGO_ENABLED=0 go build -mod=readonly -ldflags "$ldflags" -o "$OUT/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
CGO_ENABLED=0 go build -mod=readonly -ldflags "-s -w" -o "$OUT/etcd.tmp" go.etcd.io/etcd/server/v3 >&2
mv "$OUT/kube-apiserver.tmp" "$OUT/kube-apiserver"
mv "$OUT/etcd.tmp" "$OUT/etcd"
echo "[kube] built kube-apiserver ${K8S_VERSION} and etcd ${ETCD_VERSION} in $(( $(date +%s) - start ))s" >&2
echo "$OUT"
