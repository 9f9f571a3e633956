#!/usr/bin/env bash
# Configures (once) and builds tinysim and its firmware into build/. Incremental afterwards.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build="${TINYSIM_BUILD_DIR:-$top/build}"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
fi
cmake --build "$build" >&2
