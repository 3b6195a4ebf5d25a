#!/usr/bin/env bash
# Builds the go-procfs peer offline against Debian's packaged source (golang-github-prometheus-procfs-dev puts it in
# /usr/share/gocode/src). No Go module download: GOPATH mode (GO111MODULE=off) with GOPATH=/usr/share/gocode,
# where the package's own dependencies (golang.org/x/sys, x/sync) are also installed by Debian.
# Output: bench/.work/bin/go-procfs
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="$(cd "$here/../.." && pwd)"
out="$bench/.work/bin/go-procfs"
if ! command -v go >/dev/null; then
  echo "go-procfs: go is not installed (apt-get install golang-go)" >&2
  exit 1
fi
if [ ! -d /usr/share/gocode/src/github.com/prometheus/procfs ]; then
  echo "go-procfs: /usr/share/gocode/src/github.com/prometheus/procfs missing (apt-get install golang-github-prometheus-procfs-dev)" >&2
  exit 1
fi
mkdir -p "$bench/.work/bin"
# Go's own build cache (~/.cache/go-build) is shared by every checkout on the machine, so only the first build
# compiles the standard library (~40 s on 2 cores); without a HOME, fall back to a cache inside bench/.work.
if ! go env GOCACHE 2>/dev/null | grep -q /; then export GOCACHE="$bench/.work/go-cache"; fi
cd "$here"
GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off go build -trimpath -o "$out" .
echo "go-procfs: built $out ($(go version | cut -d' ' -f3), procfs $(dpkg-query -W -f='${Version}' golang-github-prometheus-procfs-dev 2>/dev/null || echo '?'))"
