#!/usr/bin/env bash
# Builds the rust-procfs peer offline against Debian's packaged crate sources: librust-procfs-dev (and the crates it
# depends on) put them in /usr/share/cargo/registry, which .cargo/config.toml names as the only source. No download,
# no vendored crates in the repository. Uses Debian's cargo and rustc (/usr/bin) when installed, else any on PATH.
# Output: bench/.work/bin/rust-procfs
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="$(cd "$here/../.." && pwd)"
out="$bench/.work/bin/rust-procfs"
cargo=/usr/bin/cargo
[ -x "$cargo" ] || cargo="$(command -v cargo || true)"
if [ -z "$cargo" ]; then
  echo "rust-procfs: cargo is not installed (apt-get install cargo rustc)" >&2
  exit 1
fi
if [ ! -d /usr/share/cargo/registry ] || ! ls -d /usr/share/cargo/registry/procfs-0.* >/dev/null 2>&1; then
  echo "rust-procfs: /usr/share/cargo/registry/procfs-* missing (apt-get install librust-procfs-dev)" >&2
  exit 1
fi
mkdir -p "$bench/.work/bin"
export CARGO_TARGET_DIR="$bench/.work/rust-target"
# The lock file is made here (against whatever Debian installed), not kept in the repository.
export CARGO_HOME="$bench/.work/cargo-home"
cd "$here"
RUSTC="$(dirname "$cargo")/rustc" "$cargo" build --release --offline --quiet
cp "$CARGO_TARGET_DIR/release/rust-procfs" "$out"

echo "rust-procfs: built $out ($("$(dirname "$cargo")/rustc" --version), procfs $(dpkg-query -W -f='${Version}' librust-procfs-dev 2>/dev/null || echo '?'))"
