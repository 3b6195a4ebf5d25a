#!/usr/bin/env bash
# Installs the benchmark peers for bench/run.mjs. Idempotent: re-running only does what is still missing.
#   Debian: net-tools (netstat), iproute2 (ss, ip), python3-psutil, golang-go, golang-github-prometheus-procfs-dev,
#           prometheus-node-exporter (its tcpstat collector, beside procnet exporter),
#           cargo, rustc and librust-procfs-dev (the Rust procfs crate's source and its dependencies'),
#           time (/usr/bin/time -v for peak RSS), util-linux (unshare, nsenter, prlimit)
#   npm (bench/package.json, its own package): @stroncium/procfs, systeminformation, node-netstat
#   Go: builds bench/.work/bin/go-procfs offline against Debian's packaged procfs source
#   Rust: builds bench/.work/bin/rust-procfs offline against Debian's crate sources (/usr/share/cargo/registry)
# Needs root for apt-get. Each package is checked (apt-cache policy / npm view) before it is relied on; what is
# missing is reported at the end and the script exits 1, but everything that can be installed is installed.
set -uo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(net-tools iproute2 python3-psutil golang-go golang-github-prometheus-procfs-dev prometheus-node-exporter
  cargo rustc librust-procfs-dev time util-linux)
NPM_PACKAGES=(@stroncium/procfs systeminformation node-netstat)
problems=()

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${APT_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    problems+=("not root: cannot apt-get install ${missing[*]}")
  else
    echo "setup-peers: apt-get update (once), to install: ${missing[*]}"
    apt-get update -qq || problems+=("apt-get update failed")
    available=()
    for p in "${missing[@]}"; do
      candidate="$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')"
      if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then
        problems+=("Debian package $p does not exist here (apt-cache policy: no candidate)")
      else
        available+=("$p")
      fi
    done
    if [ "${#available[@]}" -gt 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${available[@]}" >/dev/null ||
        problems+=("apt-get install ${available[*]} failed")
    fi
  fi
fi
for p in "${APT_PACKAGES[@]}"; do
  if installed "$p"; then echo "setup-peers: deb $p $(dpkg-query -W -f='${Version}' "$p")"; fi
done

# npm peers: this folder is its own package (npm ci fails against this registry; npm install respects the lock).
for p in "${NPM_PACKAGES[@]}"; do
  if [ ! -f "node_modules/$p/package.json" ]; then
    if ! npm view "$p" version >/dev/null 2>&1; then problems+=("npm package $p not found in the registry"); fi
  fi
done
if npm install --no-audit --no-fund --loglevel=error >/dev/null; then
  for p in "${NPM_PACKAGES[@]}"; do
    if [ -f "node_modules/$p/package.json" ]; then
      echo "setup-peers: npm $p $(node -p "require('./node_modules/$p/package.json').version")"
    else
      problems+=("npm package $p did not install")
    fi
  done
else
  problems+=("npm install in bench/ failed")
fi

# Go peer: rebuild when the source is newer than the binary.
bin=.work/bin/go-procfs
if [ ! -x "$bin" ] || [ peers/go-procfs/main.go -nt "$bin" ]; then
  bash peers/go-procfs/build.sh || problems+=("go-procfs build failed")
else
  echo "setup-peers: go-procfs already built ($bin)"
fi

# Rust peer: rebuild when the source is newer than the binary.
bin=.work/bin/rust-procfs
if [ ! -x "$bin" ] || [ peers/rust-procfs/src/main.rs -nt "$bin" ] || [ peers/rust-procfs/Cargo.toml -nt "$bin" ]; then
  bash peers/rust-procfs/build.sh || problems+=("rust-procfs build failed")
else
  echo "setup-peers: rust-procfs already built ($bin)"
fi

/usr/bin/python3 -c 'import psutil' 2>/dev/null || problems+=("/usr/bin/python3 cannot import psutil")

if [ "${#problems[@]}" -gt 0 ]; then
  printf 'setup-peers: PROBLEM: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "setup-peers: all peers installed"
