#!/usr/bin/env bash
# Install what is missing, build, and run every test (ctest, in parallel on all cores).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/bootstrap.sh"
"$top/scripts/build.sh"
build="${TINYSIM_BUILD_DIR:-$top/build}"
cd "$build"
exec ctest --output-on-failure -j "$(nproc)" "$@"
